"""monitor.http against real servers on 127.0.0.1: retries, Retry-After, size cap, time bound."""

from __future__ import annotations

import json
import time
from collections.abc import Callable

import httpx
import pytest
from helpers import free_port, many_results, sedia_result, streaming_server

from monitor import __version__
from monitor.demo.sedia_server import Reply, SediaServer
from monitor.errors import FetchError
from monitor.http import RetryPolicy, make_client, request

Start = Callable[..., SediaServer]
QUERY = {"bool": {"must": [{"terms": {"status": ["31094502"]}}]}}


def parts(query: dict = QUERY) -> dict[str, tuple[str, bytes, str]]:
    return {
        "query": ("blob", json.dumps(query).encode(), "application/json"),
        "languages": ("blob", b'["en"]', "application/json"),
    }


def search_url(server: SediaServer, page_size: int = 100, page: int = 1) -> str:
    return f"{server.url}?apiKey=SEDIA&text=***&pageSize={page_size}&pageNumber={page}"


def policy(**kwargs: object) -> tuple[RetryPolicy, list[float]]:
    """A policy that records its waits instead of sleeping them."""
    waits: list[float] = []
    kwargs.setdefault("backoff", 0.01)
    return RetryPolicy(sleep=waits.append, **kwargs), waits  # type: ignore[arg-type]


def test_client_sends_user_agent_with_contact() -> None:
    with make_client("eu@example.se", timeout=5) as client:
        agent = client.headers["User-Agent"]
    assert agent.startswith(f"eumonitor/{__version__} ")
    assert "contact eu@example.se" in agent
    with make_client() as client:
        assert "contact" not in client.headers["User-Agent"]


def test_file_parts_get_an_answer(sedia: Start) -> None:
    server = sedia([sedia_result("CERV-2027-CITIZENS-TOWN-TT"), sedia_result("X-1", status="31094503")])
    rules, waits = policy()
    with make_client() as client:
        fetched = request(client, "POST", search_url(server), rules, page=1, files=parts())
    document = fetched.json()
    assert fetched.status == 200 and fetched.page == 1
    assert document["totalResults"] == 1
    assert document["results"][0]["metadata"]["identifier"] == ["CERV-2027-CITIZENS-TOWN-TT"]
    assert waits == []


def test_plain_form_fields_get_500(sedia: Start) -> None:
    """As the real API: `query` and `languages` as form fields (httpx data=) are refused."""
    server = sedia([sedia_result("CERV-2027-CITIZENS-TOWN-TT")])
    form = {"query": json.dumps(QUERY), "languages": '["en"]'}
    urlencoded = httpx.post(search_url(server), data=form, timeout=5)
    assert urlencoded.status_code == 500
    mixed = httpx.post(
        search_url(server),
        data=form,
        files={"sort": ("blob", b'{"field": "identifier"}', "application/json")},
        timeout=5,
    )
    assert mixed.status_code == 500
    assert "file part" in mixed.json()["message"]
    wrong_type = httpx.post(
        search_url(server), files={"query": ("blob", json.dumps(QUERY).encode(), "text/plain")}, timeout=5
    )
    assert wrong_type.status_code == 500


def test_retries_server_errors_then_succeeds(sedia: Start) -> None:
    replies = {1: Reply(500, b"oops"), 2: Reply(503, b"busy")}
    server = sedia(
        [sedia_result("CERV-2027-CITIZENS-TOWN-TT")], fault=lambda page, attempt: replies.get(attempt)
    )
    rules, waits = policy(retries=3, backoff=0.5)
    with make_client() as client:
        fetched = request(client, "POST", search_url(server), rules, files=parts())
    assert fetched.json()["totalResults"] == 1
    assert len(server.requests) == 3
    assert waits == [0.5, 1.0]  # backoff doubles


def test_retry_after_is_honoured_and_capped(sedia: Start) -> None:
    replies = {1: Reply(429, headers={"Retry-After": "7"}), 2: Reply(429, headers={"Retry-After": "9999"})}
    server = sedia([sedia_result("A-1")], fault=lambda page, attempt: replies.get(attempt))
    rules, waits = policy(retries=3, max_retry_after=60)
    with make_client() as client:
        request(client, "POST", search_url(server), rules, files=parts())
    assert waits == [7.0, 60.0]


def test_retry_after_as_http_date(sedia: Start) -> None:
    replies = {1: Reply(503, headers={"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"})}
    server = sedia([sedia_result("A-1")], fault=lambda page, attempt: replies.get(attempt))
    rules, waits = policy(retries=1)
    with make_client() as client:
        request(client, "POST", search_url(server), rules, files=parts())
    assert waits == [0.0]  # a date in the past: try again at once


def test_gives_up_after_the_retries(sedia: Start) -> None:
    server = sedia([], fault=lambda page, attempt: Reply(500, b"down"))
    rules, waits = policy(retries=2)
    with make_client() as client, pytest.raises(FetchError, match=r"HTTP 500; gav upp efter 3 försök"):
        request(client, "POST", search_url(server), rules, files=parts())
    assert len(server.requests) == 3
    assert len(waits) == 2


def test_client_error_is_not_retried(sedia: Start) -> None:
    server = sedia([sedia_result("A-1")])
    rules, waits = policy(retries=3)
    with make_client() as client, pytest.raises(FetchError, match="HTTP 401"):
        request(client, "POST", server.url + "?text=***", rules, files=parts())  # no apiKey
    assert len(server.requests) == 0 and waits == []  # refused before it was logged as a search


def test_connection_refused_is_fetch_error_after_retries() -> None:
    url = f"http://127.0.0.1:{free_port()}/search"
    rules, waits = policy(retries=2)
    with make_client(timeout=5) as client, pytest.raises(FetchError, match="anslutningsfel") as caught:
        request(client, "POST", url, rules, files=parts())
    assert "gav upp efter 3 försök" in str(caught.value)
    assert len(waits) == 2


def test_invalid_url_is_fetch_error() -> None:
    rules, _ = policy()
    with make_client() as client, pytest.raises(FetchError):
        request(client, "GET", "http://[::1/search", rules)


def test_size_cap_with_content_length(sedia: Start) -> None:
    server = sedia(many_results(40))
    rules, waits = policy(max_bytes=2048)
    with make_client() as client, pytest.raises(FetchError, match="max_bytes") as caught:
        request(client, "POST", search_url(server), rules, files=parts({}))
    assert "2,048" in str(caught.value)
    assert len(server.requests) == 1 and waits == []  # too large is final, not retried


def test_size_cap_with_streamed_answer_without_length() -> None:
    with streaming_server(size=1_000_000) as url:
        rules, waits = policy(max_bytes=10_000)
        with make_client(timeout=5) as client, pytest.raises(FetchError, match="max_bytes"):
            request(client, "GET", url, rules)
    assert waits == []


def test_streamed_answer_within_the_cap_is_read_whole() -> None:
    with streaming_server(size=9_000) as url:
        rules, _ = policy(max_bytes=10_000)
        with make_client(timeout=5) as client:
            fetched = request(client, "GET", url, rules)
    assert fetched.content == b"x" * 9_000
    assert "content-length" not in fetched.headers


def test_deadline_already_passed_sends_nothing(sedia: Start) -> None:
    server = sedia([sedia_result("A-1")])
    rules, _ = policy(deadline=time.monotonic() - 1)
    with make_client() as client, pytest.raises(FetchError, match="max_duration"):
        request(client, "POST", search_url(server), rules, files=parts())
    assert server.requests == []


def test_deadline_stops_retries(sedia: Start) -> None:
    """A wait that would end after the deadline is not started: the source gives up at once."""
    server = sedia([], fault=lambda page, attempt: Reply(503))
    rules, waits = policy(retries=5, backoff=30, deadline=time.monotonic() + 10)
    started = time.monotonic()
    with make_client() as client, pytest.raises(FetchError, match="max_duration") as caught:
        request(client, "POST", search_url(server), rules, files=parts())
    assert "HTTP 503" in str(caught.value)
    assert len(server.requests) == 1 and waits == []
    assert time.monotonic() - started < 5
