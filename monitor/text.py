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
