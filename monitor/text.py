"""Plain text out of the little HTML that sources put in their fields.

Regular expressions instead of an HTML parser on purpose: the portal's descriptions are simple,
well-formed fragments, and a full parser per field made a cold collect of 20,000 topics several
times slower (see bench/collect.py). Pages that need real parsing use BeautifulSoup.
"""

from __future__ import annotations

import html
import re

_SCRIPT_OR_STYLE = re.compile(r"<(script|style)\b.*?</\1\s*>", re.S | re.I)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
# Footnote markers such as <sup>[1]</sup> or <a href="#_ftn1"><sup>[1]</sup></a>. The pattern starts
# with a literal '<' so that the regex engine can jump between tags instead of trying every character.
_FOOTNOTE = re.compile(r"<(?:a\b[^>]*>\s*<)?sup\b[^>]*>\s*\[\d+\]\s*</sup>(?:\s*</a>)?", re.I)
_LIST_ITEM = re.compile(r"<li\b[^>]*>", re.I)
_BLOCK = re.compile(
    r"</?(?:p|div|br|ul|ol|li|tr|table|h[1-6]|section|article|blockquote|header|footer|dt|dd)\b[^>]*>", re.I
)
_CELL = re.compile(r"</?t[dh]\b[^>]*>", re.I)
_TAG = re.compile(r"<[^>]*>")
_CUT_TAG = re.compile(r"<[^>]*$")  # a fragment cut short inside a tag
_ODD_BLANKS = ("\t", "\r", "\f", "\v", "\u00a0", "\u2009", "\u202f")
_BLANK_LINES = re.compile(r"\n\n\n+")
# A list item whose text sits in its own block (<li><p>…</p></li>) leaves its bullet on a line alone.
_LONE_BULLET = re.compile(r"^•\n+(?=[^\n•])", re.M)


def html_to_text(fragment: str | None) -> str:
    """Visible text of an HTML fragment: tags stripped, entities decoded, whitespace tidied."""
    if not fragment:
        return ""
    if "<" not in fragment and "&" not in fragment and "\n" not in fragment:
        return " ".join(fragment.split())  # plain text already, as titles mostly are
    # Each step runs only when a cheap substring test says it can match: on 20,000 topics this
    # is most of the difference between a collect that keeps up with the network and one that doesn't.
    lower = fragment.lower()
    text = fragment
    if "<script" in lower or "<style" in lower:
        text = _SCRIPT_OR_STYLE.sub(" ", text)
    if "<!--" in text:
        text = _COMMENT.sub(" ", text)
    if "<sup" in lower:
        text = _FOOTNOTE.sub("", text)
    if "<li" in lower:
        text = _LIST_ITEM.sub("\n• ", text)
    if "<" in text:
        text = _BLOCK.sub("\n", text)
        if "<t" in lower:
            text = _CELL.sub(" ", text)
        text = _TAG.sub("", text)
        if "<" in text:
            text = _CUT_TAG.sub("", text)
    if "&" in text:
        text = html.unescape(text)
    for blank in _ODD_BLANKS:
        if blank in text:
            text = text.replace(blank, " ")
    while "  " in text:  # str.replace halves every run per pass; a regex here was ten times slower
        text = text.replace("  ", " ")
    text = "\n".join(line.strip() for line in text.split("\n"))
    if "\n\n\n" in text:
        text = _BLANK_LINES.sub("\n\n", text)
    if "•\n" in text:
        text = _LONE_BULLET.sub("• ", text)
    return text.strip()


# --- whole pages: decoding and change summaries -----------------------------------------------

_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?([^"';,\s]+)""", re.I)
# Labels that browsers (WHATWG Encoding) decode as windows-1252: Swedish pages declared ISO-8859-1
# often hold cp1252's quotes and dashes in 0x80–0x9F, which Python's latin-1 would turn into controls.
_AS_WINDOWS_1252 = frozenset({"iso8859-1", "ascii", "cp1252"})


def _codec(label: str | None) -> str | None:
    """Python's codec for a charset label, or None when the label names no encoding we know."""
    if not label:
        return None
    import codecs

    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
    except LookupError:
        return None
    return "cp1252" if name in _AS_WINDOWS_1252 else name


def decode_markup(content: bytes, headers: dict[str, str]) -> str:
    """An HTML (or XML) page's bytes as text, by its declared charset, else by detection.

    Order, as browsers do it (WHATWG "encoding sniffing"): a byte-order mark; the charset of the
    HTTP Content-Type header; a <meta charset>, <meta http-equiv> or XML prolog near the top; else
    detection, which tries UTF-8 first (valid UTF-8 is almost never anything else) and falls back to
    windows-1252. A BOM goes before the header because it is proof of what the bytes are, where the
    header is often a server default. Bytes a declared charset cannot decode become U+FFFD; nothing
    is ever re-guessed, which is what turns 'å' into 'Ã¥'.
    """
    from bs4.dammit import EncodingDetector, UnicodeDammit

    body, bom = EncodingDetector.strip_byte_order_mark(content)
    if bom:
        return body.decode(bom, errors="replace")
    content_type = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
    found = _HEADER_CHARSET.search(content_type)
    codec = _codec(found.group(1)) if found else None
    if codec is None:
        declared = EncodingDetector.find_declared_encoding(content, is_html=True)
        codec = _codec(declared)
        if codec is not None and codec.replace("_", "-").startswith(("utf-16", "utf-32")):
            codec = "utf-8"  # a page readable enough to declare itself in ASCII is not UTF-16 (WHATWG)
    if codec is not None:
        return content.decode(codec, errors="replace")
    # Nothing declared: UnicodeDammit tries UTF-8 first (strictly), then a detector if one is
    # installed, then windows-1252. A Latin-1 verdict is read as windows-1252, as browsers do.
    dammit = UnicodeDammit(content, known_definite_encodings=["utf-8"], is_html=True)
    detected = _codec(dammit.original_encoding)
    if dammit.unicode_markup is not None and detected not in (None, "cp1252"):
        return dammit.unicode_markup
    return content.decode("cp1252", errors="replace")


# A sentence ends at . ! ? before a capital letter (not before a digit: "kl. 16.00", "ca. 5 000").
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'”»(]?[A-ZÅÄÖÆØÉÜ])")
_QUOTE = "”"
_MIN_SECTION = 70  # room every kind of change gets, however much another kind has to say


def _units(text: str) -> list[str]:
    """Lines, and the sentences within them, whitespace-normalised: what a change is counted in."""
    units = []
    for line in text.splitlines():
        line = " ".join(line.split())
        if line:
            units.extend(part for part in _SENTENCE_END.split(line) if part)
    return units


def _shorten(text: str, room: int) -> str:
    """`text` cut to at most `room` characters, at a word where one is near, marked with '…'."""
    if len(text) <= room:
        return text
    if room <= 1:
        return "…"[:room]
    cut = text[: room - 1]
    if " " in cut[room // 2 :]:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:") + "…"


def _changed_words(old: str, new: str, context: int = 1) -> tuple[str, str]:
    """The differing words of two similar sentences, with a word around them."""
    import difflib

    a, b = old.split(), new.split()
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    blocks = [op for op in matcher.get_opcodes() if op[0] != "equal"]
    if not blocks:
        return old, new
    first, last = blocks[0], blocks[-1]

    def span(words: list[str], start: int, end: int) -> str:
        lo, hi = max(0, start - context), min(len(words), end + context)
        return ("… " if lo > 0 else "") + " ".join(words[lo:hi]) + (" …" if hi < len(words) else "")

    return span(a, first[1], last[2]), span(b, first[3], last[4])


def _quoted(text: str) -> str:
    return _QUOTE + text + _QUOTE


def _section(label: str, items: list[str | tuple[str, str]], room: int) -> str:
    """'Label: item item …' in at most `room` characters; the item that does not fit is cut.

    An item is a sentence, or an (old words, new words) pair shown as '”old” → ”new”'; cut short,
    a pair keeps its new words.
    """
    text = f"{label}:"
    for n, item in enumerate(items):
        left = room - len(text) - 1
        if isinstance(item, tuple):
            shown, new = f"{_quoted(item[0])} → {_quoted(item[1])}", f"→ {_quoted(item[1])}"
        else:
            shown = new = _quoted(item)
        if len(shown) <= left:
            text += " " + shown
            continue
        if len(new) <= left:
            text += " " + new
        elif left >= 12:
            text += " " + _shorten(new, left - 1) + _QUOTE
        elif n and room - len(text) >= 2:
            text += " …"
        break
    return text


def summarize_change(old: str, new: str, limit: int = 300) -> str:
    """A short Swedish account of how a page's text changed, e.g. 'Tillagt: ”…”; Borttaget: ”…”'.

    Pure. The texts are compared sentence by sentence (difflib), so a reflowed paragraph or other
    whitespace is no change. New sentences are 'Tillagt', sentences gone 'Borttaget', and a sentence
    in which a few words changed is 'Ändrat: ”old words” → ”new words”' with a little context.
    Sentences that only moved are left out. Each kind gets some room; what is new gets the rest
    first. Empty when nothing changed; never longer than `limit` characters.
    """
    import difflib

    before, after = _units(old), _units(new)
    if before == after:
        return ""
    added: list[str] = []
    removed: list[str] = []
    changed: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        olds, news = before[i1:i2], after[j1:j2]
        if tag == "replace" and len(olds) == len(news):
            for was, now in zip(olds, news, strict=True):
                if difflib.SequenceMatcher(a=was.split(), b=now.split(), autojunk=False).ratio() >= 0.5:
                    changed.append(_changed_words(was, now))
                else:
                    removed.append(was)
                    added.append(now)
        elif tag != "equal":
            removed.extend(olds)
            added.extend(news)
    moved = set(added) & set(removed)
    added = [u for u in added if u not in moved]
    removed = [u for u in removed if u not in moved]
    if not (added or removed or changed):
        return _shorten("Samma text i ny ordning.", limit)

    sections: list[tuple[str, list[str | tuple[str, str]]]] = [
        (label, items)
        for label, items in (
            ("Tillagt", list[str | tuple[str, str]](added)),
            ("Ändrat", list[str | tuple[str, str]](changed)),
            ("Borttaget", list[str | tuple[str, str]](removed)),
        )
        if items
    ]
    room = limit - 2 * (len(sections) - 1)
    full = [len(_section(label, items, 10**9)) for label, items in sections]
    budget = [min(size, _MIN_SECTION) for size in full]
    if sum(budget) > room:
        budget = [room // len(sections)] * len(sections)
    spare = room - sum(budget)
    for n, size in enumerate(full):  # in order: what is new first
        extra = max(0, min(size - budget[n], spare))
        budget[n] += extra
        spare -= extra
    text = "; ".join(_section(label, items, budget[n]) for n, (label, items) in enumerate(sections))
    return _shorten(text, limit)
