"""The one resolver for dataset, model and metric names: CLI options, imported lists and free text.

A name is tried, in order, as an exact alias (ignoring case), then in normalized form, then by fuzzy
matching. Fuzzy matching only fixes spelling slips in the letters: a candidate whose numbers differ from the
query's (LLaMA-2-7B against LLaMA-2-70B, WikiText-2 against WikiText-103) can be suggested but never chosen,
and a model family written with a size the vocabulary does not know ("LLaMA-2-34B", "Mixtral-7B") stays
unresolved. Callers keep such names as written and show the suggestions; nothing is mapped silently.

Read commands resolve names, so importing this module and building the index must stay cheap: patterns
used only on the fallback paths are compiled on first use (through `re`'s own cache), rapidfuzz is imported
only when a name needs fuzzy matching, and model stems are indexed only when a size needs checking.
"""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

from llmkb import thresholds
from llmkb.errors import UnknownName
from llmkb.vocab.vocabulary import KINDS, Kind, entries

FUZZY_THRESHOLD = thresholds.NAME_MATCH
FUZZY_MARGIN = thresholds.NAME_MARGIN
SUGGESTION_CUTOFF = thresholds.NAME_SUGGESTION
SUGGESTION_WINDOW = thresholds.NAME_SUGGESTION_WINDOW
MAX_SUGGESTIONS = 5
_SIZE_BONUS = 10.0  # for a known family written with an unknown size, the sizes it has come first

# Normalization drops separators, except that numbers stay apart: a decimal point survives ("OPT-1.3B" is
# not OPT-13B) and a gap between two numbers becomes one hyphen ("LLaMA-1-30B" is not "LLaMA-130B").
_NUMBER_GAP = re.compile(r"(?<=[0-9])[^a-z0-9.+]+(?=[0-9])")
_NOT_KEY = re.compile(r"(?<![0-9])[.-]|[.-](?![0-9])|[^a-z0-9.+-]+")
_HF_SUFFIX = r"(?:[0-9][bm]|chat|instruct)hf$"  # Hugging Face repository names: "Llama-2-7b-hf"
_DIGITS = r"[0-9]+(?:\.[0-9]+)?"
_SEPARATORS = r"[\s\-_/:'’]+"
_SIZE = r"(?:[0-9]+x)?[0-9]+(?:\.[0-9]+)?[bmt]"
_GLUED_SIZE = r"(.*[a-z])((?:[0-9]+x)?[0-9]+(?:\.[0-9]+)?[bmt])"  # "LLaMA7B"
_PARENTHESIS = r"(.*?)\(([^()]*)\)(.*)"
_REPO_ID = r"([A-Za-z0-9][\w.-]*)/([\w.-]+)"
_GENERIC_WORDS = r"^the\s+|\s+(?:dataset|datasets|benchmark|benchmarks)$"


class Resolution(NamedTuple):
    """What a name resolved to, how, and what to offer instead when it did not resolve.

    `how` is "exact", "normalized" or "fuzzy" when `canonical` is set, None otherwise. `score` is 100 for
    exact and normalized matches and the fuzzy score otherwise (that of the best candidate when unresolved).
    """

    kind: Kind
    query: str
    canonical: str | None
    how: str | None
    score: float
    suggestions: tuple[str, ...] = ()

    @property
    def resolved(self) -> bool:
        return self.canonical is not None


def normalize(name: str) -> str:
    """The form spellings are compared in: "LLaMA2-7B", "llama_2_7b" and "Llama 2 7B" all give "llama2-7b"."""
    key = _NOT_KEY.sub("", _NUMBER_GAP.sub("-", name.casefold()))
    if "llamaa" in key:  # "LLaMaA2-13B", as one seed list writes it
        key = re.sub("llamaa+", "llama", key)
    if key.endswith("hf") and re.search(_HF_SUFFIX, key):
        key = key[:-2]
    return key


def resolve(kind: Kind, name: str) -> Resolution:
    """Resolve a dataset, model or metric name against the vocabulary; see the module docstring."""
    if kind not in KINDS:
        raise ValueError(f"unknown vocabulary kind {kind!r}; expected one of {', '.join(KINDS)}")
    return _resolve(kind, name)


def resolve_or_raise(kind: Kind, name: str) -> str:
    """The canonical name, or UsageError ("unknown dataset 'PIQQA' — did you mean PIQA?")."""
    resolution = resolve(kind, name)
    if resolution.canonical is not None:
        return resolution.canonical
    message = f"unknown {kind} '{name.strip()}'"
    if resolution.suggestions:
        message += f" — did you mean {_either(resolution.suggestions[:3])}?"
    raise UnknownName(message, resolution.suggestions)


def stem_and_size(name: str) -> tuple[str, str | None]:
    """A model name's normalized family part and its size: "Llama-2-Chat-7B" -> ("llama2chat", "7b")."""
    parts = [part for part in re.split(_SEPARATORS, name) if part and part.lower() != "hf"]
    size = None
    for i, part in enumerate(parts):
        if re.fullmatch(_SIZE, part, re.IGNORECASE):
            size = part.lower()
            del parts[i]
            break
    else:
        glued = re.fullmatch(_GLUED_SIZE, parts[-1], re.IGNORECASE) if parts else None
        if glued:
            size = glued.group(2).lower()
            parts[-1] = glued.group(1)
    return normalize(" ".join(parts)), size


def _either(names: tuple[str, ...]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


@functools.lru_cache(maxsize=4096)
def _resolve(kind: Kind, name: str) -> Resolution:
    index = _index(kind)
    name = " ".join(name.split())
    attempts = [name]
    repo = re.fullmatch(_REPO_ID, name)
    if repo and kind != "metric" and _looks_like_owner(index, *repo.groups()):
        attempts.append(repo.group(2))
    for position, attempt in enumerate(attempts):
        found = index.lookup(attempt)
        if found.canonical:
            how = found.how if position == 0 else "normalized"
            return Resolution(kind, name, found.canonical, how, 100.0)
        if found.candidates:
            return _unresolved(index, kind, name, attempt, found.candidates)
    fuzzy_name = attempts[-1]

    parts = re.fullmatch(_PARENTHESIS, fuzzy_name)
    if parts:  # "C4 (Crawled Corpus)", "SST2 (SST-2)", "LLaMA (7B)": the name may be inside, outside or both
        outside = f"{parts.group(1)} {parts.group(3)}".strip()
        inside = parts.group(2).strip()
        hits: dict[str, None] = {}
        candidates: tuple[str, ...] = ()
        for position, part in enumerate((f"{outside} {inside}", outside, inside)):
            found = index.lookup(part) if part.strip() else _NO_MATCH
            if found.canonical:
                hits[found.canonical] = None
                if position == 0:
                    break  # "LLaMA (7B)" is LLaMA-7B, not also the LLaMA family
            candidates += found.candidates
            if position == 0 and candidates:
                break  # "LLaMA (34B)": a size the family lacks; the bare family would lose it
        if len(hits) == 1 and not candidates:
            return Resolution(kind, name, next(iter(hits)), "normalized", 100.0)
        if hits or candidates:
            return _unresolved(index, kind, name, f"{outside} {inside}", (*hits, *candidates))
        fuzzy_name = outside or fuzzy_name

    return index.fuzzy(kind, name, fuzzy_name)


def _looks_like_owner(index: _Index, owner: str, repo: str) -> bool:
    """ "meta-llama/Llama-2-7b-hf" names a repository; "WikiText2/PTB" names two datasets."""
    return index.lookup(owner).canonical is None or normalize(repo).startswith(normalize(owner))


def _unresolved(index: _Index, kind: Kind, query: str, fuzzy_name: str, forced: tuple[str, ...]) -> Resolution:
    scores = index.scores(fuzzy_name)
    suggestions = index.suggestions(scores, forced)
    best = max((scores.get(name, (0.0, False))[0] for name in suggestions), default=0.0)
    return Resolution(kind, query, None, None, best, suggestions)


class _Match(NamedTuple):
    """A lookup's outcome: a canonical name, or candidates a name must not be mapped to on its own."""

    canonical: str | None = None
    how: str | None = None
    candidates: tuple[str, ...] = ()


_NO_MATCH = _Match()


class _Index:
    """Every spelling of one kind, in the forms the resolver looks them up by."""

    def __init__(self, kind: Kind) -> None:
        self.kind = kind
        self.by_spelling: dict[str, str] = {}
        self.by_key: dict[str, str] = {}
        self.key_spelling: dict[str, str] = {}  # the spelling a key came from, for the numbers it writes
        for entry in entries(kind):
            for spelling in entry.spellings:
                self.by_spelling.setdefault(spelling.casefold(), entry.name)
                key = normalize(spelling)
                if key and key not in self.by_key:
                    self.by_key[key] = entry.name
                    self.key_spelling[key] = spelling
        self.keys = list(self.by_key)

    @functools.cached_property
    def stems(self) -> tuple[dict[tuple[str, str], set[str]], dict[str, set[str]], set[str]]:
        """Model entries by (stem, size) and by stem, and the names of entries that have a size."""
        by_stem_size: dict[tuple[str, str], set[str]] = {}
        by_stem: dict[str, set[str]] = {}
        sized: set[str] = set()
        for entry in entries(self.kind):
            for spelling in entry.spellings:
                stem, size = stem_and_size(spelling)
                size = size or (entry.size.lower() if entry.size else None)  # "Jamba" is Jamba-52B too
                by_stem.setdefault(stem, set()).add(entry.name)
                if size:
                    by_stem_size.setdefault((stem, size), set()).add(entry.name)
                    sized.add(entry.name)
        return by_stem_size, by_stem, sized

    def lookup(self, name: str) -> _Match:
        """Exact and normalized matches only.

        A model family with its size elsewhere in the name ("Llama-2-Chat-7B") counts as normalized; a
        known family with a size it does not have ("LLaMA-2-34B") gives the family's entries as candidates.
        """
        canonical = self.by_spelling.get(name.casefold())
        if canonical:
            return _Match(canonical, "exact")
        canonical = self.by_key.get(normalize(name))
        if canonical:
            return _Match(canonical, "normalized")
        if self.kind == "model":
            stem, size = stem_and_size(name)
            if size:
                by_stem_size, by_stem, sized = self.stems
                same = by_stem_size.get((stem, size))
                if same and len(same) == 1:
                    return _Match(next(iter(same)), "normalized")
                if same or stem in by_stem:
                    family = by_stem.get(stem, set())
                    return _Match(candidates=tuple(sorted(same or (family & sized) or family)))
        bare = re.sub(_GENERIC_WORDS, "", name, flags=re.IGNORECASE).strip()  # "Alpaca dataset"
        if bare and bare != name:
            found = self.lookup(bare)
            return _Match(found.canonical, "normalized") if found.canonical else found
        return _NO_MATCH

    def scores(self, name: str) -> dict[str, tuple[float, bool]]:
        """Best fuzzy score per entry, and whether that spelling writes the same numbers as `name`."""
        from rapidfuzz import fuzz, process

        query = normalize(name)
        if not query:
            return {}
        digits = re.findall(_DIGITS, name)
        best: dict[str, tuple[float, bool]] = {}
        for key, score, _ in process.extract(
            query, self.keys, scorer=fuzz.ratio, limit=None, score_cutoff=SUGGESTION_CUTOFF / 2
        ):
            canonical = self.by_key[key]
            candidate = (score, re.findall(_DIGITS, self.key_spelling[key]) == digits)
            if candidate > best.get(canonical, (-1.0, False)):
                best[canonical] = candidate
        return best

    def suggestions(self, scores: dict[str, tuple[float, bool]], forced: tuple[str, ...] = ()) -> tuple[str, ...]:
        """Best-scoring entries first; `forced` ones are always offered, the sizes a family has first."""
        sized = self.stems[2] if forced and self.kind == "model" else set()

        def merit(name: str) -> float:
            bonus = _SIZE_BONUS if name in forced and name in sized else 0.0
            return scores.get(name, (0.0, False))[0] + bonus

        pool = {name for name, (score, _) in scores.items() if score >= SUGGESTION_CUTOFF} | set(forced)
        ranked = sorted(pool, key=lambda name: (-merit(name), name))
        if not ranked:
            return ()
        floor = merit(ranked[0]) - SUGGESTION_WINDOW
        return tuple(name for name in ranked[:MAX_SUGGESTIONS] if merit(name) >= floor)

    def fuzzy(self, kind: Kind, query: str, name: str) -> Resolution:
        scores = self.scores(name)
        if not scores:
            return Resolution(kind, query, None, None, 0.0)
        ranked = sorted(scores.items(), key=lambda item: (-item[1][0], item[0]))
        winner, (score, same_numbers) = ranked[0]
        runner_up = ranked[1][1][0] if len(ranked) > 1 else 0.0
        if same_numbers and score >= FUZZY_THRESHOLD and score - runner_up >= FUZZY_MARGIN:
            return Resolution(kind, query, winner, "fuzzy", score)
        return Resolution(kind, query, None, None, score, self.suggestions(scores))


@functools.cache
def _index(kind: Kind) -> _Index:
    return _Index(kind)
