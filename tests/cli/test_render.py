import io
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.table import Table
from rich.text import Text

from procwatch.cli.render import OutputFormat, make_console, write_json_array, write_records

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=4), children, max_size=3)
    ),
    max_leaves=12,
)


@given(items=st.lists(JSON, max_size=5))
def test_a_streamed_array_is_the_text_json_dump_writes(items: list[Any]) -> None:
    streamed = io.StringIO()
    assert write_json_array(iter(items), streamed) == len(items)
    whole = io.StringIO()
    json.dump(items, whole, indent=2, ensure_ascii=False)
    assert streamed.getvalue() == whole.getvalue() + "\n"


@given(items=st.lists(st.dictionaries(st.text(max_size=4), JSON, max_size=3), max_size=5))
def test_newline_delimited_json_is_one_record_a_line(items: list[dict[str, Any]]) -> None:
    handle = io.StringIO()
    assert write_records(iter(items), OutputFormat.nl, handle) == len(items)
    lines = handle.getvalue().split("\n")
    assert lines[-1] == ""
    assert [json.loads(line) for line in lines[:-1]] == items


def test_the_console_prints_no_control_character() -> None:
    handle = io.StringIO()
    console = make_console(handle)
    table = Table(title="t")
    table.add_column("Vendor")
    table.add_row(Text("Evil\x1b[2J\x1b]0;owned\x07 \u202eCorp\x9b31m [bold]x[/x]"))
    console.print(table)
    console.print(Text("bell\x07 and esc\x1b[31m"))
    printed = handle.getvalue()
    assert not any((0x00 <= ord(c) < 0x20 and c != "\n") or 0x7F <= ord(c) < 0xA0 for c in printed)
    assert "\u202e" not in printed
    assert "Evil[2J]0;owned Corp31m [bold]x[/x]" in printed
    assert "bell and esc[31m" in printed


def test_styles_still_reach_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    # The control filter removes data's escapes, not the ones Rich writes for styles.
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    handle = io.StringIO()
    console = make_console(handle)
    console.print(Text("red", style="red"))
    assert "\x1b[31mred\x1b[0m" in handle.getvalue()
