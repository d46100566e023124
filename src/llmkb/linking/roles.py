"""What a link between a paper and a dataset or model may say: its role and where it came from.

Read commands validate `--role` and `--source` against these, and write paths store only these, so the
values live in one place (standard library only: read commands import it).
"""

from __future__ import annotations

import math
from typing import Literal

from llmkb.errors import UsageError

DATASET_ROLES = ("evaluation", "calibration", "fine-tuning", "pre-training")
MODEL_ROLES = ("uses", "proposes")
SOURCES = ("list", "user", "text")
DEFAULT_DATASET_ROLE = "evaluation"
DEFAULT_MODEL_ROLE = "uses"
LinkKind = Literal["dataset", "model"]  # what a paper links to (metrics come with results)


def check_role(role: str | None) -> str | None:
    """The role in its stored spelling ("finetuning" -> "fine-tuning"), or UsageError."""
    if role is None:
        return None
    wanted = role.strip().casefold().replace("_", "-").replace(" ", "-")
    wanted = {"finetuning": "fine-tuning", "pretraining": "pre-training", "eval": "evaluation"}.get(wanted, wanted)
    if wanted in DATASET_ROLES or wanted in MODEL_ROLES:
        return wanted
    raise UsageError(f"--role takes one of {', '.join(DATASET_ROLES + MODEL_ROLES)}, not {role!r}")


def check_source(source: str | None) -> str | None:
    if source is None:
        return None
    wanted = source.strip().casefold()
    if wanted in SOURCES:
        return wanted
    raise UsageError(f"--source takes one of {', '.join(SOURCES)}, not {source!r}")


def role_kind(role: str) -> LinkKind:
    """ "dataset" or "model": which kind of link a (checked) role belongs to."""
    return "dataset" if role in DATASET_ROLES else "model"


def parse_value(text: str) -> float:
    """A result value: a finite number ("71.2", "-0.5", "1e3"); UsageError otherwise."""
    try:
        value = float(text.strip())
    except (ValueError, AttributeError):
        raise UsageError(f"value {text!r} is not a number") from None
    if not math.isfinite(value):
        raise UsageError(f"value {text!r} is not a number")
    return value


def describe_result(dataset: str, model: str | None, metric: str, value: float, setting: str | None) -> str:
    head = " · ".join(part for part in (dataset, model) if part)
    return f"{head}: {metric} {value:g}" + (f" ({setting})" if setting else "")
