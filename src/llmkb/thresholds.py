"""Every fuzzy cut-off and size bound llmkb decides by, with the reason for its value.

Scores are rapidfuzz scores (0-100) on the inputs named. Keeping them in one module makes a rule easy to
find and a change easy to review: raise one and the comment says what it starts to let through. Standard
library only (read commands import it).
"""

from __future__ import annotations

# --- titles: are two titles the same paper? --------------------------------------------------------------

SAME_TITLE = 90.0
"""`ratio` of two title keys at or above which they name the same paper: one or two slips ("Pruning via
Merging" / "Pruning-via-Merging", a dropped article) score 93-99; two papers that share a long phrase score
well under 90."""

DIFFERENT_TITLES = 70.0
"""`token_set_ratio` of two title keys below which one arXiv ID given two titles names two papers (a wrong
ID in a list). A shortened title scores 100 against the full one (its words are a subset), rewordings of one
paper across versions score 75-95; Flan-T5's title against InstructGPT's, which share "language models",
scores 66."""

STORED_TITLE_DIFFERS = 80.0
"""`ratio` below which a list's title for a stored paper is reported as differing from the stored one."""

# --- finding papers --------------------------------------------------------------------------------------

LOOKUP_TITLE = 80.0
"""`WRatio` a title typed to `show`/`tag`/`link` must reach against a stored title (with its short name)."""

LOOKUP_CLEAR_MARGIN = 5.0
"""A best title candidate is taken without asking only if it beats the runner-up by this much."""

SEARCH_FUZZY_TITLE = 87.0
"""`partial_ratio` of a short query against a title or short name for search's fuzzy pass: finds
"shortgtp" in "ShortGPT" (two swapped letters) but not "pruning" in "printing"."""

SEARCH_SHORT_QUERY_WORDS = 3
"""Only queries of at most this many words get the fuzzy title pass: longer ones are phrases, not names."""

TYPO_CORRECTION = 80.0
"""`ratio` a query word must reach against an indexed word to be corrected to it: one slip in a 5-letter
word ("prunng") scores 83, two slips in a 6-letter word fall below."""

TYPO_MIN_LENGTH = 4
"""Words shorter than this are too ambiguous to correct ("kv" could be "k", "kd", "lv", ...)."""

# --- arXiv ---------------------------------------------------------------------------------------------

ARXIV_TITLE_MATCH = 90.0
"""`ratio` of title keys at or above which an arXiv title search's best hit is imported for a title."""

# --- vocabulary names ------------------------------------------------------------------------------------

NAME_MATCH = 90.0
"""`ratio` on normalized names: accepts one slip in a ten-letter name ("HelaSwag") but not in a four-letter
one ("PIQQA" scores 88.9: suggested, not chosen)."""

NAME_MARGIN = 5.0
"""The winning name must beat every other entry by this much, or the name is ambiguous."""

NAME_SUGGESTION = 60.0
"""Names scoring at least this are offered as "did you mean"."""

NAME_SUGGESTION_WINDOW = 15.0
"""Suggestions trail the best one by at most this much ("PIQQA": PIQA, not also GPQA and SIQA)."""

# --- awesome lists -----------------------------------------------------------------------------------------

LINK_WORD_TYPO = 1
"""Edits (`OSA` distance, a swap counts as one) within which a one-word link text is a misspelt link word
("Ppaer", "papar", "Githib" for Paper, GitHub) rather than a title. One edit catches the slips lists make;
two would turn real short names into link words ("Pager", "Coder")."""

LINK_WORD_TYPO_MIN_LENGTH = 5
"""Only words at least this long are checked for slips: "Code" and "PDF" are too short to tell a slip from
another word ("Codex", "PDE")."""

# --- lint ----------------------------------------------------------------------------------------------

LINT_TITLE_WORDS = 3
"""A list's "title" is compared with another title only if it has at least this many words of three or more
letters: lists put model names where titles go ("mT0", "BLOOMZ", "OPT-1.3|6.7|13|30|66B", "DeepSeek-v2-236B-MoE"
for papers whose titles say much more), and a name is not a wrong title."""

LINT_ANCHOR_SUGGESTION = 80.0
"""`ratio` at or above which a heading anchor is offered for an in-page link that matches none."""

LINT_TOC_MATCH = 90.0
"""`ratio` of slugs at or above which a plain-text contents entry counts as naming a heading (one slip)."""

LINT_NAME_TYPO = 85.0
"""A name the vocabulary does not resolve is called misspelt (not unknown) when its best suggestion scores at
least this and writes the same numbers: "PIQQA" (88.9 against PIQA) is a slip, "Zero-Shot (%)" is not a name."""

LINT_EXPANSION_MATCH = 70.0
"""`token_set_ratio` at or above which "C4 (Crawled Corpus)" is taken as an attempt at C4's expansion
("Colossal Clean Crawled Corpus", 76) and so reported when it is not exactly it; unrelated words in
parentheses ("Peng et al., 2023") score far lower."""

LINT_TITLE_SEARCHES = 25
"""At most this many arXiv title searches per lint run (each is one request, 3 s apart): suggestions for
wrong IDs come first, then arXiv pages for papers linked only as PDF copies."""

LINT_VERSIONS_PER_PAPER = 8
"""Earlier versions fetched per paper to see whether the list's title is an old version's (v1..v8)."""

ARXIV_CACHE_DAYS = 30.0
"""arXiv's answers kept for lint are asked again after this many days (titles and withdrawals change);
the metadata of one version never changes, so a versioned answer is kept for good."""
