"""XML from the network checked for entity tricks before any parser of ours reads it.

Rejected, as ParseError:
- any entity declaration, internal or external (`<!ENTITY lol "…">` nested a few levels deep is the
  "billion laughs" expansion bomb; `<!ENTITY xxe SYSTEM "file:///etc/passwd">` reads files or the
  network; `<!ENTITY % remote SYSTEM "http://…"> %remote;` pulls in a foreign DTD). No feed we read
  needs one: the five predefined entities and numeric references need no declaration;
- a reference to an external entity.

Let through: a DOCTYPE that only names a DTD (`<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD
RSS 0.91//EN" "http://my.netscape.com/…">`, still found on old RSS 0.91 feeds). Nothing here loads it:
expat does not read an external DTD subset unless asked to, and feedparser strips the DOCTYPE before
parsing (tests/test_xmlsafe.py checks that no request for such a DTD is ever made).

How: defusedxml's parser (entities and external references forbidden) reads the document only up to
the start of its root element. Every declaration must come before that point, so the rest, which may
be malformed (feedparser copes with that and reports it), is never parsed twice. When expat cannot
read even the prolog (junk before the XML declaration, an encoding expat lacks), the prolog is
searched for `<!ENTITY` as bytes instead, the same part of the document where feedparser's own
lenient parser would look for declarations.
"""

from __future__ import annotations

import io
import re
from xml.etree.ElementTree import ParseError as XmlSyntaxError

import defusedxml
import defusedxml.ElementTree

from monitor.errors import ParseError

# The first element's start tag, as feedparser finds it when it splits off the prolog.
_FIRST_ELEMENT = re.compile(rb"<\w")
_ENTITY_DECLARATION = re.compile(rb"<!ENTITY\s+(%\s+)?([^\s>]+)", re.I)
# What follows an external entity's name: SYSTEM "uri", or PUBLIC "id" "uri".
_EXTERNAL_ID = re.compile(rb"""\s*(?:SYSTEM|PUBLIC\s+["'][^"']*["'])\s+["']([^"'>]*)""", re.I)

PREFIX = "XML med entitetsdeklarationer avvisas"


def check_xml(content: bytes, where: str) -> None:
    """Raise ParseError when `content` declares entities or refers to external ones; else return.

    `where` names the document in the message (its URL). Nothing is returned: the bytes are
    handed on unchanged, so the parser that reads them sees exactly what was checked.
    """
    try:
        for _event, _element in defusedxml.ElementTree.iterparse(
            io.BytesIO(content),
            events=("start",),
            forbid_dtd=False,
            forbid_entities=True,
            forbid_external=True,
        ):
            return  # the root element has started: no declaration can follow
    except defusedxml.EntitiesForbidden as exc:
        raise ParseError(_entity_message(where, exc.name, exc.sysid)) from None
    except defusedxml.ExternalReferenceForbidden as exc:
        raise ParseError(
            f"{PREFIX}: {where}: dokumentet hänvisar till en extern entitet ({exc.sysid}); "
            "sådant läses aldrig (skydd mot XXE)"
        ) from None
    except (XmlSyntaxError, ValueError, LookupError):
        pass  # expat could not read the prolog: look at it as bytes below
    head = content[: m.start()] if (m := _FIRST_ELEMENT.search(content)) else content
    found = _ENTITY_DECLARATION.search(head)
    if found:
        name = found.group(2).decode("ascii", "replace")
        external = _EXTERNAL_ID.match(head, found.end())
        system_id = external.group(1).decode("ascii", "replace") if external else None
        raise ParseError(_entity_message(where, name, system_id))


def _entity_message(where: str, name: str, system_id: str | None) -> str:
    if system_id is not None:
        what = f"entiteten '{name}' pekar på en extern resurs ({system_id}; skydd mot XXE)"
    else:
        what = f"entiteten '{name}' deklareras i dokumentet (skydd mot entitetsexpansion, 'billion laughs')"
    return f"{PREFIX}: {where}: {what}"
