import struct

from sqlalchemy import Connection

from procwatch.screening.chart import (
    HEIGHT_PX,
    MAX_LANES,
    WIDTH_PX,
    lanes_to_draw,
    timeline_figure,
    timeline_png,
)
from procwatch.screening.origin import ReportOrigin
from procwatch.screening.timeline import Timeline, TimelineEvent, vendor_timeline

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
ORIGIN = ReportOrigin("2025-06-01", "2025-06-01T12:00:00Z", "0.1.0", "procwatch.db")


def png_size(data: bytes) -> tuple[int, int]:
    """Return the width and height from a PNG's IHDR chunk, checking the signature."""
    assert data[:8] == PNG_SIGNATURE
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_chart_is_a_png_of_the_expected_size(connection: Connection) -> None:
    data = timeline_png(vendor_timeline(connection, "Nuctech"))
    assert (WIDTH_PX, HEIGHT_PX) == (1200, 675)
    assert png_size(data) == (1200, 675)
    assert data.endswith(b"IEND\xaeB`\x82")


def test_empty_chart_is_still_a_png() -> None:
    assert png_size(timeline_png(Timeline(vendor="Acme", origin=ORIGIN, events=[]))) == (1200, 675)


def _event(country: str, kind: str, date: str) -> TimelineEvent:
    return TimelineEvent(
        date=date,
        date_end=None,
        country=country,
        country_name=country,
        kind=kind,
        title="t",
        buyer=None,
        amount=None,
        currency=None,
        amount_is_estimate=False,
        key=f"{country}-{kind}-{date}",
        sources=[],
    )


def test_a_busy_vendor_keeps_the_lanes_with_measures_then_the_busiest() -> None:
    events = [
        _event(f"C{n:02d}", "contract", f"{2010 + k % 3}-0{1 + k % 9}")
        for n in range(15)
        for k in range(n + 1)
    ]
    events.append(_event("C00", "ban", "2012"))
    lanes = lanes_to_draw(events)
    assert len(lanes) == MAX_LANES
    # The lane with a measure stays although it has the fewest contracts; the three
    # least busy others go.
    assert "C00" in lanes
    assert not {"C01", "C02", "C03"} & set(lanes)
    chart = timeline_png(Timeline(vendor="Busy", origin=ORIGIN, events=events))
    assert png_size(chart) == (1200, 675)


def _texts(figure) -> list[str]:  # type: ignore[no-untyped-def]
    return [text.get_text() for text in figure.findobj(lambda a: hasattr(a, "get_text"))]


def test_chart_of_nuctech_runs_to_the_as_of_date_and_says_what_it_draws(
    connection: Connection,
) -> None:
    timeline = vendor_timeline(connection, "Nuctech", as_of="2024-06-30")
    figure = timeline_figure(timeline)
    axes = figure.axes[0]
    # The axis ends on the as-of date: 1 July 2024 is 2024 + 182/366.
    assert axes.get_xlim()[1] == 2024 + 182 / 366
    legend = [text.get_text() for text in axes.get_legend().get_texts()]
    assert legend == [
        "contract",
        "ban",
        "restriction",
        "investigation",
        "ongoing: no end known",
        "documented finding",
        "~ estimated value",
    ]
    texts = _texts(figure)
    assert "finding: overpayment 215,368.00 USD" in texts
    assert "investigation 2024-04-23, ongoing" in texts
    assert any(t.startswith("Nuctech Company Limited: ") and "as of 2024-06-30" in t for t in texts)
    footer = next(t for t in texts if t.startswith("Sources: "))
    assert "In the wake of Nuctech raids" in footer
    assert "by procwatch " in footer and "from the database " in footer


def test_legend_shows_only_what_is_drawn(connection: Connection) -> None:
    # By 2019 only Georgia's contracts had begun: no measure, nothing ongoing, no estimate.
    figure = timeline_figure(vendor_timeline(connection, "Nuctech", as_of="2019"))
    legend = [text.get_text() for text in figure.axes[0].get_legend().get_texts()]
    assert legend == ["contract", "documented finding"]
    assert figure.axes[0].get_xlim()[1] == 2020
