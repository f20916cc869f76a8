"""html_to_text: the visible text of the small HTML fragments sources put in their fields."""

from __future__ import annotations

import pytest

from monitor.text import html_to_text


@pytest.mark.parametrize("empty", [None, "", "   ", "<p></p>", "<p>&nbsp;</p>"])
def test_nothing_visible_gives_empty_text(empty: str | None):
    assert html_to_text(empty) == ""


def test_plain_text_is_kept():
    assert html_to_text("Town twinning 2027") == "Town twinning 2027"


@pytest.mark.parametrize(
    ("fragment", "text"),
    [
        ("Research &amp; innovation", "Research & innovation"),
        ("the Union&#8217;s values", "the Union’s values"),
        ("the Union&rsquo;s values", "the Union’s values"),
        ("&quot;Climate-ADAPT&quot;", '"Climate-ADAPT"'),
        ("EUR&nbsp;60&nbsp;000", "EUR 60 000"),
        ("EUR&#160;60&#xa0;000", "EUR 60 000"),
        ("Kommun&ouml;verskridande", "Kommunöverskridande"),
    ],
)
def test_entities_are_decoded(fragment: str, text: str):
    assert html_to_text(fragment) == text


def test_no_break_spaces_become_plain_spaces_and_runs_collapse():
    text = html_to_text("A&nbsp;&nbsp; \t&nbsp;B\u00a0\u202fC")
    assert text == "A B C"
    assert "\u00a0" not in text


def test_escaped_markup_is_text_not_a_tag():
    assert html_to_text("towns &lt;b&gt;under&lt;/b&gt; 20 000") == "towns <b>under</b> 20 000"
    assert html_to_text("small towns (&lt; 20&nbsp;000 inhabitants)") == "small towns (< 20 000 inhabitants)"


@pytest.mark.parametrize(
    "fragment",
    [
        "objectives<sup>[1]</sup>.",
        "objectives<sup> [12] </sup>.",
        'objectives<a href="#_ftn1" name="_ftnref1"><sup>[1]</sup></a>.',
        'objectives<A HREF="#_ftn1"><SUP class="x">[1]</SUP></A>.',
    ],
)
def test_footnote_markers_are_dropped(fragment: str):
    assert html_to_text(fragment) == "objectives."


def test_footnote_text_itself_stays():
    text = html_to_text('<p>goal<sup>[1]</sup>.</p><p><a href="#_ftnref1">[1]</a> COM(2021) 82 final.</p>')
    assert text == "goal.\n\n[1] COM(2021) 82 final."


def test_other_superscripts_are_kept_as_text():
    assert html_to_text("100 m<sup>2</sup> and CO<sub>2</sub>") == "100 m2 and CO2"


def test_inline_tags_do_not_split_words():
    assert html_to_text("municipal<span>ities</span> and <strong>local</strong> <em>authorities</em>") == (
        "municipalities and local authorities"
    )


def test_paragraphs_are_separated_by_one_blank_line():
    text = html_to_text('<p class="topicdescriptionkind">Scope:</p>\n\n\n<p>First.</p><p></p><p>Second.</p>')
    assert text == "Scope:\n\nFirst.\n\nSecond."


def test_line_breaks_and_headings_start_new_lines():
    assert html_to_text("one<br>two<br/>three<BR />four") == "one\ntwo\nthree\nfour"
    assert html_to_text("<h3>Expected Impact:</h3>Stronger links") == "Expected Impact:\nStronger links"


def test_list_items_become_bullet_lines():
    text = html_to_text(
        "<p>Topics:</p><ul><li>town twinning;</li><li>networks of towns.</li></ul><p>End.</p>"
    )
    lines = [line for line in text.split("\n") if line]
    assert lines == ["Topics:", "• town twinning;", "• networks of towns.", "End."]


def test_list_item_with_a_paragraph_inside_keeps_bullet_and_text_together():
    text = html_to_text('<ul level="0"><li><p>youth exchange</p></li><li>\n  <p>volunteering</p>\n</li></ul>')
    lines = [line for line in text.split("\n") if line]
    assert lines == ["• youth exchange", "• volunteering"]


def test_table_cells_are_separated_by_spaces():
    text = html_to_text(
        "<table><tr><th>Country</th><th>Rate</th></tr><tr><td>SE</td><td>90&nbsp;%</td></tr></table>"
    )
    assert [line for line in text.split("\n") if line] == ["Country Rate", "SE 90 %"]


def test_scripts_styles_and_comments_are_dropped():
    fragment = "<style>p{color:red}</style>Before<!-- a\ncomment --> after<script>alert('x')</script>"
    assert html_to_text(fragment) == "Before after"


def test_fragment_cut_inside_a_tag_loses_only_the_cut_tag():
    text = html_to_text('<p>the EU Soil Strategy for 2030</a> and the <a href="https://environme')
    assert text == "the EU Soil Strategy for 2030 and the"


def test_fragment_cut_inside_an_entity_does_not_crash():
    assert html_to_text("towns &amp") == "towns &"
    assert html_to_text("towns &nbs").startswith("towns")


def test_no_tags_survive_in_a_portal_like_description():
    fragment = (
        '<p class="topicdescriptionkind">Expected Outcome:</p><p>Municipalities&nbsp;&amp; regions'
        '<a href="#_ftn1"><sup>[1]</sup></a>:</p><ul level="0"><li>plans;</li><li>'
        '<span style="font-size:11pt">pilots</span></li></ul><div><br></div>'
    )
    text = html_to_text(fragment)
    assert [line for line in text.split("\n") if line] == [
        "Expected Outcome:",
        "Municipalities & regions:",
        "• plans;",
        "• pilots",
    ]
    assert "<" not in text and "&" not in text.replace("& regions", "")
