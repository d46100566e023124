"""Findings as people, scripts and CI read them: text lines, JSON, GitHub Actions annotations, SARIF 2.1.0.

The text form is the compiler convention (FILE:LINE:COL: CODE message), which editors and problem
matchers already understand. GitHub annotations escape their data and properties as the workflow-command
syntax requires, so a message with a comma or a newline cannot break the line. SARIF carries every rule
(so `ruleIndex` is stable across runs), a region per result, and the certain fixes as replacements, which
code-scanning viewers can offer as suggestions.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from urllib.parse import quote

from llmkb import __version__
from llmkb.lint import LintReport
from llmkb.lint.findings import RULES, Finding, Severity

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
FORMATS = ("text", "json", "github", "sarif")
_GITHUB_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def text_line(f: Finding) -> str:
    fix = f" [fix: {f.fix}]" if f.fix else ""
    return f"{f.source}:{f.line}:{f.column}: {f.code} {f.message}{fix}"


def render_text(findings: Sequence[Finding]) -> str:
    return "".join(text_line(f) + "\n" for f in findings)


def render_json(report: LintReport, findings: Sequence[Finding]) -> str:
    counts = {s.label: 0 for s in Severity}
    for f in findings:
        counts[f.severity.label] += 1
    data = {
        "findings": [f.as_dict() for f in findings],
        "summary": {
            "files": report.sources,
            "counts": counts,
            "by_code": _by_code(findings),
            "offline": report.offline,
            "arxiv": {
                "ids": report.arxiv.ids,
                "cached": report.arxiv.cached,
                "requests": report.arxiv.requests,
                "title_searches": report.arxiv.searches,
                "unreachable": report.arxiv.unreachable,
            },
        },
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _by_code(findings: Sequence[Finding]) -> dict[str, int]:
    out: dict[str, int] = {}
    for f in findings:
        out[f.code] = out.get(f.code, 0) + 1
    return dict(sorted(out.items()))


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_line(f: Finding) -> str:
    properties = ",".join(
        f"{name}={_escape_property(str(value))}"
        for name, value in (
            ("file", f.source),
            ("line", f.line),
            ("col", f.column),
            ("title", f"{f.code} {f.rule.name}"),
        )
    )
    fix = f" (fix: {f.fix})" if f.fix else ""
    return f"::{_GITHUB_LEVEL[f.severity]} {properties}::{_escape_data(f.message + fix)}"


def render_github(findings: Sequence[Finding]) -> str:
    return "".join(github_line(f) + "\n" for f in findings)


def render_sarif(report: LintReport, findings: Sequence[Finding]) -> str:
    index = {rule.code: i for i, rule in enumerate(RULES)}
    rules = [
        {
            "id": rule.code,
            "name": rule.name,
            "shortDescription": {"text": rule.summary},
            "defaultConfiguration": {"level": _SARIF_LEVEL[rule.severity]},
            "properties": {"tags": ["arxiv" if rule.network else "offline"]},
        }
        for rule in RULES
    ]
    results = [_sarif_result(f, index[f.code]) for f in findings]
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "llmkb lint",
                        "version": __version__,
                        "rules": rules,
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"


def sarif_uri(source: str) -> str:
    """A file name as a URI reference (spaces and the like percent-encoded); a URL as it is."""
    if "://" in source:
        return source
    return quote(source.replace("\\", "/"), safe="/:@!$&'()*+,;=-._~")


def _sarif_result(f: Finding, rule_index: int) -> dict:
    uri = sarif_uri(f.source)
    location = {"artifactLocation": {"uri": uri}, "region": {"startLine": f.line, "startColumn": f.column}}
    message = f.message + (f" (fix: {f.fix})" if f.fix else "")
    result: dict = {
        "ruleId": f.code,
        "ruleIndex": rule_index,
        "level": _SARIF_LEVEL[f.severity],
        "message": {"text": message},
        "locations": [{"physicalLocation": location}],
        "partialFingerprints": {"llmkbLint/v1": f"{f.code}:{f.message}"},
    }
    if f.edits:
        replacements = [
            {
                "deletedRegion": {"startLine": e.line, "startColumn": e.column, "endColumn": e.column + len(e.old)},
                "insertedContent": {"text": e.new},
            }
            for e in f.edits
        ]
        result["fixes"] = [
            {
                "description": {"text": f"replace with {f.edits[0].new}"},
                "artifactChanges": [{"artifactLocation": {"uri": uri}, "replacements": replacements}],
            }
        ]
    return result


def render(fmt: str, report: LintReport, findings: Sequence[Finding]) -> str:
    if fmt == "json":
        return render_json(report, findings)
    if fmt == "github":
        return render_github(findings)
    if fmt == "sarif":
        return render_sarif(report, findings)
    return render_text(findings)


def summary(report: LintReport, findings: Sequence[Finding]) -> str:
    """One line for stderr: counts by severity, files, and what arXiv was asked (or why not)."""
    counts = {s: 0 for s in Severity}
    for f in findings:
        counts[f.severity] += 1
    parts = [
        f"{counts[Severity.ERROR]} error{'s' * (counts[Severity.ERROR] != 1)}",
        f"{counts[Severity.WARNING]} warning{'s' * (counts[Severity.WARNING] != 1)}",
        f"{counts[Severity.INFO]} note{'s' * (counts[Severity.INFO] != 1)}",
    ]
    files = len(report.sources)
    line = f"{', '.join(parts)} in {files} list{'s' * (files != 1)}"
    stats = report.arxiv
    if report.offline:
        line += "; offline: arXiv was not asked"
        if stats.cached:
            line += f" ({stats.cached} cached answer{'s' * (stats.cached != 1)} used)"
    elif stats.ids:
        line += (
            f"; arXiv: {stats.ids} IDs, {stats.cached} cached, {stats.requests} request{'s' * (stats.requests != 1)}"
        )
        if stats.searches:
            line += f", {stats.searches} title search{'es' * (stats.searches != 1)}"
    if stats.unreachable:
        line += f"; arXiv could not be asked ({stats.unreachable}): checks that need it were skipped"
    return line
