"""Dataset and model names mentioned in free text: titles, abstracts, notes.

Text is matched through the same vocabulary and normalization as `llmkb.vocab.names`, on whole words and without
fuzzy matching: prose is full of near-misses that are not names. A name may span several words joined by a
space, hyphen, underscore, slash or apostrophe ("Llama 2 7B", "WMT'14 En-De"); the longest one wins, so
"LLaMA-2-7B" is one mention, not LLaMA and LLaMA-2. Short names and names that are also English words
("RACE", "C4", "The Pile", "BLOOM") must be written as the vocabulary spells them, so lowercase prose about a
race or the pile of results does not count.
"""

from __future__ import annotations

import functools
import re
from itertools import accumulate
from typing import NamedTuple

from llmkb.vocab.names import normalize
from llmkb.vocab.vocabulary import Kind, entries

# A word: letters and digits, with decimal points inside numbers kept ("1.1B", "v1.3", "Qwen1.5").
_WORD = re.compile(r"([A-Za-z0-9]+(?:\.[0-9][A-Za-z0-9]*)*)")
_JOINERS = frozenset(" -_/'’\u2010\u2011")
_NOT_COMPACT = re.compile(r"(?<![0-9])\.|\.(?![0-9])|[^A-Za-z0-9.+]+")
_STRICT_LENGTH = 4  # names this short are matched only as the vocabulary spells them
_MENTIONED_KINDS: tuple[Kind, ...] = ("dataset", "model")
_MISSPELT, _SPELT = "llamaa", "llama"  # a misspelling common enough to read as the name


class Mention(NamedTuple):
    kind: Kind
    canonical: str
    surface: str  # as written in the text, text[start:end]
    start: int
    end: int


class _Target(NamedTuple):
    kind: Kind
    canonical: str
    spellings: frozenset[str] | None  # the only acceptable surfaces (separators removed), or None: any case


def find_mentions(text: str) -> list[Mention]:
    """Every dataset and model mention in `text`, in order; a name mentioned twice gives two mentions."""
    targets, prefixes = _index()
    parts = _WORD.split(text)  # gap, word, gap, word, ..., gap
    words = parts[1::2]
    gaps = parts[2::2]  # gaps[i] follows words[i]

    mentions: list[Mention] = []
    count = len(words)
    # (a text without the misspelling anywhere needs only lower case: `_fold` per word costs a call each)
    folded = [_fold(word) for word in words] if _MISSPELT in text.lower() else [word.lower() for word in words]
    next_word = 0
    starts: list[int] | None = None
    # Most words start no name: only the words that do are visited (one comprehension instead of a loop).
    for i in [k for k, key in enumerate(folded) if key in prefixes]:
        if i < next_word:
            continue
        key = folded[i]
        candidates = []  # (last word index, key), shortest first
        j = i
        while True:
            if key in targets:
                candidates.append((j, key))
            if j + 1 == count or gaps[j] not in _JOINERS:
                break
            following = words[j + 1]
            number_gap = "-" if key[-1].isdigit() and following[0].isdigit() else ""  # as `normalize` does
            longer = _fold(key + number_gap + following)
            if longer not in prefixes:
                break
            key, j = longer, j + 1
        if not candidates:
            continue  # a prefix of names, not a name ("in", "Long")
        if starts is None:  # where each word starts, once a text has a name
            starts = list(accumulate(map(len, parts)))[:-1:2]
        found, last = _accept(text, words, gaps, starts, i, candidates, targets)
        mentions.extend(found)
        next_word = last + 1
    return mentions


def _accept(
    text: str,
    words: list[str],
    gaps: list[str],
    starts: list[int],
    i: int,
    candidates: list[tuple[int, str]],
    targets: dict[str, tuple[_Target, ...]],
) -> tuple[list[Mention], int]:
    """The longest candidate that is a whole name in its own right (one mention per kind naming it), and the
    index of its last word; no mentions and `i` when none is."""
    start = starts[i]
    for j, key in reversed(candidates):
        if gaps[j] in ("-", "_") and j + 1 < len(words) and words[j + 1][0].isdigit():
            continue  # "LLaMA-2-34B" or "Mamba-2": an unknown name continues, not a known one ending here
        end = starts[j] + len(words[j])
        if gaps[j].startswith("+") and key + "+" in targets:  # "HumanEval+" is not HumanEval
            key, end = key + "+", end + 1
        elif gaps[j] in ("-", "_") and j + 1 < len(words) and words[j + 1].lower() == "hf":
            j, end = j + 1, starts[j + 1] + 2  # "Llama-2-7b-hf", a Hugging Face repository name
        surface = text[start:end]
        compact = _NOT_COMPACT.sub("", surface)
        found = [
            Mention(target.kind, target.canonical, surface, start, end)
            for target in targets[key]
            if target.spellings is None or compact in target.spellings
        ]
        if found:
            return found, j
    return [], i


def _fold(key: str) -> str:
    key = key.lower()
    return key.replace(_MISSPELT, _SPELT) if _MISSPELT in key else key


@functools.cache
def _index() -> tuple[dict[str, tuple[_Target, ...]], frozenset[str]]:
    """Normalized spelling -> what it names, and every prefix of those spellings (to stop scanning early)."""
    targets: dict[str, list[_Target]] = {}
    for kind in _MENTIONED_KINDS:
        for entry in entries(kind):
            compacts: dict[str, set[str]] = {}
            for spelling in entry.spellings:
                key = normalize(spelling)
                if key:
                    compacts.setdefault(key, set()).add(_NOT_COMPACT.sub("", spelling))
            for key, spellings in compacts.items():
                strict = entry.case_sensitive or len(key) <= _STRICT_LENGTH
                targets.setdefault(key, []).append(_Target(kind, entry.name, frozenset(spellings) if strict else None))
    prefixes = {key[:n] for key in targets for n in range(1, len(key) + 1)}
    return {key: tuple(found) for key, found in targets.items()}, frozenset(prefixes)
