"""procwatch's OCDS import against an independent merge: `ocdskit compile` of the same files.

The compiled releases are counted here, apart from procwatch's mapping: each award (or each
contract of it) with a supplier and a value is one valued contract, and its amount is summed
exactly per currency. procwatch must store as many valued contracts with the same totals,
whether the files are imported together or one by one, in any order.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Procwatch

# Real publishers' samples with awards, and the country each needs (where their buyers have
# no address). The UK sample is tender releases only: nothing to count.
SAMPLES = {
    "paraguay-releases": "PY",
    "moldova-records": "MD",
    "packages": None,
}
# The Latin-1 package is the encoding test's; it is the same data as release-package-1.
LEFT_OUT = {"release-package_encoding-iso-8859-1.json"}

Totals = tuple[int, dict[str, Decimal]]


def _compiled(files: list[Path], schema: Path) -> list[dict[str, Any]]:
    """Return the compiled releases of the files: ocdskit's merge, or a record's own."""
    releases: list[Any] = []
    compiled: list[dict[str, Any]] = []
    for path in files:
        data = json.loads(path.read_bytes(), parse_float=Decimal)
        if "records" in data or "compiledRelease" in data:
            # A record's compiledRelease is its publisher's merge.
            for record in data.get("records", [data]):
                compiled.append(record["compiledRelease"])
        else:
            releases.extend(data.get("releases", [data]))
    if releases:
        ocdskit = shutil.which("ocdskit")
        assert ocdskit is not None
        # One 1.1 package of every release: ocdskit refuses to mix versions, and bare
        # releases (Paraguay's) say none.
        package = {"uri": "", "publishedDate": "", "version": "1.1", "releases": releases}
        run = subprocess.run(
            [ocdskit, "compile", "--schema", str(schema)],
            input=json.dumps(package, default=str).encode(),
            capture_output=True,
            check=True,
        )
        compiled.extend(
            json.loads(line, parse_float=Decimal) for line in run.stdout.splitlines() if line
        )
    return compiled


def _independent_totals(compiled: list[dict[str, Any]]) -> Totals:
    count, totals = 0, Counter[str]()
    sums: dict[str, Decimal] = {}
    for release in compiled:
        contracts = release.get("contracts") or []
        awards = release.get("awards") or []
        for award in [awards] if isinstance(awards, dict) else awards:
            if not award.get("suppliers"):
                continue
            linked = [item for item in contracts if item.get("awardID") == award.get("id")]
            for contract in linked or [{}]:
                value = contract.get("value") or {}
                if value.get("amount") is None:
                    value = award.get("value") or {}
                if value.get("amount") is None or not value.get("currency"):
                    continue
                count += 1
                currency = str(value["currency"]).upper()
                sums[currency] = sums.get(currency, Decimal(0)) + Decimal(str(value["amount"]))
                totals[currency] += 1
    return count, sums


def _procwatch_totals(export: str) -> Totals:
    count = 0
    sums: dict[str, Decimal] = {}
    for row in csv.DictReader(io.StringIO(export)):
        if not row["key"].startswith("ocds:") or not row["amount"]:
            continue
        if row["amount_is_estimate"] == "yes":
            continue
        count += 1
        sums[row["currency"]] = sums.get(row["currency"], Decimal(0)) + Decimal(row["amount"])
    return count, sums


def _fresh(tmp_path: Path, name: str) -> Procwatch:
    procwatch = Procwatch(f"sqlite:///{tmp_path / name}.db")
    assert procwatch("db", "upgrade").exit_code == 0
    return procwatch


def _import(procwatch: Procwatch, paths: list[Path], country: str | None) -> None:
    options = ["--country", country] if country else []
    result = procwatch("import", "ocds", *map(str, paths), *options)
    assert result.exit_code == 0, result.output


def _export(procwatch: Procwatch) -> str:
    result = procwatch("export", "contracts")
    assert result.exit_code == 0, result.output
    return str(result.stdout)


def _same_rows(export: str) -> list[dict[str, str]]:
    """Return the exported rows by key, without the database's row ids.

    Ids number rows in the order they were first stored, which depends on which file came
    first; every value the data gives must be the same.
    """
    rows = list(csv.DictReader(io.StringIO(export)))
    for row in rows:
        del row["id"]
    return sorted(rows, key=lambda row: row["key"])


@pytest.fixture
def schema(shared_data: Path) -> Path:
    pytest.importorskip("ocdskit")
    if shutil.which("ocdskit") is None:
        pytest.skip("the ocdskit command is not installed")
    return shared_data / "ocds-schema" / "1__1__5" / "release-schema.json"


@pytest.mark.parametrize("sample", sorted(SAMPLES))
def test_counts_and_exact_totals_equal_ocdskit_compile(
    sample: str, shared_data: Path, schema: Path, tmp_path: Path
) -> None:
    files = sorted(
        path for path in (shared_data / "ocds" / sample).glob("*.json") if path.name not in LEFT_OUT
    )
    expected = _independent_totals(_compiled(files, schema))
    assert expected[0] > 0
    together = _fresh(tmp_path, "together")
    _import(together, files, SAMPLES[sample])
    assert _procwatch_totals(_export(together)) == expected


@pytest.mark.parametrize("order", ["in order", "reversed"])
def test_stage_by_stage_imports_give_the_same_contracts(
    order: str, shared_data: Path, schema: Path, tmp_path: Path
) -> None:
    # Paraguay publishes each stage of a process as its own file: planning, tender, award,
    # contract. Imported one command per file, in either order, the result is the merge.
    stages = ["planning", "tender", "award", "contract"]
    files = sorted(
        (shared_data / "ocds" / "paraguay-releases").glob("*.json"),
        key=lambda path: next(i for i, stage in enumerate(stages) if path.stem.endswith(stage)),
    )
    if order == "reversed":
        files.reverse()
    together = _fresh(tmp_path, "together")
    _import(together, files, "PY")
    staged = _fresh(tmp_path, "staged")
    for path in files:
        _import(staged, [path], "PY")
    assert _same_rows(_export(staged)) == _same_rows(_export(together))
    assert _procwatch_totals(_export(staged)) == _independent_totals(_compiled(files, schema))


def test_records_and_the_release_package_of_their_releases_give_the_same_contracts(
    shared_data: Path, tmp_path: Path
) -> None:
    # Moldova publishes one record per process (its releases and their compiledRelease):
    # the same releases sent as a release package must give the same contract rows.
    records = sorted((shared_data / "ocds" / "moldova-records").glob("*.json"))
    releases = [
        release
        for path in records
        for release in json.loads(path.read_text(encoding="utf-8"))["releases"]
    ]
    package = tmp_path / "releases.json"
    package.write_text(
        json.dumps({"uri": "x", "publishedDate": "2017-01-01T00:00:00Z", "releases": releases}),
        encoding="utf-8",
    )
    from_records = _fresh(tmp_path, "records")
    _import(from_records, records, "MD")
    from_releases = _fresh(tmp_path, "releases")
    _import(from_releases, [package], "MD")
    rows = _same_rows(_export(from_records))
    assert len(rows) > 0
    assert rows == _same_rows(_export(from_releases))
