"""The input limits every import command takes: item size, nesting depth, gzip ratio."""

from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from procwatch.importers.inputs import InputLimits

# The defaults of procwatch.importers.inputs.InputLimits, repeated here so that --help shows
# them without importing the importers; tests/cli/test_import_limits.py checks they agree.
MAX_ITEM_MB = 64
MAX_DEPTH = 64
MAX_RATIO = 200

MaxDepth = Annotated[
    int,
    typer.Option(
        "--max-depth",
        min=1,
        help="Deepest nesting of JSON arrays and objects accepted; deeper data is refused.",
    ),
]
MaxRatio = Annotated[
    int,
    typer.Option(
        "--max-ratio",
        min=1,
        help="Most a gzip file (or XLSX workbook) may expand, as a multiple of its size; "
        "beyond it the file is refused as a possible decompression bomb.",
    ),
]


def max_item_option(help_text: str) -> Any:
    """Return the --max-item-mb option, its help saying what an item is for the command."""
    return typer.Option("--max-item-mb", min=1, help=help_text)


def input_limits(max_item_mb: int, max_depth: int, max_ratio: int) -> "InputLimits":
    """Return the limits the options give."""
    from procwatch.importers.inputs import MB, InputLimits

    return InputLimits(max_item_bytes=max_item_mb * MB, max_depth=max_depth, max_ratio=max_ratio)
