"""decode_markup: a page's bytes decoded by its declared charset, else detected, never garbling å, ä, ö."""

from __future__ import annotations

import pytest
from helpers import shared_fixtures

from monitor.text import decode_markup

SWEDISH = "Utlysning för Åmål: ansökan öppnar – sista dag är ”15 mars” för föreningar i Dalsland"
PAGES_TEXT = shared_fixtures() / "swedish" / "pages-text"


def page(body: str, head: str = "") -> str:
    head = f"<head>{head}<title>Utlysning</title></head>"
    return f"<!DOCTYPE html><html lang='sv'>{head}<body><p>{body}</p></body></html>"


def test_utf8_without_any_declaration() -> None:
    assert decode_markup(page(SWEDISH).encode("utf-8"), {}) == page(SWEDISH)


@pytest.mark.parametrize("label", ["ISO-8859-1", "iso-8859-1", "latin1", '"iso-8859-1"', "windows-1252"])
def test_latin1_with_its_charset_in_the_header(label: str) -> None:
    content = page(SWEDISH).encode("cp1252")
    assert decode_markup(content, {"Content-Type": f"text/html; charset={label}"}) == page(SWEDISH)


@pytest.mark.parametrize(
    "head",
    [
        '<meta charset="iso-8859-1">',
        "<meta charset=ISO-8859-1>",
        '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">',
        "<META HTTP-EQUIV='content-type' CONTENT='text/html;charset=windows-1252'>",
    ],
)
def test_latin1_declared_in_a_meta_tag(head: str) -> None:
    html = page(SWEDISH, head)
    assert decode_markup(html.encode("cp1252"), {"Content-Type": "text/html"}) == html


def test_latin1_declared_in_an_xml_prolog() -> None:
    xml = f'<?xml version="1.0" encoding="ISO-8859-1"?>\n<rss><title>{SWEDISH}</title></rss>'
    assert decode_markup(xml.encode("cp1252"), {"content-type": "application/rss+xml"}) == xml


def test_iso_8859_1_means_windows_1252_as_in_browsers() -> None:
    # 0x93/0x94 are curly quotes and 0x96 an en dash in windows-1252; Latin-1 proper has control codes there.
    content = b"<p>\x93Hela Fyrbodal\x94 \x96 \xc5m\xe5l</p>"
    text = decode_markup(content, {"Content-Type": "text/html; charset=ISO-8859-1"})
    assert text == "<p>“Hela Fyrbodal” – Åmål</p>"


def test_undeclared_latin1_is_detected() -> None:
    assert decode_markup(page(SWEDISH).encode("cp1252"), {}) == page(SWEDISH)


def test_the_header_wins_over_a_stale_meta_tag() -> None:
    html = page(SWEDISH, '<meta charset="iso-8859-1">')
    assert decode_markup(html.encode("utf-8"), {"Content-Type": "text/html; charset=utf-8"}) == html


def test_a_byte_order_mark_wins_over_the_header() -> None:
    content = "\ufeff".encode() + page(SWEDISH).encode("utf-8")
    assert decode_markup(content, {"Content-Type": "text/html; charset=ISO-8859-1"}) == page(SWEDISH)
    utf16 = "\ufeff".encode("utf-16-le") + page(SWEDISH).encode("utf-16-le")
    assert decode_markup(utf16, {"Content-Type": "text/html"}) == page(SWEDISH)


def test_an_unknown_header_charset_falls_back_to_the_meta_tag() -> None:
    html = page(SWEDISH, '<meta charset="iso-8859-1">')
    assert decode_markup(html.encode("cp1252"), {"Content-Type": "text/html; charset=x-nonsense"}) == html


def test_a_meta_tag_claiming_utf16_on_an_ascii_compatible_page_means_utf8() -> None:
    html = page(SWEDISH, '<meta charset="utf-16">')
    assert decode_markup(html.encode("utf-8"), {}) == html


def test_a_bad_byte_in_a_declared_utf8_page_spoils_only_itself() -> None:
    content = page(SWEDISH).encode("utf-8").replace(b"Dalsland", b"Dals\xe5nd")
    text = decode_markup(content, {"Content-Type": "text/html; charset=utf-8"})
    assert "Dals\ufffdnd" in text
    assert "Utlysning för Åmål: ansökan öppnar" in text  # the rest is not re-guessed as windows-1252


@pytest.mark.conformance
def test_real_page_texts_survive_every_declaration() -> None:
    """The visible text of the real Swedish, Norwegian and Danish pages, in each way a server may send it."""
    if not PAGES_TEXT.is_dir():
        pytest.skip(f"{PAGES_TEXT} is absent (the shared fixtures are not checked out)")
    checked = 0
    for path in sorted(PAGES_TEXT.glob("*.txt")):
        html = page(path.read_text(encoding="utf-8").replace("&", "&amp;").replace("<", "&lt;"))
        assert decode_markup(html.encode("utf-8"), {}) == html, path.name
        try:
            latin1 = html.encode("cp1252")
        except UnicodeEncodeError:
            continue  # characters windows-1252 does not have (e.g. →): no Latin-1 page could hold them
        assert decode_markup(latin1, {"Content-Type": "text/html; charset=iso-8859-1"}) == html, path.name
        assert decode_markup(latin1, {}) == html, path.name
        checked += 1
    assert checked >= 20
