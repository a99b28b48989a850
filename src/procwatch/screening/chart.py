"""Draw a vendor's timeline as a PNG: contract periods and values per jurisdiction, measures."""

from __future__ import annotations

import io
import re
from collections import Counter
from datetime import date, timedelta
from typing import TYPE_CHECKING

from procwatch.dates import PartialDate, format_period
from procwatch.money import readable_amount
from procwatch.screening.timeline import Timeline, TimelineEvent

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

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
FINDING_COLOR = "#b03a2e"
# The footer names this many source documents; a busy vendor's chart counts the rest.
MAX_CREDITED = 4


def timeline_png(timeline: Timeline) -> bytes:
    """Return the timeline chart as PNG bytes of WIDTH_PX x HEIGHT_PX pixels."""
    buffer = io.BytesIO()
    timeline_figure(timeline).savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def timeline_figure(timeline: Timeline) -> Figure:
    """Draw the chart: lanes per jurisdiction up to the as-of date, a legend of what is drawn,
    and the sources, date and database it was made from."""
    # Imported here: matplotlib is slow to load and only this chart needs it.
    from matplotlib.figure import Figure

    figure = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI)
    axes = figure.add_axes((0.2, 0.2, 0.72, 0.67))
    origin = timeline.origin
    figure.text(
        0.02,
        0.95,
        literal(f"{timeline.vendor}: contracts and measures by jurisdiction, as of {origin.as_of}"),
        fontsize=13,
    )
    dated = [event for event in timeline.events if event.date]
    note = NOTE
    if not dated:
        axes.text(0.5, 0.5, "No dated contracts or measures recorded", ha="center", va="center")
        axes.set_axis_off()
    else:
        lanes = lanes_to_draw(dated)
        drawn = _draw(
            axes, [event for event in dated if event.country in lanes], lanes, origin.as_of
        )
        hidden = len({event.country for event in dated}) - len(lanes)
        if "summed" in drawn:
            note += SUMMED_NOTE.format(labelled=MAX_LABELLED)
        if hidden:
            note += HIDDEN_NOTE.format(hidden=hidden)
        handles = legend_handles(drawn)
        axes.legend(
            handles=handles,
            loc="lower right",
            bbox_to_anchor=(1.0, 1.0),
            ncol=len(handles),
            fontsize=9,
            frameon=False,
        )
    figure.text(0.02, 0.075, note, fontsize=8, color="#555555", va="bottom")
    figure.text(
        0.02,
        0.015,
        literal(_credit(timeline)),
        fontsize=7.5,
        color="#555555",
        va="bottom",
        wrap=True,
    )
    return figure


_CONTROLS = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def literal(text: str) -> str:
    """Return data as matplotlib text that prints as written: two `$` would start mathtext
    ("Price $5 and $10 Ltd" lost its dollars, and `$x$` crashed the chart or set x in italics),
    without the control characters no font draws (ESC came out as a missing-glyph box)."""
    return _CONTROLS.sub("", text).replace("$", r"\$")


def legend_handles(drawn: set[str]) -> list[Artist]:
    """Return legend entries for what the chart drew, and only those, in a fixed order."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles: list[Artist] = [
        Patch(color=color, label=kind) for kind, color in COLORS.items() if kind in drawn
    ]
    if "ongoing" in drawn:
        handles.append(
            Line2D([], [], color="#333333", marker=">", linestyle="", label="ongoing: no end known")
        )
    if "finding" in drawn:
        handles.append(
            Line2D(
                [], [], color=FINDING_COLOR, marker="X", linestyle="", label="documented finding"
            )
        )
    if "estimate" in drawn:
        handles.append(Patch(color="none", label="~ estimated value"))
    return handles


def _credit(timeline: Timeline) -> str:
    sources = list(
        dict.fromkeys(
            source.title or source.source for e in timeline.events for source in e.sources
        )
    )
    shown = "; ".join(sources[:MAX_CREDITED])
    if len(sources) > MAX_CREDITED:
        shown += f"; and {len(sources) - MAX_CREDITED} more"
    origin = timeline.origin
    return f"Sources: {shown or 'none recorded'}.\n{origin.sentence()}"


def lanes_to_draw(events: list[TimelineEvent]) -> list[str]:
    """Return the jurisdictions to draw, in order of first appearance, at most MAX_LANES."""
    order = list(dict.fromkeys(event.country for event in events))
    measured = {event.country for event in events if event.kind != "contract"}
    contracts = Counter(event.country for event in events if event.kind == "contract")
    ranked = sorted(order, key=lambda code: (code not in measured, -contracts[code]))
    chosen = set(ranked[:MAX_LANES])
    return [code for code in order if code in chosen]


def _draw(axes: Axes, events: list[TimelineEvent], lanes: list[str], as_of: str) -> set[str]:
    """Draw the lanes up to the as-of date; return what was drawn (kinds, "ongoing",
    "finding", "estimate", "summed"), for the legend."""
    drawn: set[str] = set()
    names = {event.country: literal(f"{event.country_name} ({event.country})") for event in events}
    contracts = Counter(event.country for event in events if event.kind == "contract")
    summed = {code for code in lanes if contracts[code] > MAX_LABELLED}
    for code in summed:
        names[code] += f"\n{contracts[code]:,} contracts"
    row = {code: len(lanes) - 1 - index for index, code in enumerate(lanes)}
    first = min(_start(e) for e in events)
    # The axis ends on the as-of date: an open-ended measure runs to the edge and past it.
    edge = _year_fraction(PartialDate.parse(as_of).latest() + timedelta(days=1))
    left, right = int(first) - 1, edge
    if summed:
        drawn.update({"summed", "contract"})
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
        drawn.add(event.kind)
        if event.kind == "contract":
            end = min(end, right)
            axes.broken_barh([(start, end - start)], (y - 0.18, 0.36), color=color)
            axes.annotate(
                literal(_value(event)),
                (start + (end - start) / 2, y + 0.22),
                ha="center",
                va="bottom",
                fontsize=8,
                color=color,
            )
            if event.amount is not None and event.amount_is_estimate:
                drawn.add("estimate")
            if event.findings:
                drawn.add("finding")
                _draw_findings(axes, event, (start + end) / 2, y)
        else:
            ongoing = event.date_end is None or end > right
            stop = right if ongoing else end
            if ongoing:
                drawn.add("ongoing")
                # Past the edge, outside the axes: the measure did not end on the as-of date.
                axes.plot(
                    [right + (right - left) * 0.012],
                    [y],
                    marker=">",
                    color=color,
                    markersize=7,
                    clip_on=False,
                )
            axes.broken_barh([(start, stop - start)], (y - 0.3, 0.6), color=color, alpha=0.18)
            axes.plot([start, start], [y - 0.3, y + 0.3], color=color, linewidth=2.5)
            axes.axvline(start, color=color, linestyle=":", linewidth=0.8, alpha=0.6)
            period = format_period(event.date, event.date_end)
            if event.date_end is None:
                period += ", ongoing"
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
    axes.axvline(right, color="#333333", linewidth=1)
    axes.annotate(f"as of {as_of}", (right, len(lanes) - 0.2), ha="right", va="top", fontsize=8)
    # Grid lines at 1 January; each year's label sits in the middle of its year.
    last = int(right) if right == int(right) else int(right) + 1
    step = 1 if last - left <= 24 else 2
    axes.set_xticks(range(left, last, step), [""] * len(range(left, last, step)))
    years = [year for year in range(left, last, step) if year + 0.5 <= right]
    axes.set_xticks([year + 0.5 for year in years], [str(year) for year in years], minor=True)
    axes.tick_params(axis="x", which="minor", length=0, labelsize=8)
    axes.grid(axis="x", which="major", color="#eeeeee")
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    return drawn


def _draw_findings(axes: Axes, event: TimelineEvent, x: float, y: int) -> None:
    for finding in event.findings:
        known = finding.amount is not None
        amount = f" {readable_amount(finding.amount, finding.currency)}" if known else ""
        axes.plot([x], [y], marker="X", color=FINDING_COLOR, markersize=9, linestyle="")
        axes.annotate(
            literal(f"finding: {finding.kind}{amount}"),
            (x, y - 0.22),
            ha="center",
            va="top",
            fontsize=8,
            color=FINDING_COLOR,
        )


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
    return f"{period}: {readable_amount(event.amount, event.currency, event.amount_is_estimate)}"


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
