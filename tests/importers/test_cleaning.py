import pytest

from procwatch.dates import PartialDate
from procwatch.domain import MeasureKind, VendorKind
from procwatch.importers.cleaning import (
    DateOrder,
    is_null,
    measure_kind,
    names_in,
    parse_list_date,
    split_aliases,
    split_identifiers,
    vendor_kind,
    vendor_kind_of,
)


def _date(text: str, order: DateOrder | None = None, is_end: bool = False) -> tuple[str, list[str]]:
    warnings: list[str] = []
    parsed = parse_list_date(
        text, field="end date", warn=warnings.append, order=order, is_end=is_end
    )
    return ("" if parsed is None else str(parsed)), warnings


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2019", "2019"),
        ("2019-03", "2019-03"),
        ("2019-03-14", "2019-03-14"),
        ("2019/03/14", "2019-03-14"),
        ("2019-06-05T00:00:00", "2019-06-05"),
        ("14/03/2019", "2019-03-14"),
        ("03/14/2019", "2019-03-14"),
        ("31.12.2021", "2021-12-31"),
        ("14-MAR-2019", "2019-03-14"),
        ("14 March 2019", "2019-03-14"),
        ("March 14, 2019", "2019-03-14"),
        ("Sept. 2019", "2019-09"),
        ("05/05/2019", "2019-05-05"),
        # XSD dates with a UTC offset (the UN list) and stamps: the day as written.
        ("2015-07-01-04:00", "2015-07-01"),
        ("2015-07-01Z", "2015-07-01"),
        ("2015-07-01+05:30", "2015-07-01"),
        ("2015-07-01T00:00:00+02:00", "2015-07-01"),
        ("2015-07-01T23:59:59.5-11:00", "2015-07-01"),
        ("25-Mar-2022", "2022-03-25"),
    ],
)
def test_dates_keep_their_precision(text: str, expected: str) -> None:
    assert _date(text) == (expected, [])


@pytest.mark.parametrize("text", ["Ongoing", "PERMANENT", "until further notice", "n/a", ""])
def test_open_end_words_are_no_end_without_warning(text: str) -> None:
    assert _date(text, is_end=True) == ("", [])


def test_far_future_end_is_no_end_with_a_warning() -> None:
    assert _date("9999-12-31", is_end=True) == ("", ["end date '9999-12-31' read as no end"])
    assert _date("2099", is_end=True) == ("", ["end date '2099' read as no end"])
    assert _date("2056-06-29", is_end=True) == ("2056-06-29", [])


def test_open_end_word_as_a_start_warns() -> None:
    assert _date("Ongoing") == ("", ["end date 'Ongoing' is not a date; left empty"])


@pytest.mark.parametrize(
    ("text", "warning"),
    [
        (
            "03/04/2020",
            "end date '03/04/2020' could be day/month or month/day (give `date_order`); left empty",
        ),
        ("06/07/95", "end date '06/07/95' has a two-digit year; left empty"),
        ("2023-02-30", "end date '2023-02-30' is not a valid date; left empty"),
        ("13/13/2021", "end date '13/13/2021' is not a valid date; left empty"),
        ("soon", "end date 'soon' is not a date; left empty"),
    ],
)
def test_unreadable_dates_are_empty_with_a_warning(text: str, warning: str) -> None:
    assert _date(text) == ("", [warning])


def test_date_order_resolves_ambiguous_dates() -> None:
    assert _date("03/04/2020", DateOrder.DMY) == ("2020-04-03", [])
    assert _date("03/04/2020", DateOrder.MDY) == ("2020-03-04", [])


def test_spreadsheet_dates_are_days() -> None:
    from datetime import datetime

    assert parse_list_date(datetime(2021, 6, 1, 0, 0), field="x", warn=print) == PartialDate(
        2021, 6, 1
    )


@pytest.mark.parametrize(
    ("text", "name", "aliases"),
    [
        ("ACME Ltd a.k.a. Acme Trading", "ACME Ltd", ["Acme Trading"]),
        ("Beta Corp (f/k/a Old Beta Inc.)", "Beta Corp", ["Old Beta Inc."]),
        ("Gamma LLC d/b/a Gamma Stores; aka GS", "Gamma LLC", ["Gamma Stores", "GS"]),
        ("Delta, formerly known as Epsilon SA", "Delta", ["Epsilon SA"]),
        ("Dbase Akagi Corp", "Dbase Akagi Corp", []),
        ("  Padded   Name  ", "Padded Name", []),
    ],
)
def test_aliases_inside_the_name(text: str, name: str, aliases: list[str]) -> None:
    assert names_in(text) == (name, aliases)


def test_alias_column_split_on_semicolons() -> None:
    assert split_aliases("CETC 54th; Communication (CTI); and Shijiazhuang Institute;  ;") == [
        "CETC 54th",
        "Communication (CTI)",
        "Shijiazhuang Institute",
    ]
    assert split_aliases("A | B", "|") == ["A", "B"]


def test_identifiers_need_a_scheme() -> None:
    warnings: list[str] = []
    pairs = split_identifiers("md-idno:1003600012345; NOSCHEME; XI-LEI: 5493", warnings.append)
    assert pairs == [("MD-IDNO", "1003600012345"), ("XI-LEI", "5493")]
    assert warnings == ["identifier 'NOSCHEME' is not SCHEME:ID; skipped"]


@pytest.mark.parametrize(
    ("word", "kind"),
    [
        ("Debarment", MeasureKind.BAN),
        ("Cross debarment", MeasureKind.BAN),
        ("Conditional non-debarment", MeasureKind.RESTRICTION),
        ("restriction", MeasureKind.RESTRICTION),
        ("Investigation", MeasureKind.INVESTIGATION),
        ("reprimand", None),
    ],
)
def test_kind_words(word: str, kind: MeasureKind | None) -> None:
    assert measure_kind(word) == kind


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("MR. RUFAT MAJIDOV", VendorKind.PERSON),
        ("Mrs Jane Roe", VendorKind.PERSON),
        ("Dr. Ivan Petrov", VendorKind.PERSON),
        ("Orion Scanning Systems Ltd.", VendorKind.ORGANISATION),
        ("Logitrans Logística Engenharia e Transportes Ltda.", VendorKind.ORGANISATION),
        ("Zenith Supplies", VendorKind.UNKNOWN),
        ("", VendorKind.UNKNOWN),
    ],
)
def test_a_title_says_person_and_a_legal_form_organisation(name: str, kind: VendorKind) -> None:
    assert vendor_kind_of(name) is kind


@pytest.mark.parametrize(
    ("word", "kind"),
    [
        ("individual", VendorKind.PERSON),
        ("Person", VendorKind.PERSON),
        ("entity", VendorKind.ORGANISATION),
        ("organization", VendorKind.ORGANISATION),
        ("Organisation", VendorKind.ORGANISATION),
        ("unknown", VendorKind.UNKNOWN),
        ("vessel", None),
    ],
)
def test_vendor_kind_words(word: str, kind: VendorKind | None) -> None:
    assert vendor_kind(word) is kind


@pytest.mark.parametrize(
    ("text", "null"),
    [("-0-", True), ("-0- ", True), ("", True), ("N/A", True), ("0", False), ("Listed.", False)],
)
def test_null_markers(text: str, null: bool) -> None:
    assert is_null(text) is null


def test_clean_name_removes_controls_and_counts_each() -> None:
    from procwatch.importers.cleaning import clean_name

    warnings: list[str] = []
    assert clean_name("Plain Name Ltd", warnings.append) == "Plain Name Ltd"
    assert warnings == []
    cleaned = clean_name("A\x00B\x7f C\u200d\u2066D\tE\nF\ufeff", warnings.append, "alias")
    assert cleaned == "AB CD E F"
    # NUL, DEL, ZWJ, an isolate and a BOM removed; TAB and newline are spaces, as always.
    assert warnings == ["alias: control character removed (C0/C1, zero-width or bidirectional)"] * 5
