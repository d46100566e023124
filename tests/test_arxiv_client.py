import pytest

from arxiv_server import FakePaper, Fault
from llmkb.arxiv import client as arxiv_client
from llmkb.arxiv.client import ArxivFetchError, fetch_by_ids, search, search_title
from llmkb.errors import NetworkError, UsageError


@pytest.fixture
def sleeps(monkeypatch):
    """Records the backoff waits instead of sleeping."""
    waits: list[float] = []
    monkeypatch.setattr(arxiv_client, "_sleep", waits.append)
    return waits


def fetch_all(ids):
    return list(fetch_by_ids(ids))


def fetched_ids(outcomes):
    return [p.arxiv_id for o in outcomes for p in o.papers]


def test_paper_fields_come_from_the_feed(arxiv_server):
    arxiv_server.add(
        FakePaper(
            "2403.03853",
            version=2,
            title="ShortGPT:  Layers in Large\n  Language Models are More Redundant",
            summary="  We find\n that layers are redundant.  ",
            authors=["Xin Men", "Mingyu Xu"],
            published="2024-03-06T18:59:59Z",
            updated="2024-05-01T10:00:00Z",
            primary_category="cs.CL",
            categories=["cs.CL", "cs.LG"],
            comment="10 pages",
            journal_ref="ACL 2025",
            doi="10.1000/xyz",
        )
    )
    [outcome] = fetch_all(["arXiv:2403.03853v1"])
    [paper] = outcome.papers
    assert paper.arxiv_id == "2403.03853"
    assert paper.version == 2
    assert paper.title == "ShortGPT: Layers in Large Language Models are More Redundant"
    assert paper.abstract == "We find that layers are redundant."
    assert paper.authors == ["Xin Men", "Mingyu Xu"]
    assert (paper.published, paper.updated) == ("2024-03-06", "2024-05-01")
    assert paper.primary_category == "cs.CL"
    assert paper.categories == ["cs.CL", "cs.LG"]
    assert (paper.comment, paper.journal_ref, paper.doi) == ("10 pages", "ACL 2025", "10.1000/xyz")
    assert {"kind": "pdf", "url": "https://arxiv.org/pdf/2403.03853v2"} in paper.links
    # Versions are not sent: the newest version is what gets stored.
    assert arxiv_server.id_lists() == [["2403.03853"]]


def test_250_ids_cost_exactly_3_requests_of_at_most_100(arxiv_server):
    ids = arxiv_server.add_many(250)
    outcomes = fetch_all(ids)
    assert arxiv_server.request_count == 3
    assert [len(ids) for ids in arxiv_server.id_lists()] == [100, 100, 50]
    assert [len(o.papers) for o in outcomes] == [100, 100, 50]
    assert fetched_ids(outcomes) == ids
    assert arxiv_client.requests_needed(250) == 3


def test_batches_are_yielded_before_the_next_request(arxiv_server):
    ids = arxiv_server.add_many(150)
    outcomes = fetch_by_ids(ids)
    next(outcomes)
    assert arxiv_server.request_count == 1
    next(outcomes)
    assert arxiv_server.request_count == 2


def test_duplicates_and_forms_of_one_id_are_fetched_once(arxiv_server):
    arxiv_server.add(FakePaper("2401.15024"))
    outcomes = fetch_all(["2401.15024", "https://arxiv.org/pdf/2401.15024v2", "arXiv:2401.15024"])
    assert fetched_ids(outcomes) == ["2401.15024"]
    assert arxiv_server.id_lists() == [["2401.15024"]]


def test_unknown_id_is_reported_not_found(arxiv_server):
    arxiv_server.add(FakePaper("2401.00001"))
    [outcome] = fetch_all(["2401.00001", "2401.99999"])
    assert fetched_ids([outcome]) == ["2401.00001"]
    assert outcome.not_found == ["2401.99999"]
    assert outcome.invalid == []


def test_old_style_ids_with_subject_class_are_asked_as_arxiv_spells_them(arxiv_server):
    arxiv_server.add(FakePaper("math/0309136"), FakePaper("hep-th/9901001"))
    [outcome] = fetch_all(["math.GT/0309136", "hep-th/9901001v1"])
    assert fetched_ids([outcome]) == ["math/0309136", "hep-th/9901001"]
    assert arxiv_server.id_lists() == [["math/0309136", "hep-th/9901001"]]


def test_503_then_success(arxiv_server, sleeps):
    ids = arxiv_server.add_many(3)
    arxiv_server.fail_next(Fault.http(503))
    outcomes = fetch_all(ids)
    assert fetched_ids(outcomes) == ids
    assert arxiv_server.request_count == 2
    assert len(sleeps) == 1


def test_backoff_doubles_between_retries(arxiv_server, sleeps, monkeypatch):
    monkeypatch.setenv("LLMKB_ARXIV_BACKOFF", "0.5")
    ids = arxiv_server.add_many(1)
    arxiv_server.fail_next(Fault.http(502), Fault.http(503), Fault.http(500))
    assert fetched_ids(fetch_all(ids)) == ids
    assert sleeps == [0.5, 1.0, 2.0]


def test_timeout_then_success(arxiv_server, sleeps, monkeypatch):
    monkeypatch.setenv("LLMKB_ARXIV_TIMEOUT", "0.2")
    ids = arxiv_server.add_many(2)
    arxiv_server.fail_next(Fault.hang())
    assert fetched_ids(fetch_all(ids)) == ids
    assert arxiv_server.request_count == 2


def test_dropped_connection_then_success(arxiv_server, sleeps):
    ids = arxiv_server.add_many(2)
    arxiv_server.fail_next(Fault.dropped())
    assert fetched_ids(fetch_all(ids)) == ids
    assert arxiv_server.request_count == 2


def test_truncated_body_is_a_failed_attempt(arxiv_server, sleeps):
    ids = arxiv_server.add_many(20)
    arxiv_server.fail_next(Fault.truncated())
    outcomes = fetch_all(ids)
    # The lenient parser would have returned the first half; the retry returns all of them.
    assert fetched_ids(outcomes) == ids
    assert arxiv_server.request_count == 2


def test_html_error_page_with_status_200_is_a_failed_attempt(arxiv_server, sleeps):
    ids = arxiv_server.add_many(2)
    arxiv_server.fail_next(Fault("status", 200, {}, b"<html><body>Service busy</body></html>"))
    assert fetched_ids(fetch_all(ids)) == ids
    assert arxiv_server.request_count == 2


def test_429_honours_retry_after(arxiv_server, sleeps, monkeypatch):
    monkeypatch.setenv("LLMKB_ARXIV_BACKOFF", "0.01")
    ids = arxiv_server.add_many(2)
    arxiv_server.fail_next(Fault.http(429, retry_after="7"))
    assert fetched_ids(fetch_all(ids)) == ids
    assert sleeps == [7.0]


def test_429_with_http_date_retry_after(arxiv_server, sleeps):
    ids = arxiv_server.add_many(1)
    arxiv_server.fail_next(Fault.http(429, retry_after="Wed, 21 Oct 2015 07:28:00 GMT"))
    assert fetched_ids(fetch_all(ids)) == ids
    assert sleeps == [0.0]


def test_400_for_a_batch_isolates_the_bad_id_and_fetches_the_rest(arxiv_server, sleeps):
    ids = arxiv_server.add_many(40)
    arxiv_server.refused.add(ids[17])
    [outcome] = fetch_all(ids)
    assert outcome.invalid == [ids[17]]
    assert sorted(p.arxiv_id for p in outcome.papers) == sorted(set(ids) - {ids[17]})
    assert outcome.not_found == []
    assert sleeps == []  # a 400 is never retried as such
    # Bisection: about 2 * log2(40) requests, not one per ID.
    assert arxiv_server.request_count <= 13


def test_400_isolates_several_bad_ids(arxiv_server):
    ids = arxiv_server.add_many(8)
    arxiv_server.refused.update({ids[0], ids[7]})
    [outcome] = fetch_all(ids)
    assert sorted(outcome.invalid) == [ids[0], ids[7]]
    assert len(outcome.papers) == 6


def test_exhausted_retries_name_the_unfetched_ids(arxiv_server, sleeps, monkeypatch):
    monkeypatch.setenv("LLMKB_ARXIV_RETRIES", "2")
    ids = arxiv_server.add_many(150)
    outcomes = fetch_by_ids(ids)
    first = next(outcomes)
    arxiv_server.fail_next(Fault.http(503), Fault.http(503), Fault.http(503))
    with pytest.raises(ArxivFetchError) as excinfo:
        next(outcomes)
    error = excinfo.value
    assert isinstance(error, NetworkError)
    assert len(first.papers) == 100
    assert error.unfetched == ids[100:]
    message = str(error)
    assert "HTTP 503" in message and "3 tries" in message
    assert ids[100] in message and "and 30 more" in message
    assert "\n" not in message
    assert arxiv_server.request_count == 4


def test_failure_after_a_bisection_keeps_what_was_fetched(arxiv_server, sleeps, monkeypatch):
    monkeypatch.setenv("LLMKB_ARXIV_RETRIES", "0")
    ids = arxiv_server.add_many(4)
    # The whole batch is refused, its first half is answered, its second half fails.
    arxiv_server.fail_next(Fault.rejected(), Fault.none(), Fault.http(503))
    outcomes = fetch_by_ids(ids)
    partial = next(outcomes)
    assert fetched_ids([partial]) == ids[:2]
    with pytest.raises(ArxivFetchError) as excinfo:
        next(outcomes)
    assert excinfo.value.unfetched == ids[2:]


def test_unreachable_server_is_a_network_error(monkeypatch, sleeps):
    monkeypatch.setenv("LLMKB_ARXIV_URL", "http://127.0.0.1:9/api/query")
    monkeypatch.setenv("LLMKB_ARXIV_DELAY", "0")
    monkeypatch.setenv("LLMKB_ARXIV_BACKOFF", "0")
    monkeypatch.setenv("LLMKB_ARXIV_RETRIES", "1")
    with pytest.raises(ArxivFetchError) as excinfo:
        fetch_all(["2401.00001"])
    assert "cannot reach arXiv" in str(excinfo.value)
    assert excinfo.value.unfetched == ["2401.00001"]
    assert len(sleeps) == 1


def test_404_from_a_wrong_endpoint_is_not_retried(arxiv_server, sleeps, monkeypatch):
    monkeypatch.setenv("LLMKB_ARXIV_URL", arxiv_server.url.replace("/api/query", "/nope"))
    with pytest.raises(ArxivFetchError) as excinfo:
        fetch_all(["2401.00001"])
    assert "HTTP 404" in str(excinfo.value)
    assert sleeps == []


def test_bad_setting_is_a_usage_error(arxiv_server, monkeypatch):
    monkeypatch.setenv("LLMKB_ARXIV_DELAY", "soon")
    with pytest.raises(UsageError, match="LLMKB_ARXIV_DELAY"):
        fetch_all(["2401.00001"])


def test_on_request_sees_every_attempt(arxiv_server, sleeps):
    ids = arxiv_server.add_many(1)
    arxiv_server.fail_next(Fault.http(503))
    urls = []
    list(fetch_by_ids(ids, on_request=urls.append))
    assert len(urls) == 2
    assert all(u.startswith(arxiv_server.url + "?") and "id_list=2401.00001" in u for u in urls)


def test_search_pages_through_results(arxiv_server):
    ids = arxiv_server.add_many(250)
    arxiv_server.add(FakePaper("2402.00001", title="Something else entirely"))
    pages = list(search('ti:"Paper number"', 230))
    assert [len(p) for p in pages] == [100, 100, 30]
    assert [p.arxiv_id for page in pages for p in page] == ids[:230]
    starts = [q.split("start=")[1].split("&")[0] for q in arxiv_server.requests]
    assert starts == ["0", "100", "200"]


def test_search_stops_when_results_run_out(arxiv_server):
    ids = arxiv_server.add_many(120)
    pages = list(search("ti:paper", 1000))
    assert [p.arxiv_id for page in pages for p in page] == ids
    assert arxiv_server.request_count == 2


def test_search_with_no_hits_yields_nothing(arxiv_server):
    arxiv_server.add_many(3)
    assert list(search("ti:nonexistent", 10)) == []
    assert arxiv_server.request_count == 1


def test_search_retries_a_failed_page(arxiv_server, sleeps):
    arxiv_server.add_many(150)
    pages = search("ti:paper", 150)
    next(pages)
    arxiv_server.fail_next(Fault.http(503))
    assert len(next(pages)) == 50
    assert arxiv_server.request_count == 3


def test_search_title_exact_phrase(arxiv_server):
    arxiv_server.add(
        FakePaper("1503.02531", title="Distilling the Knowledge in a Neural Network"),
        FakePaper("2401.00002", title="Knowledge Distillation: A Survey"),
    )
    hits = search_title("Distilling the Knowledge in a Neural Network")
    assert [h.arxiv_id for h in hits] == ["1503.02531"]
    assert arxiv_server.request_count == 1


def test_search_title_falls_back_to_all_words(arxiv_server):
    arxiv_server.add(FakePaper("1706.03762", title="Attention Is All You Need"))
    hits = search_title("Attention is all we need?")
    assert hits == []
    hits = search_title("Attention: All You Need, Is")
    assert [h.arxiv_id for h in hits] == ["1706.03762"]
    assert 'ti:"Attention All You Need Is"' in _unquoted(arxiv_server.requests[-2])


def _unquoted(query):
    from urllib.parse import unquote_plus

    return unquote_plus(query)


def test_query_arxiv_rejects_is_a_usage_error(arxiv_server, sleeps):
    arxiv_server.fail_next(Fault.rejected("ti:("))
    with pytest.raises(UsageError, match="rejected the query"):
        list(search("ti:(", 10))
    assert sleeps == []
