"""lint asks arXiv like import-list does, ceil(N/100) requests for N IDs, keeps every answer in the user's
database so a second run asks nothing, asks again once answers are older than --max-age, asks nothing
offline, and goes on without arXiv when it cannot be reached."""

from __future__ import annotations

from arxiv_server import Fault


def _big_list(tmp_path, ids):
    lines = ["# Papers", "", "## Many", ""] + [f"- [Paper number {i}](https://arxiv.org/abs/{i})" for i in ids]
    path = tmp_path / "big.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def test_250_ids_take_3_requests_and_a_second_run_takes_none(cli, tmp_path, arxiv_server):
    ids = arxiv_server.add_many(250)
    path = _big_list(tmp_path, ids)
    first = cli("lint", path)
    assert first.exit_code == 0, first.stderr
    assert arxiv_server.request_count == 3
    assert [len(batch) for batch in arxiv_server.id_lists()] == [100, 100, 50]
    assert "arXiv: 250 IDs, 0 cached, 3 requests" in first.stderr
    again = cli("lint", path)
    assert again.exit_code == 0
    assert arxiv_server.request_count == 3
    assert "arXiv: 250 IDs, 250 cached, 0 requests" in again.stderr
    stale = cli("lint", "--max-age", "0", path)
    assert stale.exit_code == 0
    assert arxiv_server.request_count == 6


def test_offline_asks_nothing(cli, tmp_path, arxiv_server):
    path = _big_list(tmp_path, arxiv_server.add_many(3))
    result = cli("lint", "--offline", path)
    assert result.exit_code == 0
    assert arxiv_server.request_count == 0
    assert "offline: arXiv was not asked" in result.stderr


def test_unknown_ids_are_cached_too(cli, tmp_path, arxiv_server):
    path = _big_list(tmp_path, ["2401.00001", "2401.00002"])
    arxiv_server.add_many(1)
    first = cli("lint", path)
    assert first.exit_code == 1
    assert "LK102 arXiv has no paper 2401.00002" in first.stdout
    again = cli("lint", path)
    assert arxiv_server.request_count == 1
    assert again.stdout == first.stdout


def test_unreachable_arxiv_leaves_the_offline_checks_and_says_what_was_skipped(cli, tmp_path, arxiv_server):
    arxiv_server.fail_next(*[Fault.http(503)] * 10)
    path = _big_list(tmp_path, ["2313.00001", "2401.00001"])
    result = cli("lint", path)
    assert "LK103" in result.stdout  # an impossible ID needs no network
    assert "arXiv could not be asked (arXiv answered HTTP 503" in result.stderr
    assert "LK102" not in result.stdout
    assert result.exit_code == 1


def test_cached_answers_serve_an_offline_run(cli, tmp_path, arxiv_server):
    path = _big_list(tmp_path, ["2401.00002"])
    assert cli("lint", path).exit_code == 1
    offline = cli("lint", "--offline", path)
    assert "LK102" in offline.stdout
    assert "1 cached answer used" in offline.stderr
    assert arxiv_server.request_count == 1
