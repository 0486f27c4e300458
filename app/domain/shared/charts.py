"""Horizontal bar charts (and, below, line charts of a measure over time) as plain data, drawn
as SVG by `templates/macros/charts.html`.

The SVG has no viewBox: its user units are CSS pixels and bar lengths are percentages of its
width, so text keeps its real size at any zoom (16px at 100%, still 16 CSS pixels at 400% on a
narrow screen) and bars stretch or shrink with the column. Labels are wrapped here, short
enough to fit a 320px-wide screen. Right-to-left pages get a mirrored chart: bars grow from the
right and labels start at the right edge. No JavaScript, no inline styles (the CSP refuses
them): only SVG presentation attributes.

Colours meet WCAG 2.2 AA on white: bars #1d70b8 (5.2:1, non-text needs 3:1), text #0b0c0c,
the words for a hidden number #505a5f (7:1).
"""

import itertools
import math
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

BAR_COLOUR = "#1d70b8"
TEXT_COLOUR = "#0b0c0c"
MUTED_COLOUR = "#505a5f"
FONT_SIZE = 16
LINE_HEIGHT = 20
BAR_HEIGHT = 24
ROW_GAP = 16
LABEL_WIDTH = 32  # characters per line: fits a 320px screen at 16px
MAX_BAR_PERCENT = 65  # leaves room after the longest bar for its number

_ids = itertools.count(1)


@dataclass
class BarRow:
    label: str
    value_text: str  # what is written after the bar: "12 (34%)", or "fewer than 5"
    lines: list[str]  # the label, wrapped
    label_y: int  # baseline of the first label line
    bar_y: int
    value_y: int  # baseline of the number, in the middle of the bar
    bar_x: float  # percent of the chart's width
    bar_percent: float  # percent of the chart's width; 0 draws no bar
    value_x: float  # percent of the chart's width where the number starts
    muted: bool  # the number is hidden: draw the words in grey, no bar


@dataclass
class Bar:
    """One bar to draw: `value` sets its length (None: the number is hidden, no bar).

    `count_text` and `percent_text` fill the table drawn next to the chart.
    """

    label: str
    value: int | None
    value_text: str
    count_text: str = ""
    percent_text: str = ""


@dataclass
class BarChart:
    id: str
    title: str
    description: str
    bars: list[Bar] = field(default_factory=list)  # the same numbers, for the table
    label_heading: str = ""  # the table's first column: "Answer", "Range", "Month"
    count_heading: str = ""
    percent_heading: str = ""
    rows: list[BarRow] = field(default_factory=list)
    height: int = 0
    rtl: bool = False
    bar_colour: str = BAR_COLOUR
    text_colour: str = TEXT_COLOUR
    muted_colour: str = MUTED_COLOUR
    font_size: int = FONT_SIZE
    line_height: int = LINE_HEIGHT
    bar_height: int = BAR_HEIGHT

    @property
    def direction(self) -> str:
        return "rtl" if self.rtl else "ltr"

    @property
    def label_x(self) -> str:
        return "100%" if self.rtl else "0"

    @property
    def value_dx(self) -> int:
        """The gap between a bar's end and its number, towards the reading direction."""
        return -8 if self.rtl else 8


def wrap(label: str, width: int = LABEL_WIDTH) -> list[str]:
    return textwrap.wrap(label, width=width, break_long_words=True, break_on_hyphens=False) or [""]


def bar_chart(
    title: str,
    description: str,
    bars: list[Bar],
    *,
    rtl: bool = False,
    chart_id: str | None = None,
    label_heading: str = "",
    count_heading: str = "",
    percent_heading: str = "",
) -> BarChart:
    """Lay out a chart: each row is its wrapped label, then the bar with its number after it.

    The longest bar is MAX_BAR_PERCENT of the width; the others are in proportion.
    """
    chart = BarChart(
        id=chart_id or f"chart-{next(_ids)}",
        title=title,
        description=description,
        rtl=rtl,
        bars=list(bars),
        label_heading=label_heading,
        count_heading=count_heading,
        percent_heading=percent_heading,
    )
    largest = max((bar.value for bar in bars if bar.value), default=0)
    y = 0
    for bar in bars:
        lines = wrap(bar.label)
        label_y = y + FONT_SIZE
        bar_y = y + len(lines) * LINE_HEIGHT + 4
        length = 0.0
        if bar.value and largest:
            length = round(MAX_BAR_PERCENT * bar.value / largest, 2)
            length = max(length, 0.5)  # a count of one is still visible
        start = 100 - length if rtl else 0
        value_x = 100 - length if rtl else length
        chart.rows.append(
            BarRow(
                label=bar.label,
                value_text=bar.value_text,
                lines=lines,
                label_y=label_y,
                bar_y=bar_y,
                value_y=bar_y + BAR_HEIGHT // 2 + FONT_SIZE // 2 - 2,
                bar_x=start,
                bar_percent=length,
                value_x=value_x,
                muted=bar.value is None,
            )
        )
        y = bar_y + BAR_HEIGHT + ROW_GAP
    chart.height = max(y - ROW_GAP + 4, 1)
    return chart


# Line charts ------------------------------------------------------------------------------------
# A measure over time: its values joined by a solid line, and the straight line from its baseline
# to its target dashed, with the baseline (a square) and the target (a ring) marked. Like the bar
# charts, the SVG has no viewBox: x positions are percentages of its width and y positions CSS
# pixels, so the chart stretches to a 320px screen while its text keeps its real size. Values are
# labelled on horizontal grid lines (the label sits just above its line at the start edge), the
# first and last dates below. Right-to-left pages run time from right to left. The legend and the
# table of values are HTML beside the chart (templates/macros/charts.html).

LINE_COLOUR = "#1d70b8"  # 5.2:1 on white
TRAJECTORY_COLOUR = "#505a5f"  # 7:1 on white
GRID_COLOUR = "#b1b4b6"  # decorative guide lines only
PLOT_TOP = 24
PLOT_HEIGHT = 200
X_MARGIN = 4  # percent of the width left empty at each edge, so marks at the ends are whole
GRID_STEPS = 4


@dataclass
class LinePoint:
    x: float  # percent of the chart's width
    y: float  # CSS pixels from the top


@dataclass
class GridLine:
    y: float
    label: str


@dataclass
class LineChart:
    id: str
    title: str
    description: str
    points: list[LinePoint] = field(default_factory=list)
    segments: list[tuple[LinePoint, LinePoint]] = field(default_factory=list)
    baseline: LinePoint | None = None
    target: LinePoint | None = None
    grid: list[GridLine] = field(default_factory=list)
    first_date_label: str = ""
    last_date_label: str = ""
    height: int = 0
    rtl: bool = False
    line_colour: str = LINE_COLOUR
    trajectory_colour: str = TRAJECTORY_COLOUR
    grid_colour: str = GRID_COLOUR
    text_colour: str = TEXT_COLOUR
    font_size: int = FONT_SIZE

    @property
    def direction(self) -> str:
        return "rtl" if self.rtl else "ltr"

    @property
    def start_x(self) -> str:
        """Where text at the start of the reading direction is anchored."""
        return "100%" if self.rtl else "0"

    @property
    def end_x(self) -> str:
        return "0" if self.rtl else "100%"

    @property
    def axis_y(self) -> int:
        return PLOT_TOP + PLOT_HEIGHT + FONT_SIZE + 8


def _nice_step(span: float) -> float:
    """A round step (1, 2, 2.5 or 5 times a power of ten) giving about GRID_STEPS lines."""
    raw = span / GRID_STEPS
    power = 10 ** math.floor(math.log10(raw))
    for multiple in (1, 2, 2.5, 5, 10):
        if raw <= multiple * power:
            return multiple * power
    return 10 * power  # pragma: no cover - the loop always returns


def value_range(values: list[float]) -> tuple[float, float, float]:
    """The lowest and highest grid values and the step between them, covering every value."""
    low, high = min(values), max(values)
    if high == low:
        low, high = low - 1, high + 1
    step = _nice_step(high - low)
    return math.floor(low / step) * step, math.ceil(high / step) * step, step


def line_chart(
    title: str,
    description: str,
    values: list[tuple[date, float]],
    *,
    baseline: tuple[date, float],
    target: tuple[date, float],
    value_text: Callable[[float], str],
    date_text: Callable[[date], str],
    rtl: bool = False,
    chart_id: str | None = None,
) -> LineChart:
    """Lay out a measure's chart. `values` are (date, value) pairs in date order; the time axis
    runs from the earliest to the latest of the values, the baseline and the target."""
    chart = LineChart(
        id=chart_id or f"chart-{next(_ids)}", title=title, description=description, rtl=rtl
    )
    days = [day for day, _value in values] + [baseline[0], target[0]]
    first, last = min(days), max(days)
    span_days = max((last - first).days, 1)
    low, high, step = value_range([value for _day, value in values] + [baseline[1], target[1]])

    def x(day: date) -> float:
        share = X_MARGIN + (100 - 2 * X_MARGIN) * (day - first).days / span_days
        return round(100 - share if rtl else share, 2)

    def y(value: float) -> float:
        return round(PLOT_TOP + PLOT_HEIGHT * (high - value) / (high - low), 2)

    count = round((high - low) / step)
    chart.grid = [
        GridLine(y(low + index * step), value_text(low + index * step))
        for index in range(count + 1)
    ]
    chart.points = [LinePoint(x(day), y(value)) for day, value in values]
    chart.segments = list(itertools.pairwise(chart.points))
    chart.baseline = LinePoint(x(baseline[0]), y(baseline[1]))
    chart.target = LinePoint(x(target[0]), y(target[1]))
    chart.first_date_label = date_text(first)
    chart.last_date_label = date_text(last)
    chart.height = chart.axis_y + 8
    return chart
