"""Screening a supplier list: candidates with reasons, levels at each row's date, reviews."""

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from procwatch.importers.measures import import_measures
from procwatch.screening.counterparties import Counterparty
from procwatch.screening.report import Level
from procwatch.screening.reviews import decide, list_decisions
from procwatch.screening.screen import MatchKind, ScreenOutcome, screen
from procwatch.store import Store
from procwatch.vendors import merge_vendors, undo_merge

HEADER = (
    "key,vendor_name,vendor_aliases,vendor_identifiers,vendor_country,country,authority,"
    "kind,scope,legal_basis,reason,date,date_end,places,quote\n"
)
LIST = HEADER + (
    "t-orion,Orion Scanning Systems Ltd.,,GB-COH:01234567,GB,PL,,ban,,,,2019-03-14,"
    "2020-12-31,,\n"
    "t-lotus,Lotus Detection Technology Co. Ltd,,,CN,DE,,investigation,,,,2022,,,\n"
    "t-vela,Vela Instruments GmbH,,,DE,FR,,ban,,,,2021-06,,,\n"
)
TODAY = date(2026, 12, 4)


@pytest.fixture
def listed(store: Store, tmp_path: Path) -> Path:
    path = tmp_path / "list.csv"
    path.write_text(LIST, encoding="utf-8")
    import_measures(store, path)
    return path


def party(name: str, when: str | None = None, *ids: tuple[str, str], row: int = 2) -> Counterparty:
    return Counterparty(row=row, name=name, country=None, identifiers=ids, date=when)


def only(store: Store, counterparty: Counterparty, **options: object):  # type: ignore[no-untyped-def]
    (screened,) = screen(store.connection, [counterparty], today=TODAY, **options).counterparties  # type: ignore[arg-type]
    return screened


def test_an_identifier_finds_a_vendor_under_another_name(store: Store, listed: Path) -> None:
    screened = only(store, party("OSS Holdings", "2019-06", ("GB-COH", "01234567")))
    (row,) = screened.rows
    assert (row.candidate, row.match, row.score) == (
        "Orion Scanning Systems Ltd.",
        MatchKind.IDENTIFIER,
        100.0,
    )
    assert row.why == "same identifier GB-COH:01234567"
    assert (row.level, screened.outcome) == (Level.HIGH, ScreenOutcome.HIGH)
    assert row.measures == "Poland: banned 2019-03-14/2020-12-31"


def test_a_ban_ended_before_the_row_date_is_no_longer_in_force(store: Store, listed: Path) -> None:
    screened = only(store, party("Orion Scanning Systems", "2021-01"))
    (row,) = screened.rows
    assert row.match is MatchKind.NAME
    # Ended measures set caution (check's rule) and are not listed as in force.
    assert (row.level, row.measures) == (Level.CAUTION, "")
    assert "ended" in row.reasons


def test_a_month_holding_the_ban_start_is_possibly_in_force(store: Store, listed: Path) -> None:
    assert only(store, party("Vela Instruments GmbH", "2021")).outcome is ScreenOutcome.CAUTION
    assert only(store, party("Vela Instruments GmbH", "2021-06")).outcome is ScreenOutcome.CAUTION
    assert only(store, party("Vela Instruments GmbH", "2021-07")).outcome is ScreenOutcome.HIGH
    assert only(store, party("Vela Instruments GmbH", "2021-05")).outcome is ScreenOutcome.NONE


def test_a_row_without_a_date_is_screened_as_of_the_option_else_today(
    store: Store, listed: Path
) -> None:
    assert only(store, party("Vela Instruments GmbH")).rows[0].as_of == "2026-12-04"
    screened = only(store, party("Vela Instruments GmbH"), as_of="2020")
    assert (screened.rows[0].as_of, screened.outcome) == ("2020", ScreenOutcome.NONE)


def test_a_misspelt_name_is_a_scored_candidate_with_its_reasons(store: Store, listed: Path) -> None:
    screened = only(store, party("Lotus Detektion Technology Co", "2023"))
    (row,) = screened.rows
    assert row.match is MatchKind.SCORED
    assert 85 <= row.score < 100
    assert "detektion~detection" in row.why
    assert (row.level, screened.outcome) == (Level.CAUTION, ScreenOutcome.CAUTION)


def test_an_unknown_name_has_no_candidate(store: Store, listed: Path) -> None:
    screened = only(store, party("Tbilisi Office Supplies LLC"))
    assert screened.outcome is ScreenOutcome.NO_CANDIDATE
    (row,) = screened.rows
    assert (row.candidate, row.level, row.match) == (None, None, None)


def test_a_different_decision_keeps_the_row_but_not_its_level(store: Store, listed: Path) -> None:
    decide(
        store,
        "Lotus Detektion Technology Co",
        "Lotus Detection Technology Co. Ltd",
        "different",
        note="a Tbilisi shop",
        reviewer="ana",
    )
    screened = only(store, party("Lotus Detektion Technology Co", "2023"))
    (row,) = screened.rows
    assert row.level is Level.CAUTION
    assert row.review == "different"
    assert row.review_text is not None and row.review_text.startswith("reviewed different by ana")
    assert screened.outcome is ScreenOutcome.NONE


def test_a_same_decision_brings_in_a_vendor_the_names_do_not(store: Store, listed: Path) -> None:
    decide(store, "LDT Group", "Lotus Detection Technology Co. Ltd", "same")
    screened = only(store, party("LDT Group", "2023"))
    (row,) = screened.rows
    assert (row.candidate, row.match) == ("Lotus Detection Technology Co. Ltd", MatchKind.REVIEWED)
    assert screened.outcome is ScreenOutcome.CAUTION


def test_a_decision_survives_reimporting_the_list(store: Store, listed: Path) -> None:
    decide(store, "Vela Instrument", "Vela Instruments GmbH", "different")
    import_measures(store, listed)
    assert only(store, party("Vela Instrument", "2022")).rows[0].review == "different"


def test_a_decision_follows_a_merge_and_its_undoing(store: Store, listed: Path) -> None:
    decide(store, "Vela Instrument", "Vela Instruments GmbH", "different")
    merge = merge_vendors(store, "Lotus Detection Technology Co. Ltd", "Vela Instruments GmbH")
    (decision,) = list_decisions(store.connection)
    assert decision.vendor == "Lotus Detection Technology Co. Ltd"
    undo_merge(store, merge.id)
    (decision,) = list_decisions(store.connection)
    assert decision.vendor == "Vela Instruments GmbH"


def test_summary_counts_each_counterparty_once(store: Store, listed: Path) -> None:
    report = screen(
        store.connection,
        [
            party("Vela Instruments GmbH", "2022", row=2),
            party("Lotus Detection Technology", "2023", row=3),
            party("Nobody Ltd", row=4),
        ],
        today=TODAY,
    )
    assert report.summary == {
        ScreenOutcome.HIGH: 1,
        ScreenOutcome.CAUTION: 1,
        ScreenOutcome.NONE: 0,
        ScreenOutcome.NO_CANDIDATE: 1,
    }
    assert [row.row for row in report.rows] == [2, 3, 4]


def test_check_applies_a_decision_on_the_name_asked_about(store: Store, listed: Path) -> None:
    from procwatch.screening.report import check_vendor

    assert check_vendor(store.connection, "Vela Instruments", today=TODAY).level is Level.HIGH
    decide(
        store,
        "Vela Instruments",
        "Vela Instruments GmbH",
        "different",
        reviewer="ana",
        decided_at=datetime(2026, 3, 1, tzinfo=UTC),
    )
    report = check_vendor(store.connection, "Vela Instruments", today=TODAY)
    assert report.level is Level.NONE
    assert report.reasons[0].text.startswith(
        "reviewed different by ana on 2026-03-01: 'Vela Instruments' is not Vela Instruments GmbH"
    )
    # Another spelling is another name: the decision is not about it.
    assert check_vendor(store.connection, "Vela Instruments GmbH", today=TODAY).level is Level.HIGH


def test_an_identifier_under_another_scheme_name_matches_by_its_value(
    store: Store, listed: Path
) -> None:
    screened = only(store, party("OSS", "2019-06", ("UK-CRN", "0123 4567")))
    (row,) = screened.rows
    assert (row.candidate, row.match, row.score) == (
        "Orion Scanning Systems Ltd.",
        MatchKind.IDENTIFIER,
        95.0,
    )
    assert row.why == "same identifier value 0123 4567 (UK-CRN and GB-COH)"
    # Too short to say anything across schemes.
    lone = party("Nobody Trading", None, ("X", "4567"))
    assert only(store, lone).outcome is ScreenOutcome.NO_CANDIDATE
