from pathlib import Path

import pytest

from procwatch.errors import OutputError
from procwatch.output import open_output


def test_failed_write_leaves_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "report.csv"
    target.write_text("old\n", encoding="utf-8")
    with pytest.raises(RuntimeError), open_output(target) as handle:
        handle.write("half")
        raise RuntimeError("interrupted")
    assert target.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["report.csv"]


def test_write_replaces_whole(tmp_path: Path) -> None:
    target = tmp_path / "report.csv"
    with open_output(target) as handle:
        handle.write("new\n")
    assert target.read_text(encoding="utf-8") == "new\n"


def test_missing_folder(tmp_path: Path) -> None:
    with (
        pytest.raises(OutputError, match=r"cannot write .*: No such file or directory$"),
        open_output(tmp_path / "no" / "x.csv"),
    ):
        pass
