"""Draw a vendor's timeline as a PNG: contract periods and values per jurisdiction, measures."""

from __future__ import annotations

import io
from collections import Counter
from datetime import date, timedelta
from typing import TYPE_CHECKING

from procwatch.dates import PartialDate, format_period
from procwatch.screening.timeline import Timeline, TimelineEvent

if TYPE_CHECKING:
    from matplotlib.axes import Axes

WIDTH_PX = 1200
HEIGHT_PX = 675
DPI = 100
COLORS = {
    "contract": "#1f5fa8",
    "ban": "#c0392b",
    "restriction": "#e67e22",
    "investigation": "#7d3c98",
}
NOTE = (
    "Bars: contracts over the period the source gives (a year-only date fills its year); "
    "values in the contract's own currency, not converted.\n"
    "Shaded: a measure in force from its start, open-ended unless an end is recorded; "
    "dotted lines carry each measure's start across all jurisdictions."
)
# Beyond these, one chart stops being readable: the busiest lanes are kept (every lane with a
# measure first), and a lane's contracts are counted per year instead of labelled one by one.
MAX_LANES = 12
MAX_LABELLED = 6
SUMMED_NOTE = (
    "\nLanes of more than {labelled} contracts show one bar a year, as high as its number of "
    "contracts."
)
HIDDEN_NOTE = " {hidden} more jurisdictions with fewer contracts are not shown."


def timeline_png(timeline: Timeline) -> bytes:
    """Return the timeline chart as PNG bytes of WIDTH_PX x HEIGHT_PX pixels."""
    # Imported here: matplotlib is slow to load and only this chart needs it.
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    figure = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI)
    axes = figure.add_axes((0.2, 0.15, 0.76, 0.74))
    figure.text(
        0.02, 0.95, f"{timeline.vendor}: contracts and measures by jurisdiction", fontsize=13
    )
    dated = [event for event in timeline.events if event.date]
    note = NOTE
    if not dated:
        axes.text(0.5, 0.5, "No dated contracts or measures recorded", ha="center", va="center")
        axes.set_axis_off()
    else:
        lanes = lanes_to_draw(dated)
        summed = _draw(axes, [event for event in dated if event.country in lanes], lanes)
        hidden = len({event.country for event in dated}) - len(lanes)
        if summed:
            note += SUMMED_NOTE.format(labelled=MAX_LABELLED)
        if hidden:
            note += HIDDEN_NOTE.format(hidden=hidden)
        axes.legend(
            handles=[Patch(color=color, label=kind) for kind, color in COLORS.items()],
            loc="lower right",
            bbox_to_anchor=(1.0, 1.0),
            ncol=len(COLORS),
            fontsize=9,
            frameon=False,
        )
    figure.text(0.02, 0.02, note, fontsize=8, color="#555555")
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def lanes_to_draw(events: list[TimelineEvent]) -> list[str]:
    """Return the jurisdictions to draw, in order of first appearance, at most MAX_LANES."""
    order = list(dict.fromkeys(event.country for event in events))
    measured = {event.country for event in events if event.kind != "contract"}
    contracts = Counter(event.country for event in events if event.kind == "contract")
    ranked = sorted(order, key=lambda code: (code not in measured, -contracts[code]))
    chosen = set(ranked[:MAX_LANES])
    return [code for code in order if code in chosen]


def _draw(axes: Axes, events: list[TimelineEvent], lanes: list[str]) -> bool:
    """Draw the lanes; return whether any lane's contracts were summed per year."""
    names = {event.country: f"{event.country_name} ({event.country})" for event in events}
    contracts = Counter(event.country for event in events if event.kind == "contract")
    summed = {code for code in lanes if contracts[code] > MAX_LABELLED}
    for code in summed:
        names[code] += f"\n{contracts[code]:,} contracts"
    row = {code: len(lanes) - 1 - index for index, code in enumerate(lanes)}
    first = min(_start(e) for e in events)
    last = max(_end(e) for e in events)
    left, right = int(first) - 1, int(last) + 2
    for code in summed:
        _draw_yearly(
            axes, [e for e in events if e.country == code and e.kind == "contract"], row[code]
        )
    for event in events:
        y = row[event.country]
        start, end = _start(event), _end(event)
        color = COLORS.get(event.kind, "#333333")
        if event.kind == "contract" and event.country in summed:
            continue
        if event.kind == "contract":
            axes.broken_barh([(start, end - start)], (y - 0.18, 0.36), color=color)
            axes.annotate(
                _value(event),
                (start + (end - start) / 2, y + 0.22),
                ha="center",
                va="bottom",
                fontsize=8,
                color=color,
            )
        else:
            stop = right if event.date_end is None else end
            axes.broken_barh([(start, stop - start)], (y - 0.3, 0.6), color=color, alpha=0.18)
            axes.plot([start, start], [y - 0.3, y + 0.3], color=color, linewidth=2.5)
            axes.axvline(start, color=color, linestyle=":", linewidth=0.8, alpha=0.6)
            period = format_period(event.date, event.date_end)
            # Labels of late measures run leftwards so they stay inside the chart.
            late = start > left + (right - left) * 0.75
            axes.annotate(
                f"{event.kind} {period}",
                (start, y - 0.42),
                ha="right" if late else "left",
                va="top",
                fontsize=8,
                color=color,
            )
    axes.set_yticks(list(row.values()), [names[code] for code in row])
    axes.set_ylim(-0.8, len(lanes) - 0.2)
    axes.set_xlim(left, right)
    # Grid lines at 1 January; each year's label sits in the middle of its year.
    step = 1 if right - left <= 24 else 2
    axes.set_xticks(range(left, right + 1, step), [""] * len(range(left, right + 1, step)))
    years = range(left, right, step)
    axes.set_xticks([year + 0.5 for year in years], [str(year) for year in years], minor=True)
    axes.tick_params(axis="x", which="minor", length=0, labelsize=8)
    axes.grid(axis="x", which="major", color="#eeeeee")
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    return bool(summed)


def _draw_yearly(axes: Axes, contracts: list[TimelineEvent], y: int) -> None:
    per_year = Counter(int(_start(event)) for event in contracts)
    most = max(per_year.values())
    for year, count in sorted(per_year.items()):
        height = 0.1 + 0.5 * count / most
        axes.broken_barh([(year + 0.05, 0.9)], (y - height / 2, height), color=COLORS["contract"])
        axes.annotate(
            f"{count:,}",
            (year + 0.5, y + height / 2 + 0.02),
            ha="center",
            va="bottom",
            fontsize=7,
            color=COLORS["contract"],
        )


def _value(event: TimelineEvent) -> str:
    period = format_period(event.date, event.date_end)
    if event.amount is None:
        return f"{period}: value unknown"
    approximate = "~" if event.amount_is_estimate else ""
    return f"{period}: {approximate}{event.amount:,} {event.currency}"


def _start(event: TimelineEvent) -> float:
    assert event.date is not None
    return _year_fraction(PartialDate.parse(event.date).earliest())


def _end(event: TimelineEvent) -> float:
    assert event.date is not None
    last = PartialDate.parse(event.date_end or event.date).latest()
    return _year_fraction(last + timedelta(days=1))


def _year_fraction(day: date) -> float:
    days_in_year = (date(day.year + 1, 1, 1) - date(day.year, 1, 1)).days
    return day.year + (day.timetuple().tm_yday - 1) / days_in_year
