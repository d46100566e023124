import pytest
from hypothesis import given
from hypothesis import strategies as st

from llmkb.arxiv.ids import (
    ArxivId,
    InvalidArxivId,
    abs_url,
    find_arxiv_ids,
    is_arxiv_url,
    parse_arxiv_id,
)

VALID = [
    ("2403.03853", "2403.03853", None),
    ("  2403.03853\n", "2403.03853", None),
    ("2403.03853v2", "2403.03853", 2),
    ("0704.0001", "0704.0001", None),
    ("1412.9999v12", "1412.9999", 12),
    ("1501.00001", "1501.00001", None),
    ("arXiv:2403.03853", "2403.03853", None),
    ("arxiv:2403.03853v1", "2403.03853", 1),
    ("ARXIV: 2403.03853", "2403.03853", None),
    ("arXiv:hep-th/9901001", "hep-th/9901001", None),
    ("hep-th/9901001", "hep-th/9901001", None),
    ("hep-th/9901001v3", "hep-th/9901001", 3),
    ("math.GT/0309136", "math/0309136", None),
    ("math.GT/0309136v1", "math/0309136", 1),
    ("astro-ph/0601001", "astro-ph/0601001", None),
    ("cond-mat/9108001", "cond-mat/9108001", None),
    ("https://arxiv.org/abs/2403.03853", "2403.03853", None),
    ("http://arxiv.org/abs/2403.03853v3", "2403.03853", 3),
    ("https://arxiv.org/abs/2403.03853/", "2403.03853", None),
    ("https://arxiv.org/abs/2403.03853#S2", "2403.03853", None),
    ("https://arxiv.org/abs/2403.03853?context=cs.CL", "2403.03853", None),
    ("https://www.arxiv.org/abs/2403.03853", "2403.03853", None),
    ("https://export.arxiv.org/abs/2403.03853", "2403.03853", None),
    ("arxiv.org/abs/2403.03853", "2403.03853", None),
    ("https://arxiv.org/pdf/2401.15024v2", "2401.15024", 2),
    ("https://arxiv.org/pdf/2401.15024", "2401.15024", None),
    ("https://arxiv.org/pdf/2401.15024.pdf", "2401.15024", None),
    ("https://arxiv.org/pdf/2401.15024v2.pdf", "2401.15024", 2),
    ("https://arxiv.org/html/2403.03853v1", "2403.03853", 1),
    ("https://arxiv.org/html/2403.03853v1/", "2403.03853", 1),
    ("https://arxiv.org/ftp/arxiv/papers/2312/2312.00752.pdf", "2312.00752", None),
    ("https://arxiv.org/ftp/hep-th/papers/9901/9901001.pdf", "hep-th/9901001", None),
    ("https://arxiv.org/abs/hep-th/9901001v2", "hep-th/9901001", 2),
    ("https://arxiv.org/pdf/math.GT/0309136", "math/0309136", None),
    ("10.48550/arXiv.2403.03853", "2403.03853", None),
    ("doi:10.48550/arXiv.2403.03853", "2403.03853", None),
    ("https://doi.org/10.48550/arXiv.2403.03853", "2403.03853", None),
    ("https://doi.org/10.48550/ARXIV.2403.03853", "2403.03853", None),
]

INVALID = [
    ("", "empty"),
    ("   ", "empty"),
    ("2413.12345", "month 13"),
    ("2400.12345", "month 00"),
    ("1501.0001", "5-digit"),
    ("2403.0385", "5-digit"),
    ("1412.00001", "4-digit"),
    ("2403.0385a", "letters"),
    ("24O3.03853", "letters"),
    ("0612.1234", "April 2007"),
    ("0101.1234", "April 2007"),
    ("2403.03853v0", "version 0"),
    ("2403.00000", "does not exist"),
    ("abc", "not an arXiv identifier"),
    ("arXiv:", "no identifier"),
    ("hep-th/99010a1", "letters"),
    ("hep-th/990100", "7-digit"),
    ("hep-th/9913001", "month 13"),
    ("foo/9901001", "not an arXiv archive"),
    ("https://github.com/org/repo", "not an arXiv link"),
    ("https://arxiv.org/list/cs.CL/recent", "does not link to an arXiv paper"),
    ("https://doi.org/10.1000/xyz", "not an arXiv DOI"),
    ("https://arxiv.org/abs/2413.12345", "month 13"),
]


@pytest.mark.parametrize(("text", "bare", "version"), VALID)
def test_valid_forms_reduce_to_bare_id_and_version(text, bare, version):
    assert parse_arxiv_id(text) == ArxivId(bare, version)


@pytest.mark.parametrize(("text", "reason"), INVALID)
def test_invalid_forms_are_rejected_with_a_reason(text, reason):
    with pytest.raises(InvalidArxivId) as excinfo:
        parse_arxiv_id(text)
    assert reason in str(excinfo.value)


def test_invalid_id_is_a_value_error():
    with pytest.raises(ValueError):
        parse_arxiv_id("2413.12345")


def test_str_appends_the_version_only_when_known():
    assert str(ArxivId("2403.03853", 2)) == "2403.03853v2"
    assert str(ArxivId("hep-th/9901001", None)) == "hep-th/9901001"


def test_abs_url():
    assert abs_url("2403.03853") == "https://arxiv.org/abs/2403.03853"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://arxiv.org/abs/2403.03853", True),
        ("http://export.arxiv.org/pdf/2403.03853v1.pdf", True),
        ("https://doi.org/10.48550/arXiv.2403.03853", True),
        ("https://arxiv.org/list/cs.CL/recent", False),
        ("https://github.com/org/repo", False),
        ("https://arxiv.org/abs/2413.12345", False),
        ("2403.03853", False),
    ],
)
def test_is_arxiv_url(url, expected):
    assert is_arxiv_url(url) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "(arXiv:1503.02531arXiv:1503.02531). ArXiv:1503.02531 [cs, stat]",
            [ArxivId("1503.02531", None)],
        ),
        ("https://arxiv.org/pdf/2402.01680v1", [ArxivId("2402.01680", 1)]),
        ("[paper](https://arxiv.org/ftp/arxiv/papers/2312/2312.00752.pdf)", [ArxivId("2312.00752", None)]),
        ("In ACL, pages 7346–7354, 2023/02", []),
        ("version 2403.03853 without context", []),
        ("arXiv preprint arXiv:2401.15024, 2024", [ArxivId("2401.15024", None)]),
        (
            "see hep-th/9901001v2 and math.GT/0309136",
            [ArxivId("hep-th/9901001", 2), ArxivId("math/0309136")],
        ),
        ("https://example.com/cs/0112017", []),
        ("https://doi.org/10.48550/arXiv.2305.14314", [ArxivId("2305.14314", None)]),
        (
            "[a](https://arxiv.org/abs/2403.03853) then arXiv:1706.03762v5, again https://arxiv.org/pdf/2403.03853",
            [ArxivId("2403.03853"), ArxivId("1706.03762", 5)],
        ),
        ("arXiv:2413.12345 and arXiv:1501.0001 are impossible", []),
        ("https://arxiv.org/abs/2403.038531", []),
    ],
)
def test_find_arxiv_ids_in_free_text(text, expected):
    assert find_arxiv_ids(text) == expected


@st.composite
def arxiv_ids(draw):
    if draw(st.booleans()):
        yy = draw(st.integers(7, 23))
        mm = draw(st.integers(4 if yy == 7 else 1, 12))
        digits = 5 if yy * 100 + mm >= 1501 else 4
        number = draw(st.integers(1, 10**digits - 1))
        bare = f"{yy:02d}{mm:02d}.{number:0{digits}d}"
    else:
        archive = draw(st.sampled_from(["hep-th", "astro-ph", "cond-mat", "math", "cs", "quant-ph", "gr-qc"]))
        yy = draw(st.sampled_from([*range(92, 100), *range(0, 7)]))
        mm = draw(st.integers(1, 12))
        bare = f"{archive}/{yy:02d}{mm:02d}{draw(st.integers(1, 999)):03d}"
    version = draw(st.none() | st.integers(1, 30))
    return ArxivId(bare, version)


@given(arxiv_ids())
def test_every_written_form_round_trips(aid):
    text = str(aid)
    forms = [
        text,
        f"arXiv:{text}",
        f"https://arxiv.org/abs/{text}",
        f"http://export.arxiv.org/abs/{text}/",
        f"https://www.arxiv.org/pdf/{text}",
        f"https://arxiv.org/pdf/{text}.pdf",
        f"https://arxiv.org/html/{text}#section",
        f"https://doi.org/10.48550/arXiv.{text}",
    ]
    for form in forms:
        assert parse_arxiv_id(form) == aid, form
    assert find_arxiv_ids(f"see ({forms[1]}) and [x]({forms[2]}).") == [aid]


@given(st.text(max_size=80))
def test_find_never_raises_and_returns_only_parseable_ids(text):
    for aid in find_arxiv_ids(text):
        assert parse_arxiv_id(str(aid)) == aid
