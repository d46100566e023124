"""What a link points at: an arXiv paper, another paper (PDF, publisher page), code, a blog, or anything else.

Whether a list item is a paper at all depends on this: a GitHub repo, a blog post or a leaderboard alone
is not a paper, a PDF or an ACL Anthology page with a title is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from llmkb.arxiv.ids import ArxivId, InvalidArxivId, find_arxiv_ids, is_arxiv_host, parse_arxiv_id, salvage_arxiv_id

_CODE_HOSTS = frozenset({"github.com", "gitlab.com", "bitbucket.org", "gitee.com", "codeberg.org", "sr.ht"})
_PAPER_HOSTS = frozenset(
    (
        "aclanthology.org",
        "aclweb.org",
        "openreview.net",
        "doi.org",
        "dl.acm.org",
        "proceedings.mlr.press",
        "proceedings.neurips.cc",
        "papers.nips.cc",
        "papers.neurips.cc",
        "ieeexplore.ieee.org",
        "link.springer.com",
        "sciencedirect.com",
        "nature.com",
        "science.org",
        "jmlr.org",
        "ojs.aaai.org",
        "aaai.org",
        "ijcai.org",
        "openaccess.thecvf.com",
        "ecva.net",
        "biorxiv.org",
        "medrxiv.org",
        "researchgate.net",
        "papers.ssrn.com",
        "usenix.org",
        "mlsys.org",
        "pnas.org",
        "cell.com",
        "tandfonline.com",
        "wiley.com",
        "iclr.cc",
        "icml.cc",
        "neurips.cc",
        "isca-speech.org",
        "ssrn.com",
    )
)
# Hosts whose paper pages carry the arXiv ID in the path.
_ARXIV_MIRRORS = (
    "huggingface.co/papers/",
    "alphaxiv.org/",
    "ar5iv.org/",
    "ar5iv.labs.arxiv.org/",
    "arxiv-sanity-lite.com/",
    "semanticscholar.org/arxiv/",
    "paperswithcode.com/paper/arxiv",
)
_BLOG_HOSTS = frozenset(
    (
        "medium.com",
        "zhihu.com",
        "xiaohongshu.com",
        "mp.weixin.qq.com",
        "substack.com",
        "kexue.fm",
        "towardsdatascience.com",
        "lilianweng.github.io",
        "jalammar.github.io",
        "notion.site",
        "wordpress.com",
        "blogspot.com",
        "csdn.net",
        "cnblogs.com",
        "juejin.cn",
        "jiqizhixin.com",
        "hackmd.io",
        "distill.pub",
        "lesswrong.com",
        "thegradient.pub",
        "sebastianraschka.com",
        "mlfrontiers.substack.com",
    )
)
_PROJECT_HOSTS = frozenset({"github.io", "sites.google.com", "gitlab.io", "pages.dev", "netlify.app", "vercel.app"})

_GENERIC_WORDS = frozenset(
    {
        "paper",
        "papers",
        "pdf",
        "arxiv",
        "abs",
        "abstract",
        "code",
        "codes",
        "github",
        "git",
        "repo",
        "repository",
        "project",
        "projectpage",
        "page",
        "homepage",
        "home",
        "website",
        "site",
        "web",
        "blog",
        "post",
        "blogpost",
        "notes",
        "note",
        "summary",
        "demo",
        "video",
        "slides",
        "slide",
        "poster",
        "talk",
        "data",
        "dataset",
        "datasets",
        "model",
        "models",
        "weights",
        "checkpoint",
        "checkpoints",
        "link",
        "links",
        "here",
        "this",
        "html",
        "openreview",
        "doi",
        "anthology",
        "huggingface",
        "hf",
        "twitter",
        "tweet",
        "x",
        "zhihu",
        "bibtex",
        "bib",
        "cite",
        "citation",
        "supp",
        "supplementary",
        "appendix",
        "pytorch",
        "tensorflow",
        "jax",
        "official",
        "unofficial",
        "implementation",
        "download",
        "youtube",
        "medium",
        "leaderboard",
        "the",
        "and",
        "with",
        "a",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "知乎",
        "论文",
        "代码",
        "项目",
        "博客",
        "解读",
        "主页",
        "链接",
        "视频",
        "官方",
        "acl",
        "proceedings",
        "full",
        "text",
        "pdfs",
        "arxivpaper",
        "arxivorg",
        "pub",
        "publication",
        "online",
        "version",
        "preprint",
        "openaccess",
        "read",
        "more",
        "details",
        "survey",
        "source",
        "sources",
    }
)
_PAPER_WORDS = frozenset({"paper", "pdf", "论文", "arxiv", "preprint", "publication", "full text"})
_NOT_PAPER_WORDS = frozenset(
    {"slides", "slide", "poster", "video", "talk", "supp", "supplementary", "appendix", "bibtex", "bib"}
)
_URLISH = re.compile(r"^(?:https?://|www\.)\S+$|^\S+\.(?:com|org|net|io|ai|cc|pdf|html?)(?:/\S*)?$", re.I)
_WORDS = re.compile(r"[^\W_]+", re.UNICODE)


_HOST_PATH = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.-]*:)?//(?:[^/?#@]*@)?(?P<host>[^/?#:]*)(?::\d*)?(?P<path>[^?#]*)")
_ARXIV_PAGE = re.compile(
    r"^(?:https?://)?(?:[a-z0-9-]+\.)?arxiv\.org/(?:abs|pdf|html)/(?P<id>\d{4}\.\d{4,5}(?:v\d+)?)(?:\.pdf)?/?$",
    re.IGNORECASE,
)
_ARXIV_OR_DOI = re.compile(r"(?:https?://)?(?:[\w-]+\.)*(?:arxiv\.org|doi\.org)/")
_PDF_PATH = re.compile(r"/pdf(?:/|$)")
_IMAGE_FILE = re.compile(r"\.(?:png|jpe?g|gif|svg|webp|bmp)$", re.IGNORECASE)


def _host_path(url: str) -> tuple[str, str]:
    u = url.strip()
    m = _HOST_PATH.match(u if "//" in u else "//" + u)
    if not m:
        return "", ""
    return m.group("host").lower().removeprefix("www."), m.group("path")


def _on(host: str, domains: frozenset[str]) -> bool:
    """host is one of domains or a subdomain of one."""
    parts = host.split(".")
    return any(".".join(parts[i:]) in domains for i in range(len(parts) - 1))


def link_words(text: str) -> list[str]:
    return [w.lower() for w in _WORDS.findall(text)]


@lru_cache(maxsize=8192)
def is_generic_text(text: str) -> bool:
    """True for link texts that name the link, not the paper: "Paper", "[PDF]", "Code", "arXiv", a URL."""
    s = text.strip()
    if not s or _URLISH.match(s):
        return True
    words = link_words(s)
    if not words:
        return True
    if len(words) == 1 and _misspelt_link_word(words[0]):
        return True
    return all(w in _GENERIC_WORDS or w.isdigit() for w in words)


_TYPO_PRONE = ("paper", "papers", "github", "arxiv", "project")


@lru_cache(maxsize=4096)
def _misspelt_link_word(word: str) -> bool:
    """ "ppaer", "papar", "githib": a link word with one slip."""
    from rapidfuzz.distance import OSA

    from llmkb.thresholds import LINK_WORD_TYPO, LINK_WORD_TYPO_MIN_LENGTH

    if len(word) < LINK_WORD_TYPO_MIN_LENGTH or word in _GENERIC_WORDS:
        return False
    return any(word[0] == w[0] and OSA.distance(word, w) <= LINK_WORD_TYPO for w in _TYPO_PRONE)


def arxiv_of_url(url: str) -> ArxivId | None:
    return _arxiv_of_url(url)[0]


def _arxiv_of_url(url: str) -> tuple[ArxivId | None, bool]:
    """The paper's ID and whether it had to be salvaged from junk glued to it ("2407.11681mini")."""
    u = url.strip()
    low = u.lower()
    if "arxiv" not in low and "/papers/" not in low:
        return None, False
    page = _ARXIV_PAGE.match(u)
    if page:
        try:
            return parse_arxiv_id(page.group("id")), False
        except InvalidArxivId:
            pass
    host, path = _host_path(u)
    if _IMAGE_FILE.search(path):
        return None, False  # a figure of the paper ("arxiv.org/html/2401.10774v1/x1.png"), not the paper
    if _ARXIV_OR_DOI.match(low):
        try:
            return parse_arxiv_id(page.group("id") if page else u), False
        except InvalidArxivId:
            salvaged = salvage_arxiv_id(u) if is_arxiv_host(host) else None
            return salvaged, salvaged is not None
    where = host + path
    if any(where.startswith(m) or ("." + m) in "." + where for m in _ARXIV_MIRRORS):
        ids = find_arxiv_ids("arXiv:" + re.sub(r"^.*?/(?=\d{4}\.\d{4,5})", "", path))
        return (ids[0] if ids else None), False
    return None, False


@dataclass(frozen=True)
class LinkInfo:
    url: str
    text: str
    kind: str  # "arxiv", "anchor", "empty", or a Link kind
    arxiv: ArxivId | None = None
    generic: bool = True  # the text names the link ("Code", "PDF"), not the paper
    is_paper: bool = False  # points at a paper itself, as opposed to code or commentary
    salvaged: bool = False  # the arXiv ID had text glued to it


def _points_at_paper(kind: str, text: str, generic: bool) -> bool:
    if kind == "arxiv":
        return True
    if generic and set(link_words(text)) & _NOT_PAPER_WORDS:
        return False
    if kind in ("pdf", "paper"):
        return True
    return kind == "empty" and not generic and len(link_words(text)) >= 2


@lru_cache(maxsize=4096)
def classify_link(url: str, text: str = "") -> LinkInfo:
    u = url.strip()
    kind, arxiv, salvaged = _kind(u, text)
    generic = is_generic_text(text)
    return LinkInfo(u, text, kind, arxiv, generic, _points_at_paper(kind, text, generic), salvaged)


def _kind(u: str, text: str) -> tuple[str, ArxivId | None, bool]:
    if not u:
        return "empty", None, False
    if u.startswith("#"):
        return "anchor", None, False
    arxiv, salvaged = _arxiv_of_url(u)
    if arxiv is not None:
        return "arxiv", arxiv, salvaged
    return _kind_of_other(u, text), None, False


def _kind_of_other(u: str, text: str) -> str:
    host, path = _host_path(u)
    low_path = path.lower()
    words = set(link_words(text))
    if _IMAGE_FILE.search(low_path):
        kind = "other"
    elif low_path.endswith(".pdf") or (_on(host, _PAPER_HOSTS) and _PDF_PATH.search(low_path)):
        kind = "pdf"
    elif _on(host, _CODE_HOSTS):
        kind = "code"
    elif (
        _on(host, _PAPER_HOSTS)
        or host.startswith("proceedings.")
        or (host == "paperswithcode.com" and low_path.startswith("/paper/"))
        or (host == "semanticscholar.org" and low_path.startswith("/paper/"))
    ):
        kind = "paper"
    elif _on(host, _BLOG_HOSTS) or "blog" in host or "/blog" in low_path or "/posts/" in low_path:
        kind = "summary"
    elif _on(host, _PROJECT_HOSTS):
        kind = "project"
    elif words & {"code", "github", "repo", "implementation", "代码"}:
        kind = "code"
    elif words & {"project", "homepage", "website", "demo", "主页"}:
        kind = "project"
    elif words & {"blog", "notes", "summary", "zhihu", "知乎", "解读", "博客"}:
        kind = "summary"
    elif words & _PAPER_WORDS and is_generic_text(text):
        kind = "paper"
    else:
        kind = "other"
    return kind


def invalid_arxiv_link(info: LinkInfo) -> str | None:
    """Why a link to an arXiv paper page does not hold a valid ID ("month 99 does not exist"), else None."""
    if info.arxiv is not None or info.kind == "arxiv":
        return None
    host, path = _host_path(info.url)
    if not is_arxiv_host(host) or _IMAGE_FILE.search(path) or not re.match(r"/(?:abs|pdf|html)/", path):
        return None
    try:
        parse_arxiv_id(info.url)
    except InvalidArxivId as exc:
        return str(exc)
    return None
