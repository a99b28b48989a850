from datetime import date

import pytest
from sqlalchemy import Connection, insert, update

from procwatch import tables
from procwatch.errors import InvalidInputError, NotFoundError
from procwatch.resolve import name_key
from procwatch.screening.periods import Certainty, MeasureStatus
from procwatch.screening.report import Level, check_vendor, citation_numbers

TODAY = date(2025, 6, 1)


def _rows(report) -> list[tuple[str, str | None, str]]:  # type: ignore[no-untyped-def]
    return [(row.code, row.relation, row.summary) for row in report.jurisdictions]


def _reasons(report) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [(reason.level, reason.text) for reason in report.reasons]


def test_report_on_nuctech(connection: Connection) -> None:
    report = check_vendor(connection, "Nuotech", today=TODAY)
    assert report.vendor.name == "Nuctech Company Limited"
    assert report.vendor.aliases == ["Nuctech", "Nuotech", "Nuotech Company Limited"]
    assert (report.vendor.country, report.vendor.country_name) == ("CN", "China")
    assert report.level is Level.HIGH
    assert _rows(report) == [
        ("LT", None, "banned 2021"),
        ("BE", None, "banned 2023"),
        ("CA", None, "restricted 2020"),
        ("US", None, "restricted 2020"),
        ("EU", None, "investigated 2024-04-23"),
        ("GE", None, "contracted 2008, 2012, 2018-2020"),
        ("PL", None, "contracted 2024-03; investigated through the EU 2024-04-23"),
    ]
    assert _reasons(report) == [
        ("high", "banned by Lithuania (2021): in force"),
        ("high", "banned by Belgium (2023): in force"),
        ("caution", "restricted by Canada (2020): in force"),
        ("caution", "restricted by United States (2020): in force"),
        ("caution", "investigated by European Union (2024-04-23): in force"),
        ("caution", "red flag PW-NONCOMPETITIVE on 2 contracts"),
        ("caution", "red flag PW-REPEAT-NONCOMPETITIVE on 2 contracts"),
        ("caution", "red flag PW-PRICE-FINDING on 1 contract"),
        ("caution", "red flag PW-SIGNED-WHILE-BANNED on 2 contracts (1 possibly)"),
    ]
    belgium = report.jurisdictions[1].measures[0]
    assert belgium.label == "banned 2023: Use of Nuctech technology in customs inspections"
    eu = report.jurisdictions[4].measures[0]
    assert eu.places == "Rotterdam, Netherlands; Warsaw, Poland"
    assert eu.legal_basis == "Foreign Subsidies Regulation"
    georgia = report.jurisdictions[5].contracts
    assert georgia[2].amount == "5870722.48" and georgia[2].currency == "USD"
    assert report.jurisdictions[6].through_unions == [eu]
    assert not report.nothing_known


def test_every_line_cites_a_source(connection: Connection) -> None:
    report = check_vendor(connection, "Nuctech", today=TODAY)
    assert report.vendor.sources
    for row in report.jurisdictions:
        for entry in (*row.measures, *row.through_unions, *row.contracts):
            assert entry.sources and all(source.quote for source in entry.sources)
    assert all(reason.sources for reason in report.reasons)
    numbers = citation_numbers(report)
    assert sorted(numbers.values()) == list(range(1, len(numbers) + 1))


def test_as_of_before_any_measure(connection: Connection) -> None:
    report = check_vendor(connection, "Nuctech", as_of="2019")
    # Only the Georgian contracts existed; the 2018-2020 one had begun.
    assert _rows(report) == [("GE", None, "contracted 2008, 2012, 2018-2020")]
    assert report.level is Level.CAUTION
    assert _reasons(report) == [
        ("caution", "red flag PW-NONCOMPETITIVE on 2 contracts"),
        ("caution", "red flag PW-REPEAT-NONCOMPETITIVE on 2 contracts"),
        ("caution", "red flag PW-PRICE-FINDING on 1 contract"),
    ]


def test_as_of_partial_dates_say_possibly(connection: Connection) -> None:
    report = check_vendor(connection, "Nuctech", as_of="2021-06")
    # The Lithuanian ban is dated "2021": in June 2021 it may not have been taken yet.
    assert _rows(report)[:3] == [
        ("LT", None, "banned 2021 (possibly in force)"),
        ("CA", None, "restricted 2020"),
        ("US", None, "restricted 2020"),
    ]
    assert report.jurisdictions[0].measures[0].status is MeasureStatus.POSSIBLY_IN_FORCE
    assert report.level is Level.CAUTION
    assert ("caution", "banned by Lithuania (2021): possibly in force") in _reasons(report)


def test_as_of_the_month_of_the_polish_contract(connection: Connection) -> None:
    report = check_vendor(connection, "Nuctech", as_of="2024-03-15")
    poland = next(row for row in report.jurisdictions if row.code == "PL")
    # Signed some day of March 2024: maybe after the 15th. The EU raids had not happened.
    assert poland.summary == "contracted 2024-03"
    assert poland.contracts[0].signed_by_date is Certainty.POSSIBLY
    assert poland.contracts[0].label.endswith(" — possibly signed after the as-of date")
    assert "EU" not in [row.code for row in report.jurisdictions]


def test_as_of_before_everything_is_nothing_known(connection: Connection) -> None:
    report = check_vendor(connection, "Nuctech", as_of="2007")
    assert report.nothing_known
    assert report.level is Level.NONE
    assert _reasons(report) == [
        ("none", "nothing known: no contracts and no measures are recorded by 2007")
    ]


def test_for_a_polish_buyer(connection: Connection) -> None:
    report = check_vendor(connection, "Nuctech", for_country="Poland", today=TODAY)
    assert (report.for_country, report.for_country_name) == ("PL", "Poland")
    assert _rows(report) == [
        ("PL", "buyer's country", "contracted 2024-03; investigated through the EU 2024-04-23"),
        ("EU", "union PL belongs to", "investigated 2024-04-23"),
        ("LT", "fellow EU member", "banned 2021"),
        ("BE", "fellow EU member", "banned 2023"),
        ("CA", None, "restricted 2020"),
        ("US", None, "restricted 2020"),
        ("GE", None, "contracted 2008, 2012, 2018-2020"),
    ]
    assert (
        "high",
        "investigated by European Union (2024-04-23): in force, a union PL belongs to",
    ) in _reasons(report)


def test_for_a_buyer_with_no_history(connection: Connection) -> None:
    report = check_vendor(connection, "Nuctech", for_country="FR", as_of="2019")
    assert _rows(report) == [
        ("FR", "buyer's country", "no contracts or measures recorded"),
        ("GE", None, "contracted 2008, 2012, 2018-2020"),
    ]


def test_for_the_eu(connection: Connection) -> None:
    report = check_vendor(connection, "Nuctech", for_country="EU", today=TODAY)
    assert [(row.code, row.relation) for row in report.jurisdictions][:4] == [
        ("EU", "buyer's country"),
        ("LT", "EU member"),
        ("BE", "EU member"),
        ("PL", "EU member"),
    ]


def test_ended_measures(connection: Connection) -> None:
    measures = tables.measures
    connection.execute(update(measures).where(measures.c.kind == "ban").values(date_end="2024"))
    report = check_vendor(connection, "Nuctech", as_of="2025-01")
    assert _rows(report)[:2] == [
        ("LT", None, "banned 2021-2024 (ended)"),
        ("BE", None, "banned 2023-2024 (ended)"),
    ]
    assert report.level is Level.CAUTION
    assert ("caution", "banned by Lithuania (2021-2024): ended") in _reasons(report)
    # During 2024 the bans may or may not have been lifted yet.
    report = check_vendor(connection, "Nuctech", as_of="2024-06")
    assert report.jurisdictions[0].summary == "banned 2021-2024 (possibly ended)"
    # Before they ended they count in full.
    assert check_vendor(connection, "Nuctech", as_of="2023-12-31").level is Level.HIGH


def test_vendor_with_nothing_recorded(connection: Connection) -> None:
    connection.execute(
        insert(tables.vendors).values(
            key="acme", name="Acme Scanners Ltd", name_key=name_key("Acme Scanners")
        )
    )
    report = check_vendor(connection, "Acme Scanners", today=TODAY)
    assert report.nothing_known
    assert report.level is Level.NONE
    assert report.jurisdictions == [] and report.flags == []
    assert _reasons(report) == [
        ("none", "nothing known: no contracts and no measures are recorded by 2025-06-01")
    ]


def test_bad_inputs(connection: Connection) -> None:
    with pytest.raises(NotFoundError, match=r"^no vendor named 'Nuktech'; did you mean "):
        check_vendor(connection, "Nuktech")
    with pytest.raises(InvalidInputError, match=r"^invalid date '2024-13': "):
        check_vendor(connection, "Nuctech", as_of="2024-13")
    with pytest.raises(NotFoundError, match=r"^unknown country 'Atlantis'$"):
        check_vendor(connection, "Nuctech", for_country="Atlantis")
