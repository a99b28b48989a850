"""Every `$ procwatch ...` example in README.md and docs/*.md prints what the docs say."""

from pathlib import Path

import pytest

from tests import docs_examples
from tests.conftest import SHARED_DATA


@pytest.mark.parametrize("path", docs_examples.FILES, ids=lambda p: p.name)
def test_examples_print_what_the_docs_say(path: Path) -> None:
    if not docs_examples.blocks(path.read_text(encoding="utf-8").splitlines()):
        pytest.skip(f"{path.name} has no examples")
    if not SHARED_DATA.is_dir():
        pytest.skip(f"the examples read sample data from {SHARED_DATA}, which is absent")
    diff = docs_examples.check(path)
    assert not diff, f"rerun `python -m tests.docs_examples` and review the change:\n{diff}"


def test_normalising_keeps_everything_but_generated_times_and_today() -> None:
    text = (
        "Level: HIGH (as of 2026-12-03)\n"
        "Generated 2026-12-03 09:30:11 UTC by procwatch 0.1.0 from the database procwatch.db.\n"
        "banned 2021-06-30\n"
    )
    assert docs_examples.normalised(text) == (
        "Level: HIGH (as of <today>)\n"
        "Generated <generated> by procwatch 0.1.0 from the database procwatch.db.\n"
        "banned 2021-06-30\n"
    )


def test_a_command_continued_on_the_next_line_is_one_example() -> None:
    lines = ["```", "$ procwatch import measures x.csv \\", "    --country US", "Imported", "```"]
    (block,) = docs_examples.blocks(lines)
    assert [(e.command, e.output) for e in block.examples] == [
        ("procwatch import measures x.csv \\\n    --country US", ["Imported"])
    ]
