"""Opening import inputs: what a path is, streams, gzip bounds, limits on one item, spools."""

from __future__ import annotations

import errno
import gzip
import hashlib
import io
import os
import sqlite3
import threading
from pathlib import Path

import pytest

from procwatch.errors import InvalidInputError, SpoolError
from procwatch.importers import REJECTED_KEPT, ImportSummary
from procwatch.importers.columns import TableLayout, read_table
from procwatch.importers.ftm import read_ftm
from procwatch.importers.inputs import (
    MB,
    Input,
    InputKind,
    InputLimits,
    InputStream,
    deeper_than,
    find_input,
    local_copy,
    open_input,
    spool_errors,
)
from procwatch.importers.ocds_stream import FileInfo, FoundRelease, Problem, read_releases

RELEASE = b'{"ocid": "ocds-t-%d", "id": "%d", "date": "2024-01-01T00:00:00Z"}'
SMALL = InputLimits(max_item_bytes=1 * MB, max_depth=16, max_ratio=50)


def _release(number: int) -> bytes:
    return RELEASE % (number, number)


def _file(tmp_path: Path, name: str, data: bytes) -> Input:
    path = tmp_path / name
    path.write_bytes(data)
    found = find_input(path)
    assert found is not None
    return found


def _read(source: Input, limits: InputLimits = SMALL) -> list[FoundRelease | Problem]:
    return list(read_releases(source, FileInfo(), limits=limits))


def _feed(path: Path, data: bytes) -> threading.Thread:
    def write() -> None:
        with path.open("wb") as handle:
            handle.write(data)

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    return writer


# What a path is


def test_a_missing_file_is_named_missing(tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError) as raised:
        find_input(tmp_path / "gone.json")
    assert str(raised.value) == f"cannot read {tmp_path / 'gone.json'}: no such file"
    with pytest.raises(InvalidInputError) as raised:
        find_input(tmp_path / "gone.json", folders=True)
    assert str(raised.value) == f"{tmp_path / 'gone.json'}: no such file or folder"


def test_a_device_folder_and_socket_are_named_for_what_they_are(tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError) as raised:
        find_input(Path("/dev/null"))
    assert str(raised.value) == "/dev/null is a device, not a file"
    with pytest.raises(InvalidInputError) as raised:
        find_input(tmp_path)
    assert str(raised.value) == f"{tmp_path} is a folder, not a file"
    assert find_input(tmp_path, folders=True) is None


def test_a_fifo_and_stdin_are_streams(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")
    found = find_input(tmp_path / "pipe")
    assert found is not None and found.kind is InputKind.FIFO and found.is_stream
    stdin = find_input(Path("-"))
    assert stdin is not None and stdin.kind is InputKind.STDIN and stdin.name == "stdin"
    regular = _file(tmp_path, "a.json", b"{}")
    assert regular.kind is InputKind.FILE and not regular.is_stream and regular.size == 2


# One read: hashed, gunzipped, bounded


def test_the_hash_is_of_the_raw_bytes_in_one_read(tmp_path: Path) -> None:
    data = b"\n".join(_release(number) for number in range(2000))
    for name, raw in (("plain.jsonl", data), ("packed.jsonl.gz", gzip.compress(data))):
        source = _file(tmp_path, name, raw)
        with open_input(source, InputLimits()) as stream:
            assert stream.read(10) == data[:10]
            assert stream.compressed is name.endswith(".gz")
            assert stream.sha256() == hashlib.sha256(raw).hexdigest()


def test_a_gzip_bomb_is_refused_once_it_expands_beyond_the_ratio(tmp_path: Path) -> None:
    padded = b'{"ocid": "x", "id": "1",' + b" " * (8 * MB) + b'"date": "2024-01-01T00:00:00Z"}'
    bomb = _file(tmp_path, "bomb.json.gz", gzip.compress(padded))
    with pytest.raises(InvalidInputError) as raised:
        _read(bomb, InputLimits(max_ratio=50))
    message = str(raised.value)
    assert message.startswith("bomb.json.gz: the gzip data expands more than 50 times (to ")
    assert message.endswith("): refused as a possible decompression bomb")
    # The same data is read when the bound allows it.
    assert len(_read(bomb, InputLimits(max_ratio=100_000))) == 1


def test_a_broken_gzip_file_is_one_error(tmp_path: Path) -> None:
    numbers = ",".join(str(number * 7919 % 10007) for number in range(5000))
    broken = _file(tmp_path, "broken.json.gz", gzip.compress(f"[{numbers}]".encode())[:200])
    with pytest.raises(InvalidInputError) as raised:
        _read(broken)
    assert str(raised.value).startswith("broken.json.gz: not a readable gzip file at byte ")


def test_readline_stops_at_the_limit(tmp_path: Path) -> None:
    source = _file(tmp_path, "lines.txt", b"short\n" + b"x" * 200_000 + b"\nend")
    with open_input(source, InputLimits()) as stream:
        assert stream.readline(100) == b"short\n"
        assert stream.readline(100) == b"x" * 100
        assert stream.readline(1 << 20) == b"x" * 199_900 + b"\n"
        assert stream.readline(100) == b"end"
        assert stream.readline(100) == b""


def test_a_stream_is_read_like_a_file(tmp_path: Path) -> None:
    data = b"\n".join(_release(number) for number in range(3))
    stream = InputStream(io.BytesIO(gzip.compress(data)), "stdin", InputLimits())
    assert stream.read(1 << 20) == data


def test_a_fifo_is_read_as_a_stream(tmp_path: Path) -> None:
    path = tmp_path / "releases.jsonl"
    os.mkfifo(path)
    data = b"\n".join(_release(number) for number in range(3)) + b"\n"
    writer = _feed(path, data)
    info = FileInfo()
    found = list(read_releases(find_input(path) or _never(), info))
    writer.join(5)
    assert [item.position for item in found] == ["line 1", "line 2", "line 3"]
    assert info.sha256 == hashlib.sha256(data).hexdigest()


def test_a_fifo_is_copied_once_for_readers_that_read_twice(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    os.mkfifo(path)
    writer = _feed(path, b"key,vendor_name\nk1,Acme\n")
    with local_copy(find_input(path) or _never(), InputLimits()) as (copy, sha):
        assert copy.name == "list.csv" and copy != path
        assert copy.read_bytes() == b"key,vendor_name\nk1,Acme\n"
        assert sha == hashlib.sha256(copy.read_bytes()).hexdigest()
    writer.join(5)
    assert not copy.exists()


def _never() -> Input:
    raise AssertionError("find_input returned None for a file")


# Limits on one item


def test_a_release_over_the_size_limit_is_a_problem_not_held(tmp_path: Path) -> None:
    huge = b'{"releases": [%s, {"ocid": "big", "id": "1", "filler": [%s]}, %s]}' % (
        _release(1),
        b",".join([b'"abcdefghij"'] * 200_000),
        _release(2),
    )
    found = _read(_file(tmp_path, "package.json", huge))
    assert [(item.position, type(item).__name__) for item in found] == [
        ("releases[0]", "FoundRelease"),
        ("releases[1]", "Problem"),
        ("releases[2]", "FoundRelease"),
    ]
    problem = found[1]
    assert isinstance(problem, Problem)
    assert problem.message == "larger than the limit of 1 MB (or 65,536 values) per item"


def test_an_item_of_many_small_values_is_too_large_before_its_bytes(tmp_path: Path) -> None:
    dense = b'{"releases": [{"ocid": "x", "id": "1", "f": [%s]}]}' % b",".join([b"{}"] * 70_000)
    found = _read(_file(tmp_path, "dense.json", dense))
    assert [(item.position, getattr(item, "message", "")) for item in found] == [
        ("releases[0]", "larger than the limit of 1 MB (or 65,536 values) per item")
    ]


def test_a_single_huge_string_is_refused_before_it_is_held(tmp_path: Path) -> None:
    data = b'{"releases": [{"ocid": "x", "id": "1", "note": "' + b"a" * (3 * MB) + b'"}]}'
    with pytest.raises(InvalidInputError) as raised:
        _read(_file(tmp_path, "string.json", data))
    assert str(raised.value).startswith("string.json: a single JSON value near byte ")
    assert str(raised.value).endswith(
        " is larger than the limit of 1 MB (or 65,536 values) per item"
    )


def test_nesting_deeper_than_the_limit_is_a_problem(tmp_path: Path) -> None:
    deep = b'{"releases": [{"ocid": "x", "id": "1", "x": %s%s}, %s]}' % (
        b"[" * 40_000,
        b"]" * 40_000,
        _release(2),
    )
    found = _read(_file(tmp_path, "deep.json", deep))
    assert [(item.position, getattr(item, "message", "")) for item in found] == [
        ("releases[0]", "nested deeper than the limit of 16 levels"),
        ("releases[1]", ""),
    ]


def test_json_lines_over_the_limits_are_problems(tmp_path: Path) -> None:
    lines = [
        _release(1),
        b'{"ocid": "x", "filler": "' + b"a" * (2 * MB) + b'"}',
        b"[" * 5000 + b"]" * 5000,
        b"[" * 20 + b"]" * 20,
        _release(5),
    ]
    found = _read(_file(tmp_path, "lines.jsonl", b"\n".join(lines) + b"\n"))
    assert [(item.position, getattr(item, "message", "")) for item in found] == [
        ("line 1", ""),
        ("line 2", "larger than the limit of 1 MB (or 65,536 values) per item (from byte 64)"),
        ("line 3", "nested deeper than the limit of 16 levels"),
        ("line 4", "nested deeper than the limit of 16 levels"),
        ("line 5", ""),
    ]


def test_leading_whitespace_of_any_length_is_whitespace(tmp_path: Path) -> None:
    padded = b" \n" * (2 * MB) + _release(1)
    found = _read(_file(tmp_path, "padded.json", padded), InputLimits())
    assert [item.position for item in found] == [""]
    lines = b"\n" * (3 * MB) + _release(1) + b"\n" + _release(2) + b"\n"
    found = _read(_file(tmp_path, "padded.jsonl", lines), InputLimits())
    assert [item.position for item in found] == [f"line {3 * MB + 1}", f"line {3 * MB + 2}"]
    with pytest.raises(InvalidInputError) as raised:
        _read(_file(tmp_path, "blank.json", b" " * (2 * MB)), InputLimits())
    assert str(raised.value) == "blank.json: the file is empty: no OCDS data"


@pytest.mark.parametrize("character", [b"\t", b"\n"])
def test_a_raw_control_character_in_a_string_is_one_error(tmp_path: Path, character: bytes) -> None:
    data = b'{"ocid": "a' + character + b'b", "id": "1", "date": "2024-01-01T00:00:00Z"}'
    with pytest.raises(InvalidInputError) as raised:
        _read(_file(tmp_path, "control.json", data))
    assert str(raised.value) == (
        "control.json: invalid JSON: a string holds a raw control character (a TAB, newline "
        "or other character below space), which JSON requires escaped (\\t, \\n)"
    )


def test_deeper_than() -> None:
    assert not deeper_than({"a": [1, {"b": []}]}, 4)
    assert deeper_than({"a": [1, {"b": []}]}, 3)
    nested: list[object] = []
    for _ in range(10_000):
        nested = [nested]
    assert deeper_than(nested, 64)


# Lists: CSV rows and FtM lines


def test_nul_bytes_are_refused_wherever_they_are_in_a_csv(tmp_path: Path) -> None:
    path = tmp_path / "late-nul.csv"
    path.write_bytes(b"key,vendor_name\n" + b"k1,Acme\n" * 20_000 + b"k2,Ac\x00me\n")
    layout = TableLayout(mapping={"key": "key", "name": "vendor_name"})
    with pytest.raises(InvalidInputError) as raised:
        list(read_table(path, layout, lambda _: None))
    assert str(raised.value) == (
        "late-nul.csv is not a text CSV file (it contains NUL bytes, first on line 20002)"
    )


def test_a_csv_row_over_the_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    path.write_bytes(b"key,vendor_name\nk1," + b"a" * (2 * MB) + b"\n")
    layout = TableLayout(mapping={"key": "key", "name": "vendor_name"}, limits=SMALL)
    with pytest.raises(InvalidInputError) as raised:
        list(read_table(path, layout, lambda _: None))
    assert str(raised.value) == (
        "wide.csv line 2: a row larger than the limit of 1 MB (or 65,536 values) per item"
    )
    path.write_bytes(b"key,vendor_name\nk1," + b"," * 70_000 + b"\n")
    with pytest.raises(InvalidInputError) as raised:
        list(read_table(path, layout, lambda _: None))
    assert str(raised.value).startswith("wide.csv line 2: a row larger than the limit")


def test_ftm_lines_are_bounded(tmp_path: Path) -> None:
    path = tmp_path / "entities.json.gz"
    path.write_bytes(gzip.compress(b'{"id": "x", "schema": "' + b"a" * (2 * MB) + b'"}\n'))
    with pytest.raises(InvalidInputError) as raised:
        list(read_ftm(path, lambda _: None, limits=InputLimits(max_item_bytes=MB)))
    assert str(raised.value) == (
        "entities.json.gz line 1: larger than the limit of 1 MB (or 65,536 values) per item"
    )
    path.write_bytes(gzip.compress(b"[" * 3000 + b"]" * 3000 + b"\n"))
    with pytest.raises(InvalidInputError) as raised:
        list(read_ftm(path, lambda _: None))
    assert str(raised.value) == "entities.json.gz line 1: nested deeper than the limit of 64 levels"
    path.write_bytes(gzip.compress(b" " * (16 * MB) + b"\n"))
    with pytest.raises(InvalidInputError) as raised:
        list(read_ftm(path, lambda _: None))
    assert "the gzip data expands more than 200 times" in str(raised.value)


# Spools and summaries


def test_a_full_temporary_folder_is_one_error() -> None:
    for error in (
        sqlite3.OperationalError("database or disk is full"),
        OSError(errno.ENOSPC, "No space left on device"),
    ):
        with pytest.raises(SpoolError) as raised, spool_errors():
            raise error
        assert str(raised.value).startswith("cannot write the temporary files of the import in ")
        assert str(raised.value).endswith(
            "free some space there or point TMPDIR at a larger folder; nothing was imported"
        )
    with pytest.raises(sqlite3.OperationalError), spool_errors():
        raise sqlite3.OperationalError("no such table: releases")


def test_rejections_beyond_the_kept_ones_are_counted() -> None:
    summary = ImportSummary()
    for number in range(REJECTED_KEPT + 25):
        summary.reject(f"bad {number}")
    assert len(summary.rejected) == REJECTED_KEPT
    assert summary.unlisted == 25
    assert summary.rejections == REJECTED_KEPT + 25
    total = ImportSummary()
    total.merge(summary)
    assert total.rejections == REJECTED_KEPT + 25


def test_limits_must_be_positive() -> None:
    with pytest.raises(InvalidInputError):
        InputLimits(max_depth=0)
