import html
import re
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Connection, insert

from procwatch import tables
from procwatch.resolve import name_key
from procwatch.screening.markdown import md, report_markdown
from procwatch.screening.report import LEVEL_RULE, check_vendor
from procwatch.screening.view import NOT_A_CLEARANCE
from tests.golden import assert_golden

CONTROLS = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")

# Golden reports say when they were made: the fixed clock keeps them the same each day.
pytestmark = pytest.mark.usefixtures("fixed_clock")


def test_markdown_report_on_nuctech(connection: Connection, db_url: str) -> None:
    report = check_vendor(connection, "Nuctech", today=date(2025, 6, 1))
    assert_golden("check-nuctech.md", report_markdown(report), url=db_url)


def test_markdown_report_for_a_polish_buyer_before_the_raids(
    connection: Connection, db_url: str
) -> None:
    report = check_vendor(connection, "Nuctech", as_of="2024-03-15", for_country="PL")
    text = report_markdown(report)
    assert "**Level: HIGH** (as of 2024-03-15, for a buyer in Poland (PL))." in text
    assert "| Poland (PL) | buyer's country | contracted 2024-03 |" in text
    assert_golden("check-nuctech-pl-2024-03-15.md", text, url=db_url)


def test_markdown_states_the_level_rule(connection: Connection) -> None:
    text = report_markdown(check_vendor(connection, "Nuctech", as_of="2019"))
    for level, rule in LEVEL_RULE:
        assert f"- **{level}**: {rule}" in text


def test_markdown_for_nothing_known(connection: Connection) -> None:
    connection.execute(
        insert(tables.vendors).values(
            key="acme", name="Acme Scanners Ltd", name_key=name_key("Acme Scanners")
        )
    )
    text = report_markdown(check_vendor(connection, "Acme Scanners"))
    assert text.startswith("# Due-diligence check: Acme Scanners Ltd\n\n**Level: NONE** (as of")
    assert NOT_A_CLEARANCE in text
    assert "## Jurisdictions" not in text and "## Sources" not in text


SAFE_TEXT = st.text(
    alphabet=st.sampled_from(list("ab 1.#>-+=*_`[]()!<>&|~$\\:/\"'")) | st.characters(),
    max_size=30,
)


@given(text=SAFE_TEXT)
def test_data_renders_as_the_text_it_is(text: str) -> None:
    # A CommonMark renderer (markdown-it, as Rich uses) shows escaped data as plain text:
    # no tag, link, emphasis, code, heading or list, whatever the data holds.
    from markdown_it import MarkdownIt

    renderer = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    # Line breaks become spaces (data stays on its line), other controls go.
    spaced = re.sub("[\r\n\x0b\x0c\x85\u2028\u2029]", " ", text)
    shown = " ".join(CONTROLS.sub("", spaced).split())
    rendered = " ".join(renderer.render(f"x {md(text)}").split())
    escaped = html.escape(shown, quote=False).replace('"', "&quot;")
    assert rendered == " ".join(f"<p>x {escaped}</p>".split()).replace("<p>x </p>", "<p>x</p>")
