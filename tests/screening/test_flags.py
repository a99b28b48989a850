import dataclasses
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, select, update

from procwatch import tables
from procwatch.errors import InvalidValueError, NotFoundError
from procwatch.importers.measures import import_measures
from procwatch.queries.contracts import list_contracts
from procwatch.queries.measures import list_measures
from procwatch.screening.flags import (
    FLAG_CODES,
    FLAGS,
    ContractFlag,
    find_flags,
    flag_contracts,
    flag_definition,
    noncompetitive_method,
)
from procwatch.store import Store

SEED_FLAGS = [
    ("ge-2012-xray-kazbegi-red-bridge", "PW-NONCOMPETITIVE", "yes"),
    ("ge-2012-xray-kazbegi-red-bridge", "PW-REPEAT-NONCOMPETITIVE", "yes"),
    ("ge-2012-xray-kazbegi-red-bridge", "PW-PRICE-FINDING", "yes"),
    ("ge-2018-2020-services-spare-parts", "PW-NONCOMPETITIVE", "yes"),
    ("ge-2018-2020-services-spare-parts", "PW-REPEAT-NONCOMPETITIVE", "yes"),
    ("ge-2018-2020-services-spare-parts", "PW-SIGNED-WHILE-BANNED", "possibly"),
    ("pl-2024-03-xray-rzeszow", "PW-SIGNED-WHILE-BANNED", "yes"),
]


def _rows(connection: Connection, **filters: str) -> list[tuple[str, str, str]]:
    return [(f.contract, f.code, f.certainty) for f in find_flags(connection, **filters)]


def test_flags_of_the_seed(connection: Connection) -> None:
    # 2008 has no known procedure and predates every measure; Poland's 2024-03 contract
    # came before the EU raids of 2024-04-23, so no investigation flag.
    assert _rows(connection) == SEED_FLAGS


def test_flag_evidence(connection: Connection) -> None:
    found = {(f.contract, f.code): f for f in find_flags(connection)}
    poland = found["pl-2024-03-xray-rzeszow", "PW-SIGNED-WHILE-BANNED"]
    assert poland.evidence == (
        "signed 2024-03; in force then: CA restriction (2020), US restriction (2020), "
        "LT ban (2021), BE ban (2023)"
    )
    georgia = found["ge-2018-2020-services-spare-parts", "PW-SIGNED-WHILE-BANNED"]
    assert georgia.evidence == (
        "signed 2018-2020; possibly in force then: CA restriction (2020), US restriction (2020)"
    )
    price = found["ge-2012-xray-kazbegi-red-bridge", "PW-PRICE-FINDING"]
    assert price.evidence.startswith("overpayment of 215,368.00 USD: The state overpaid")
    assert any("overpaying 215 368 USD" in (s.quote or "") for s in price.sources)
    repeat = found["ge-2012-xray-kazbegi-red-bridge", "PW-REPEAT-NONCOMPETITIVE"]
    assert repeat.evidence == (
        "2 non-competitive awards by Revenue Service of the Ministry of Finance of Georgia: "
        "2012, 2018-2020"
    )
    method = found["ge-2012-xray-kazbegi-red-bridge", "PW-NONCOMPETITIVE"]
    assert method.evidence == "procurement method direct (simplified procurement)"
    # Every flag cites the contract and, for measure flags, the measures' sentences.
    assert all(flag.sources for flag in found.values())
    assert any("Lithuanian government" in (s.quote or "") for s in poland.sources)


def test_filters(connection: Connection) -> None:
    assert _rows(connection, country="PL") == SEED_FLAGS[-1:]
    # The EU's list holds its members' contracts.
    assert _rows(connection, country="EU") == SEED_FLAGS[-1:]
    assert _rows(connection, country="Georgia") == SEED_FLAGS[:-1]
    assert _rows(connection, vendor="Nuotech", code="pw-signed-while-banned") == [
        SEED_FLAGS[5],
        SEED_FLAGS[6],
    ]
    assert _rows(connection, code="PW-SIGNED-WHILE-INVESTIGATED") == []
    assert _rows(connection, country="France") == []


def test_unknown_flag_and_vendor(connection: Connection) -> None:
    with pytest.raises(InvalidValueError, match=r"^unknown flag 'PW-NOPE'; expected one of "):
        find_flags(connection, code="PW-NOPE")
    with pytest.raises(NotFoundError, match=r"^no vendor named 'Nuktech'; did you mean"):
        find_flags(connection, vendor="Nuktech")


def test_flags_follow_the_records(connection: Connection) -> None:
    # Flags are computed, never stored: move the Polish contract after the EU raids.
    contracts = tables.contracts
    polish = update(contracts).where(contracts.c.key.startswith("pl-"))
    connection.execute(polish.values(date_start="2024-05"))
    assert _rows(connection, country="PL") == [
        ("pl-2024-03-xray-rzeszow", "PW-SIGNED-WHILE-BANNED", "yes"),
        ("pl-2024-03-xray-rzeszow", "PW-SIGNED-WHILE-INVESTIGATED", "yes"),
    ]
    # In 2020-06 only the US and Canadian restrictions of "2020" may have been in force.
    connection.execute(polish.values(date_start="2020-06"))
    [flag] = find_flags(connection, country="PL")
    assert (flag.code, flag.certainty) == ("PW-SIGNED-WHILE-BANNED", "possibly")
    assert flag.evidence == (
        "signed 2020-06; possibly in force then: CA restriction (2020), US restriction (2020)"
    )


def test_ended_measure_no_longer_flags(connection: Connection) -> None:
    measures = tables.measures
    connection.execute(
        update(measures).where(measures.c.kind != "investigation").values(date_end="2023-12")
    )
    assert [m.date_end for m in list_measures(connection, country="LT")][:1] == ["2023-12"]
    assert _rows(connection, country="PL") == []


def test_local_procedure_name_counts_as_noncompetitive(connection: Connection) -> None:
    poland = list_contracts(connection, country="PL")[0]
    assert noncompetitive_method(poland) is None
    local = dataclasses.replace(poland, procurement_method_details="Simplified Procurement")
    assert noncompetitive_method(local) == "'Simplified Procurement' is an OCDS direct procedure"
    open_one = dataclasses.replace(
        poland, procurement_method="open", procurement_method_details="simplified procurement"
    )
    assert noncompetitive_method(open_one) is None


def test_repeat_needs_the_same_buyer(connection: Connection) -> None:
    contracts = list_contracts(connection, vendor="Nuctech", country="GE")
    buyers = {
        row.id: row.buyer_id
        for row in connection.execute(select(tables.contracts.c.id, tables.contracts.c.buyer_id))
    }
    codes = [f.code for f in flag_contracts(contracts, [], buyers)]
    assert codes.count("PW-REPEAT-NONCOMPETITIVE") == 2
    other = connection.execute(
        select(tables.buyers).where(tables.buyers.c.key == "ge-ministry-of-finance")
    ).one()
    kazbegi = next(c for c in contracts if c.date == "2012")
    codes = [f.code for f in flag_contracts(contracts, [], {**buyers, kazbegi.id: other.id})]
    assert "PW-REPEAT-NONCOMPETITIVE" not in codes
    codes = [f.code for f in flag_contracts(contracts, [], {})]
    assert "PW-REPEAT-NONCOMPETITIVE" not in codes


def test_definitions_are_stable_and_complete() -> None:
    assert FLAG_CODES == (
        "PW-NONCOMPETITIVE",
        "PW-REPEAT-NONCOMPETITIVE",
        "PW-PRICE-FINDING",
        "PW-SIGNED-WHILE-BANNED",
        "PW-SIGNED-WHILE-INVESTIGATED",
    )
    for flag in FLAGS:
        assert flag.definition.endswith(".") and "\n" not in flag.definition
        assert flag.reference and flag.name
    assert flag_definition(" pw-price-finding ").code == "PW-PRICE-FINDING"


def test_a_cross_debarment_counts_as_the_decision_it_enforces(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "banks.csv"
    path.write_text(
        "key,vendor_name,country,origin,kind,date\n"
        "wb,Nuctech Company Limited,WBG,,ban,2022-05\n"
        "ebrd,Nuctech Company Limited,EBRD,WBG,ban,2022-05-10\n",
        encoding="utf-8",
    )
    import_measures(store, path)
    found = {(f.contract, f.code): f for f in find_flags(store.connection)}
    poland = found["pl-2024-03-xray-rzeszow", "PW-SIGNED-WHILE-BANNED"]
    assert poland.evidence == (
        "signed 2024-03; in force then: CA restriction (2020), US restriction (2020), "
        "LT ban (2021), WBG ban (2022-05) enforced by EBRD, BE ban (2023)"
    )
    assert {"row 2", "row 3"} <= {s.locator for s in poland.sources}


def _flags_from_records(connection: Connection, **filters: str) -> list[ContractFlag]:
    # The rule on records, as find_flags applied it before the database did: every contract
    # and measure loaded, grouped by vendor, flagged in Python.
    contracts = list_contracts(connection, **filters)
    contract, measure = tables.contracts.c, tables.measures.c
    keys = {
        row.id: (row.vendor_id, row.buyer_id)
        for row in connection.execute(select(contract.id, contract.vendor_id, contract.buyer_id))
    }
    vendor = {"vendor": filters["vendor"]} if "vendor" in filters else {}
    measures = list_measures(connection, **vendor)
    measure_vendors = {
        row.id: row.vendor_id for row in connection.execute(select(measure.id, measure.vendor_id))
    }
    by_vendor: dict[int, list[Any]] = defaultdict(list)
    for record in contracts:
        by_vendor[keys[record.id][0]].append(record)
    measures_by_vendor: dict[int, list[Any]] = defaultdict(list)
    for record in measures:
        measures_by_vendor[measure_vendors[record.id]].append(record)
    buyers = {contract_id: buyer for contract_id, (_, buyer) in keys.items()}
    found = [
        flag
        for vendor_id, group in by_vendor.items()
        for flag in flag_contracts(group, measures_by_vendor[vendor_id], buyers)
    ]
    order = {record.key: index for index, record in enumerate(contracts)}
    return sorted(found, key=lambda f: (order[f.contract], FLAG_CODES.index(f.code)))


def test_database_rules_give_the_record_rules_flags(store: Store, connection: Connection) -> None:
    # A generated market with every case the rules tell apart: partial dates, ranges,
    # undated contracts and measures, ended measures, local procedure names in any case,
    # price and other findings, with citations on contracts, measures and findings.
    from benchmarks.generate import Sizes, load
    from sqlalchemy import text

    load(store, Sizes.for_contracts(3000), seed=7)
    for statement in (
        "UPDATE measures SET date_end = CAST(CAST(substr(date_start, 1, 4) AS INTEGER) + 2"
        " AS VARCHAR(10)) WHERE key LIKE 'bench-%' AND id % 4 = 0",
        "UPDATE measures SET date_start = NULL WHERE key LIKE 'bench-%' AND id % 7 = 0",
        # Published a year after taking force, or the same year: the evidence says when.
        "UPDATE measures SET listed_on = CAST(CAST(substr(date_start, 1, 4) AS INTEGER)"
        " + id % 2 AS VARCHAR(10)) WHERE key LIKE 'bench-%' AND id % 5 = 0",
        "UPDATE contracts SET procurement_method = NULL, procurement_method_details ="
        " CASE WHEN id % 3 = 0 THEN 'Simplified PROCUREMENT' WHEN id % 3 = 1"
        " THEN 'single source award' ELSE 'open tender' END"
        " WHERE key LIKE 'bench-%' AND id % 11 = 0",
        "INSERT INTO findings (contract_id, kind, description, amount_minor, currency)"
        " SELECT id, CASE WHEN id % 2 = 0 THEN 'Overpayment' ELSE 'delay' END, 'paid ' || key,"
        " CASE WHEN id % 4 = 0 THEN NULL ELSE 123456789 END, CASE WHEN id % 4 = 0 THEN NULL"
        " ELSE 'EUR' END FROM contracts WHERE key LIKE 'bench-%' AND id % 13 = 0",
        "INSERT INTO findings (contract_id, kind, description) SELECT contract_id,"
        " 'inflated price', 'second' FROM findings WHERE id % 3 = 0",
        "INSERT INTO citations (source_id, contract_id, quote) SELECT (SELECT min(id) FROM"
        " sources), id, 'contract ' || key FROM contracts WHERE id % 5 = 0",
        "INSERT INTO citations (source_id, measure_id, quote) SELECT (SELECT max(id) FROM"
        " sources), id, 'measure ' || key FROM measures WHERE id % 3 = 0",
        "INSERT INTO citations (source_id, finding_id, quote) SELECT (SELECT min(id) FROM"
        " sources), id, 'finding' FROM findings",
    ):
        connection.execute(text(statement))
    every = find_flags(connection)
    assert every == _flags_from_records(connection)
    codes = {(flag.code, flag.certainty) for flag in every}
    assert len(codes) == 7  # every flag, and both certainties of both measure flags
    assert len(every) > 1000
    assert any("after this contract was signed" in flag.evidence for flag in every)
    assert any(flag.code == "PW-REPEAT-NONCOMPETITIVE" and len(flag.sources) > 1 for flag in every)
    assert find_flags(connection, country="AD") == _flags_from_records(connection, country="AD")
    vendor = connection.execute(
        text("SELECT name FROM vendors WHERE key = 'bench-vendor-000001'")
    ).scalar_one()
    assert find_flags(connection, vendor=vendor, code="PW-SIGNED-WHILE-BANNED") == [
        flag
        for flag in _flags_from_records(connection, vendor=vendor)
        if flag.code == "PW-SIGNED-WHILE-BANNED"
    ]


def test_sources_looked_up_while_the_flags_stream(
    connection: Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Batches of two: citations are read while the flag query's cursor is still open (on
    # PostgreSQL a server-side cursor), and each batch gets its own sources.
    from procwatch.screening import flags

    whole = find_flags(connection)
    monkeypatch.setattr(flags, "SOURCE_BATCH", 2)
    assert find_flags(connection) == whole
    assert [(f.contract, f.code, f.certainty) for f in whole] == SEED_FLAGS
    assert all(flag.sources for flag in whole)


def test_the_database_counts_decisions_as_the_records_do(store: Store, tmp_path: Path) -> None:
    # The World Bank's investigation had ended before the Polish contract; the EBRD's
    # enforcement of it, started within the same month, is open-ended on its list. The
    # decision is in force as the decider's own measure is: neither rule flags it.
    path = tmp_path / "banks.csv"
    path.write_text(
        "key,vendor_name,country,origin,kind,date,date_end\n"
        "wb,Nuctech Company Limited,WBG,,ban,2022-05,\n"
        "ebrd,Nuctech Company Limited,EBRD,WBG,ban,2022-05-10,\n"
        "wb-inv,Nuctech Company Limited,WBG,,investigation,2023-01-05,2023-06-30\n"
        "ebrd-inv,Nuctech Company Limited,EBRD,WBG,investigation,2023-01,\n",
        encoding="utf-8",
    )
    import_measures(store, path)
    found = find_flags(store.connection)
    assert found == _flags_from_records(store.connection)
    evidence = " | ".join(flag.evidence for flag in found)
    assert "WBG ban (2022-05) enforced by EBRD" in evidence
    assert "WBG investigation" not in evidence
    assert evidence.count("WBG ban") == 1
