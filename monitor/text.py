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
# Footnote markers such as <sup>[1]</sup> or <a href="#_ftn1"><sup>[1]</sup></a>.
_FOOTNOTE = re.compile(r"(?:<a\b[^>]*>\s*)?<sup\b[^>]*>\s*\[\d+\]\s*</sup>(?:\s*</a>)?", re.I)
_LIST_ITEM = re.compile(r"<li\b[^>]*>", re.I)
_BLOCK = re.compile(
    r"</?(?:p|div|br|ul|ol|li|tr|table|h[1-6]|section|article|blockquote|header|footer|dt|dd)\b[^>]*>", re.I
)
_CELL = re.compile(r"</?t[dh]\b[^>]*>", re.I)
_TAG = re.compile(r"<[^>]*>")
_CUT_TAG = re.compile(r"<[^>]*$")  # a fragment cut short inside a tag
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u2009\u202f]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")
# A list item whose text sits in its own block (<li><p>…</p></li>) leaves its bullet on a line alone.
_LONE_BULLET = re.compile(r"^•\n+(?=[^\n•])", re.M)


def html_to_text(fragment: str | None) -> str:
    """Visible text of an HTML fragment: tags stripped, entities decoded, whitespace tidied."""
    if not fragment:
        return ""
    text = _SCRIPT_OR_STYLE.sub(" ", fragment)
    text = _COMMENT.sub(" ", text)
    text = _FOOTNOTE.sub("", text)
    text = _LIST_ITEM.sub("\n• ", text)
    text = _BLOCK.sub("\n", text)
    text = _CELL.sub(" ", text)
    text = _TAG.sub("", text)
    text = _CUT_TAG.sub("", text)
    text = html.unescape(text)
    text = _SPACES.sub(" ", text)
    lines = [line.strip() for line in text.split("\n")]
    text = "\n".join(lines)
    text = _BLANK_LINES.sub("\n\n", text)
    text = _LONE_BULLET.sub("• ", text)
    return re.sub(r"\n(?=\n\n)", "", text).strip()
