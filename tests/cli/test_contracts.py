import csv
import io
import json

import pytest
from sqlalchemy import select

from procwatch import tables
from procwatch.resolve import name_key
from procwatch.store import Store
from tests.conftest import Procwatch, id_of, insert_rows


def test_contracts_of_nuctech_as_json(procwatch: Procwatch) -> None:
    result = procwatch("contracts", "--vendor", "Nuotech", "--format", "json")
    assert result.exit_code == 0, result.output
    records = json.loads(result.stdout)
    assert [(r["country"], r["date"], r["amount"], r["currency"]) for r in records] == [
        ("GE", "2008", None, None),
        ("GE", "2012", None, None),
        ("GE", "2018", "5870722.48", "USD"),
        ("PL", "2024-03", "3500000.00", "EUR"),
    ]
    first = records[0]
    assert {"id", "vendor", "buyer", "country", "title", "procurement_method", "amount"} <= set(
        first
    )
    assert first["vendor"] == "Nuctech Company Limited"
    assert first["sources"][0]["source"] == "nuctech-raids-georgia"
    assert first["sources"][0]["quote"].startswith("In 2008, Nuotech Company Limited")
    assert records[2]["date_end"] == "2020"
    assert records[3]["amount_is_estimate"] is True


def test_contracts_table_shows_every_contract(procwatch: Procwatch) -> None:
    result = procwatch("contracts", "--vendor", "NUCTECH CO., LTD.")
    assert result.exit_code == 0, result.output
    for text in ("2008", "2012", "2018-2020", "2024-03", "Rzeszów", "Kazbegi"):
        assert text in result.stdout


def test_contracts_csv_has_a_header_and_exact_amounts(procwatch: Procwatch) -> None:
    result = procwatch("contracts", "--country", "GE", "--since", "2018", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["key"], r["amount"], r["currency"], r["date"], r["date_end"]) for r in rows] == [
        ("ge-2018-2020-services-spare-parts", "5870722.48", "USD", "2018", "2020")
    ]
    assert rows[0]["procurement_method_details"] == "simplified procurement"
    assert rows[0]["sources"] == "nuctech-raids-georgia"


def test_buyer_filter(procwatch: Procwatch) -> None:
    result = procwatch("contracts", "--buyer", "rzeszow", "-f", "json")
    assert [r["key"] for r in json.loads(result.stdout)] == ["pl-2024-03-xray-rzeszow"]


def test_no_results_is_an_empty_list(procwatch: Procwatch) -> None:
    result = procwatch("contracts", "--country", "France", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == []
    table = procwatch("contracts", "--country", "France")
    assert table.exit_code == 0
    assert "Contracts" in table.stdout


def test_output_file(procwatch: Procwatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "contracts.json"
    result = procwatch("contracts", "-f", "json", "-o", str(target))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert len(json.loads(target.read_text(encoding="utf-8"))) == 4


def test_unknown_vendor(procwatch: Procwatch) -> None:
    result = procwatch("contracts", "--vendor", "Nuctek")
    assert result.exit_code == 3
    assert result.stderr == (
        "Error: no vendor named 'Nuctek'; did you mean 'Nuctech' or 'Nuotech Company Limited'?\n"
    )


def test_unknown_country(procwatch: Procwatch) -> None:
    result = procwatch("contracts", "--country", "Belgum")
    assert result.exit_code == 3
    assert result.stderr == "Error: unknown country 'Belgum'; did you mean 'Belgium'?\n"


def test_bad_option_values_are_usage_errors(procwatch: Procwatch) -> None:
    assert procwatch("contracts", "--since", "abc").exit_code == 2
    assert procwatch("contracts", "--format", "xml").exit_code == 2


def test_since_after_until(procwatch: Procwatch) -> None:
    result = procwatch("contracts", "--since", "2024", "--until", "2020")
    assert result.exit_code == 2
    assert result.stderr.endswith(
        "\nError: Invalid value for '--since': 2024 is after --until 2020\n"
    )


def test_table_prints_names_literally_not_as_markup(procwatch: Procwatch, store: Store) -> None:
    georgia = id_of(store, tables.jurisdictions, "GE")
    name = "[bold]Acme[/bold] :warning: Ltd"
    insert_rows(
        store, tables.vendors, ("key", "name", "name_key"), [("acme", name, name_key(name))]
    )
    vendor_id = store.scalar(select(tables.vendors.c.id).where(tables.vendors.c.key == "acme"))
    columns = ("key", "vendor_id", "jurisdiction_id", "title", "amount_is_estimate")
    rows = [(f"acme-{n}", vendor_id, georgia, f"[red]Lot {n}[/red]", False) for n in range(2)]
    insert_rows(store, tables.contracts, columns, rows)
    store.commit()
    result = procwatch("contracts", "--vendor", name)
    assert result.exit_code == 0, result.output
    words = " ".join(result.stdout.split())
    assert f"Contracts of {name}" in words
    assert "[red]Lot 0[/red]" in words


def add_lots(store: Store, count: int) -> None:
    """Add `count` contracts of the seed's vendor in Georgia, titled Lot 000 and up, in 2021."""
    columns = ("key", "vendor_id", "jurisdiction_id", "title", "amount_is_estimate", "date_start")
    vendor, georgia = (
        id_of(store, tables.vendors, "nuctech"),
        id_of(store, tables.jurisdictions, "GE"),
    )
    rows = [(f"lot-{n}", vendor, georgia, f"Lot {n:03d}", False, "2021") for n in range(count)]
    insert_rows(store, tables.contracts, columns, rows)
    store.commit()


def test_a_table_stops_at_100_rows_and_says_how_many_it_left_out(
    procwatch: Procwatch, store: Store
) -> None:
    add_lots(store, 120)
    result = procwatch("contracts", "--country", "GE", "--since", "2021")
    assert result.exit_code == 0, result.output
    assert "Lot 099" in result.stdout
    assert "Lot 100" not in result.stdout
    assert result.stdout.rstrip().endswith(
        "Showing 100 of 120 rows: --limit 0 shows them all, -f csv writes every field."
    )
    everything = procwatch("contracts", "--country", "GE", "--since", "2021", "--limit", "0")
    assert "Lot 119" in everything.stdout
    assert "Showing" not in everything.stdout


def test_limit_cuts_every_format_and_pipes_get_all_rows_by_default(
    procwatch: Procwatch, store: Store
) -> None:
    add_lots(store, 120)
    query = ("contracts", "--country", "GE", "--since", "2021")
    rows = list(csv.DictReader(io.StringIO(procwatch(*query, "-f", "csv").stdout)))
    # The seed's contracts in Georgia all end by 2020: these are the 120 lots.
    assert len(rows) == 120
    three = json.loads(procwatch(*query, "-f", "json", "-n", "3").stdout)
    assert [record["title"] for record in three] == ["Lot 000", "Lot 001", "Lot 002"]
    table = procwatch(*query, "-n", "5").stdout
    assert "Lot 004" in table
    assert "Lot 005" not in table
    assert "Showing 5 of 120 rows" in table
    refused = procwatch(*query, "--limit", "-1")
    assert refused.exit_code == 2
    assert "-1 is not in the range x>=0" in refused.output


def test_a_cut_table_moves_a_column_into_its_title_only_if_every_row_agrees(
    procwatch: Procwatch, store: Store
) -> None:
    add_lots(store, 100)
    # The 100 lots in Georgia fill the table; the seed's 2024 contract in Poland is cut.
    result = procwatch("contracts", "--vendor", "Nuctech", "--since", "2021")
    assert result.exit_code == 0, result.output
    assert "Showing 100 of 101 rows" in result.stdout
    words = " ".join(result.stdout.split())
    # The title states the query; the vendor column goes, the countries (GE, PL) stay.
    assert words.startswith("Contracts of Nuctech Company Limited, 2021 and later ")
    assert "┃ Country ┃" in result.stdout


SERVICES = "ge-2018-2020-services-spare-parts"
KAZBEGI = "ge-2012-xray-kazbegi-red-bridge"


@pytest.mark.parametrize(
    ("args", "keys"),
    [
        (["--since", "2024"], ["pl-2024-03-xray-rzeszow"]),
        (["--since", "2024-03"], ["pl-2024-03-xray-rzeszow"]),
        (["--since", "2024-04"], []),
        (
            ["--since", "2020-06-30"],
            ["ge-2018-2020-services-spare-parts", "pl-2024-03-xray-rzeszow"],
        ),
        (
            ["--until", "2024-02"],
            [
                "ge-2008-inspection-complexes",
                "ge-2012-xray-kazbegi-red-bridge",
                "ge-2018-2020-services-spare-parts",
            ],
        ),
        (["--since", "2024-03-15", "--until", "2024-03-15"], ["pl-2024-03-xray-rzeszow"]),
    ],
)
def test_since_and_until_take_a_year_a_month_or_a_day(
    procwatch: Procwatch, args: list[str], keys: list[str]
) -> None:
    result = procwatch("contracts", *args, "-f", "json")
    assert result.exit_code == 0, result.output
    assert [c["key"] for c in json.loads(result.stdout)] == keys


def test_the_title_states_the_query(procwatch: Procwatch) -> None:
    result = procwatch("contracts", "--vendor", "Nuotech", "--country", "GE", "--since", "2019")
    assert result.exit_code == 0, result.output
    title = " ".join(result.stdout.split("┏")[0].split())
    assert title == "Contracts of Nuctech Company Limited in Georgia, 2019 and later"
    unfiltered = procwatch("contracts")
    assert unfiltered.stdout.split("┏")[0].strip() == "Contracts"


@pytest.mark.parametrize(
    ("fmt", "stdout"),
    [
        ("csv", None),
        ("json", "[]\n"),
    ],
)
def test_an_empty_result_says_what_matched_nothing(
    procwatch: Procwatch, fmt: str, stdout: str | None
) -> None:
    result = procwatch("contracts", "--country", "PL", "--since", "2030", "-f", fmt)
    assert result.exit_code == 0, result.output
    # Nothing to read the name from: the country is named as asked.
    assert result.stderr == "Nothing matched: contracts in PL, 2030 and later.\n"
    if stdout is not None:
        assert result.stdout == stdout
    else:
        assert result.stdout.count("\n") == 1 and result.stdout.startswith("id,key,vendor,")


def test_at_80_columns_vendor_and_title_stay_readable(procwatch: Procwatch) -> None:
    # COLUMNS=80 in every test (conftest): no column is squeezed to a few letters.
    result = procwatch("contracts")
    assert result.exit_code == 0, result.output
    header = next(line for line in result.stdout.splitlines() if line.startswith("┃"))
    assert [cell.strip() for cell in header.strip("┃").split("┃")] == [
        "Date",
        "Vendor",
        "Country",
        "Title",
        "Amount",
    ]
    assert "│ Nuctech Company │" in result.stdout
    assert max(len(line) for line in result.stdout.splitlines()) <= 80
