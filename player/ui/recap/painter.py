"""Painting one recap page with QPainter, at any size: the view, the PNG cards and the HTML.

Sizes scale with u = the shorter side, so a 1080x1920 story card, a 1920x1080 landscape card
and the window all get the same look. Wide rects put words left and the picture right;
tall ones put words on top.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QLinearGradient,
    QPainter,
    QPainterPath,
    QPen,
    QRadialGradient,
)

from player.recap.story import Chart, Item, Page

# (top, bottom, accent) per page, cycling: deep backgrounds, one bright accent each.
THEMES = [
    ("#1b1446", "#5b21b6", "#f0abfc"),
    ("#0b1f3a", "#0e7490", "#5eead4"),
    ("#3b0a2a", "#be185d", "#fde68a"),
    ("#0f2a1d", "#15803d", "#bef264"),
    ("#3a1206", "#c2410c", "#fed7aa"),
    ("#111827", "#4338ca", "#a5b4fc"),
    ("#2a0f3d", "#9333ea", "#fbcfe8"),
    ("#062a33", "#0369a1", "#fcd34d"),
]
WHITE = QColor("#ffffff")
FULL_WIDTH = ("clock", "calendar")  # charts that need the whole width, under the words


def theme(index: int) -> tuple[QColor, QColor, QColor]:
    top, bottom, accent = THEMES[index % len(THEMES)]
    return QColor(top), QColor(bottom), QColor(accent)


def font(px: float, weight: QFont.Weight = QFont.Weight.Normal, spacing: float = 0.0) -> QFont:
    f = QFont()
    f.setFamilies(["DejaVu Sans", "Sans Serif"])
    f.setPixelSize(max(6, round(px)))
    f.setWeight(weight)
    if spacing:
        f.setLetterSpacing(QFont.SpacingType.AbsoluteSpacing, spacing)
    return f


def dim(color: QColor, alpha: int) -> QColor:
    c = QColor(color)
    c.setAlpha(alpha)
    return c


def paint_page(p: QPainter, rect: QRectF, page: Page, index: int, count: int) -> None:
    """Paint page (number index of count) filling rect."""
    p.save()
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    top, bottom, accent = theme(index)
    u = min(rect.width(), rect.height())
    _background(p, rect, top, bottom, accent, u)
    margin = 0.075 * u
    inner = rect.adjusted(margin, margin, -margin, -margin)
    _progress(p, QRectF(inner.left(), rect.top() + 0.035 * u, inner.width(), 0.008 * u),
              index, count, accent)
    wide = rect.width() > 1.25 * rect.height() and not (
        page.chart is not None and page.chart.kind in FULL_WIDTH)
    if wide:
        text_rect = QRectF(inner.left(), inner.top(), inner.width() * 0.44, inner.height())
        visual = QRectF(inner.left() + inner.width() * 0.5, inner.top() + 0.04 * u,
                        inner.width() * 0.5, inner.height() - 0.04 * u)
    else:
        text_rect = QRectF(inner)
    used = _words(p, text_rect, page, accent, u, centred=wide is False and not _has_visual(page))
    if not wide:
        gap = 0.06 * u
        visual = QRectF(inner.left(), used + gap, inner.width(), inner.bottom() - used - gap)
    _visual(p, visual, page, accent, u)
    _footer(p, rect, u)
    p.restore()


def _has_visual(page: Page) -> bool:
    return bool(page.items or page.chart or page.note)


def _background(p: QPainter, rect: QRectF, top: QColor, bottom: QColor, accent: QColor,
                u: float) -> None:
    gradient = QLinearGradient(rect.topLeft(), rect.bottomRight())
    gradient.setColorAt(0.0, top)
    gradient.setColorAt(1.0, bottom)
    p.fillRect(rect, QBrush(gradient))
    # Two soft glows give depth without competing with the words.
    for centre, radius, alpha in ((rect.topRight(), 0.9 * u, 70), (rect.bottomLeft(), 0.7 * u, 45)):
        glow = QRadialGradient(centre, radius)
        glow.setColorAt(0.0, dim(accent, alpha))
        glow.setColorAt(1.0, dim(accent, 0))
        p.fillRect(rect, QBrush(glow))


def _progress(p: QPainter, bar: QRectF, index: int, count: int, accent: QColor) -> None:
    if count <= 1:
        return
    gap = bar.height() * 1.2
    width = (bar.width() - gap * (count - 1)) / count
    p.setPen(Qt.PenStyle.NoPen)
    for i in range(count):
        seg = QRectF(bar.left() + i * (width + gap), bar.top(), width, bar.height())
        p.setBrush(WHITE if i <= index else dim(WHITE, 60))
        p.drawRoundedRect(seg, bar.height() / 2, bar.height() / 2)


def _text(p: QPainter, rect: QRectF, text: str, f: QFont, color: QColor,
          flags: int = int(Qt.AlignmentFlag.AlignLeft) | int(Qt.TextFlag.TextWordWrap)) -> float:
    """Draw wrapped text at the top of rect; returns its height."""
    p.setFont(f)
    p.setPen(color)
    bound = QFontMetricsF(f).boundingRect(rect, flags, text)
    p.drawText(QRectF(rect.left(), rect.top(), rect.width(), bound.height()), flags, text)
    return bound.height()


def _fit(text: str, px: float, smallest: float, width: float) -> QFont:
    """The biggest bold font (down to smallest) in which text fits on one line of width."""
    size = px
    while size > smallest:
        f = font(size, QFont.Weight.Black)
        if QFontMetricsF(f).horizontalAdvance(text) <= width:
            return f
        size *= 0.92
    return font(smallest, QFont.Weight.Black)


def _big(p: QPainter, rect: QRectF, text: str, accent: QColor, u: float) -> float:
    """The page's figure: one line as big as fits; else wrapped at the size of its longest word."""
    f = _fit(text, 0.15 * u, 0.09 * u, rect.width())
    if QFontMetricsF(f).horizontalAdvance(text) <= rect.width():
        return _text(p, rect, text, f, accent, int(Qt.AlignmentFlag.AlignLeft))
    longest = max(text.split(), key=lambda w: QFontMetricsF(f).horizontalAdvance(w))
    f = _fit(longest, 0.12 * u, 0.05 * u, rect.width())
    return _text(p, rect, text, f, accent,
                 int(Qt.AlignmentFlag.AlignLeft) | int(Qt.TextFlag.TextWordWrap))


def _words(p: QPainter, rect: QRectF, page: Page, accent: QColor, u: float,
           centred: bool) -> float:
    """Kicker, title, big figure and subtitle; returns the y below them."""
    y = rect.top() + 0.02 * u
    y += _text(p, QRectF(rect.left(), y, rect.width(), u), page.kicker,
               font(0.032 * u, QFont.Weight.Bold, 0.006 * u), accent) + 0.035 * u
    y += _text(p, QRectF(rect.left(), y, rect.width(), u), page.title,
               font(0.06 * u, QFont.Weight.Bold), WHITE) + 0.02 * u
    if page.big:
        y += _big(p, QRectF(rect.left(), y, rect.width(), u), page.big, accent, u) + 0.02 * u
    if page.subtitle:
        y += _text(p, QRectF(rect.left(), y, rect.width(), u), page.subtitle,
                   font(0.036 * u), dim(WHITE, 215))
    return y


def _visual(p: QPainter, rect: QRectF, page: Page, accent: QColor, u: float) -> None:
    if rect.height() < 0.1 * u:
        return
    if page.chart is not None:
        {"clock": _clock, "months": _months, "sound": _sound, "compare": _compare,
         "calendar": _calendar, "dots": _dots, "donut": _donut}[
            page.chart.kind](p, rect, page.chart, accent, u)
    elif page.items:
        _items(p, rect, page.items, accent, u)
    elif page.note:
        _note(p, rect, page.note, u)


def _note(p: QPainter, rect: QRectF, note: str, u: float) -> None:
    f = font(0.042 * u)
    pad = 0.05 * u
    height = QFontMetricsF(f).boundingRect(
        QRectF(0, 0, rect.width() - 2 * pad, u), int(Qt.TextFlag.TextWordWrap), note).height()
    card = QRectF(rect.left(), rect.top(), rect.width(), height + 2 * pad)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(dim(WHITE, 28))
    p.drawRoundedRect(card, 0.03 * u, 0.03 * u)
    _text(p, card.adjusted(pad, pad, -pad, -pad), note, f, WHITE)


def _items(p: QPainter, rect: QRectF, items: list[Item], accent: QColor, u: float) -> None:
    row = min(rect.height() / max(len(items), 1), 0.17 * u)
    spare = rect.height() - row * len(items)
    if spare > 0.3 * u:  # a tall card: centre the list in the space under the words
        rect = rect.adjusted(0, spare / 2, 0, 0)
    for i, item in enumerate(items):
        r = QRectF(rect.left(), rect.top() + i * row, rect.width(), row)
        if item.fraction is None:
            _stat_row(p, r, item, accent, u)
            continue
        rank_w = 0.08 * u
        _text(p, QRectF(r.left(), r.top(), rank_w, row), str(i + 1),
              font(0.05 * u, QFont.Weight.Black), accent, int(Qt.AlignmentFlag.AlignLeft))
        body = QRectF(r.left() + rank_w, r.top(), r.width() - rank_w, row)
        name_f = font(0.042 * u, QFont.Weight.Bold)
        name = QFontMetricsF(name_f).elidedText(item.name, Qt.TextElideMode.ElideRight,
                                                body.width())
        y = body.top() + _text(p, body, name, name_f, WHITE, int(Qt.AlignmentFlag.AlignLeft))
        # Second line: the artist left, the figures right.
        small = font(0.028 * u)
        value_w = QFontMetricsF(small).horizontalAdvance(item.value) + 0.01 * u
        line = QRectF(body.left(), y, body.width(), row)
        h = _text(p, line, item.value, small, dim(WHITE, 200), int(Qt.AlignmentFlag.AlignRight))
        if item.detail:
            detail = QFontMetricsF(small).elidedText(item.detail, Qt.TextElideMode.ElideRight,
                                                     max(0.0, body.width() - value_w - 0.02 * u))
            _text(p, line, detail, small, dim(WHITE, 170), int(Qt.AlignmentFlag.AlignLeft))
        y += h + 0.012 * u
        bar_h = 0.012 * u
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(dim(WHITE, 40))
        p.drawRoundedRect(QRectF(body.left(), y, body.width(), bar_h), bar_h / 2, bar_h / 2)
        p.setBrush(accent)
        p.drawRoundedRect(QRectF(body.left(), y, max(bar_h, body.width() * item.fraction), bar_h),
                          bar_h / 2, bar_h / 2)


def _stat_row(p: QPainter, r: QRectF, item: Item, accent: QColor, u: float) -> None:
    """A summary row: a small label over a large value, on a faint card."""
    card = r.adjusted(0, 0.008 * u, 0, -0.008 * u)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(dim(WHITE, 22))
    p.drawRoundedRect(card, 0.02 * u, 0.02 * u)
    inner = card.adjusted(0.03 * u, 0, -0.03 * u, 0)
    _label(p, inner, item.name, 0.03 * u, dim(WHITE, 200),
           Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    value_f = font(0.045 * u, QFont.Weight.Bold)
    shown = QFontMetricsF(value_f).elidedText(item.value, Qt.TextElideMode.ElideRight,
                                              inner.width() * 0.62)
    p.setFont(value_f)
    p.setPen(accent)
    p.drawText(inner, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), shown)


def _label(p: QPainter, rect: QRectF, text: str, px: float, color: QColor,
           align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignCenter) -> None:
    p.setFont(font(px))
    p.setPen(color)
    p.drawText(rect, int(align), text)


def _clock(p: QPainter, rect: QRectF, chart: Chart, accent: QColor, u: float) -> None:
    """7 weekday rows x 24 hour columns; each cell's strength is its plays."""
    rows = chart.values
    label_w = 0.09 * u
    footer = 0.05 * u
    cell = min((rect.width() - label_w) / 24, (rect.height() - 2 * footer) / 7)
    grid_w = cell * 24
    left = rect.left() + label_w + (rect.width() - label_w - grid_w) / 2
    spare = rect.height() - 7 * cell - 2 * footer
    top = rect.top() + (spare / 2 if spare > 0.3 * u else 0)
    peak = max((v or 0.0) for row in rows for v in row) or 1.0
    p.setPen(Qt.PenStyle.NoPen)
    for d, row in enumerate(rows):
        _label(p, QRectF(left - label_w, top + d * cell, label_w - 0.01 * u, cell),
               chart.labels[d], 0.026 * u, dim(WHITE, 200), Qt.AlignmentFlag.AlignRight
               | Qt.AlignmentFlag.AlignVCenter)
        for h, value in enumerate(row):
            strength = (value or 0.0) / peak
            r = QRectF(left + h * cell, top + d * cell, cell, cell).adjusted(
                cell * 0.08, cell * 0.08, -cell * 0.08, -cell * 0.08)
            color = dim(accent, int(40 + 215 * strength)) if value else dim(WHITE, 18)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(color)
            p.drawRoundedRect(r, cell * 0.22, cell * 0.22)
    for h in (0, 6, 12, 18):
        _label(p, QRectF(left + h * cell - cell, top + 7 * cell + 0.005 * u, cell * 3, footer),
               f"{h:02d}:00", 0.024 * u, dim(WHITE, 180))
    del grid_w
    _label(p, QRectF(left, top + 7 * cell + footer, cell * 24, footer),
           "darker: fewer plays · brighter: more", 0.022 * u, dim(WHITE, 140))


def _months(p: QPainter, rect: QRectF, chart: Chart, accent: QColor, u: float) -> None:
    values = [v or 0.0 for v in chart.values[0]]
    peak = max(values) or 1.0
    footer = 0.05 * u
    slot = rect.width() / 12
    height = min(rect.height() - footer, 0.9 * u)
    base = rect.top() + height
    best = values.index(max(values))
    for m, value in enumerate(values):
        h = max(0.01 * u, (height - 0.05 * u) * value / peak)
        r = QRectF(rect.left() + m * slot + slot * 0.15, base - h, slot * 0.7, h)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(accent if m == best else dim(WHITE, 110 if value else 35))
        p.drawRoundedRect(r, slot * 0.12, slot * 0.12)
        _label(p, QRectF(rect.left() + m * slot, base + 0.005 * u, slot, footer),
               chart.labels[m][:1] if slot < 0.07 * u else chart.labels[m], 0.026 * u,
               dim(WHITE, 190))
        if m == best and value:
            label_w = slot * 3
            x = min(max(r.center().x() - label_w / 2, rect.left()), rect.right() - label_w)
            _label(p, QRectF(x, r.top() - 0.05 * u, label_w, 0.045 * u),
                   f"{value:,.0f} min", 0.028 * u, WHITE)


def _series(p: QPainter, rect: QRectF, values: list[float | None], low: float, high: float,
            color: QColor, u: float) -> None:
    span = (high - low) or 1.0
    slot = rect.width() / 12
    points = [None if v is None else QPointF(rect.left() + (i + 0.5) * slot,
                                             rect.bottom() - (v - low) / span * rect.height())
              for i, v in enumerate(values)]
    path = QPainterPath()
    started = False
    for point in points:
        if point is None:
            started = False
        elif started:
            path.lineTo(point)
        else:
            path.moveTo(point)
            started = True
    p.setPen(QPen(color, 0.007 * u, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                  Qt.PenJoinStyle.RoundJoin))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawPath(path)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(color)
    for point in points:
        if point is not None:
            p.drawEllipse(point, 0.011 * u, 0.011 * u)


def _sound(p: QPainter, rect: QRectF, chart: Chart, accent: QColor, u: float) -> None:
    """Two panels, month by month: tempo (BPM, a +-15 BPM frame) and energy (0 to 1)."""
    footer = 0.05 * u
    usable = min(rect.height() - footer, 0.9 * u)
    panel_h = usable / 2
    tempo, energy = chart.values
    known = [v for v in tempo if v is not None]
    frames = [("Tempo", tempo, (min(known) - 15, max(known) + 15) if known else (0.0, 1.0),
               "{:.0f} BPM", accent),
              ("Energy", energy, (0.0, 1.0), "{:.2f}", WHITE)]
    for i, (name, values, (low, high), fmt, color) in enumerate(frames):
        top = rect.top() + i * panel_h
        head = 0.05 * u
        area = QRectF(rect.left(), top + head + 0.015 * u, rect.width(),
                      panel_h - head - 0.05 * u)
        shown = [v for v in values if v is not None]
        text = (f"{name}  {fmt.format(min(shown))} – {fmt.format(max(shown))}" if shown
                else f"{name}  (not analysed)")
        _label(p, QRectF(rect.left(), top, rect.width(), head), text, 0.03 * u, dim(WHITE, 220),
               Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        p.setPen(QPen(dim(WHITE, 45), max(1.0, 0.002 * u)))
        for f in (0.0, 1.0):
            y = area.top() + f * area.height()
            p.drawLine(QPointF(area.left(), y), QPointF(area.right(), y))
        _series(p, area, values, low, high, color, u)
    slot = rect.width() / 12
    for m, name in enumerate(chart.labels):
        _label(p, QRectF(rect.left() + m * slot, rect.top() + usable, slot, footer),
               name[:1] if slot < 0.07 * u else name, 0.026 * u, dim(WHITE, 190))


def _calendar(p: QPainter, rect: QRectF, chart: Chart, accent: QColor, u: float) -> None:
    """The year as weeks (columns) by weekdays (rows); the longest streak in the accent."""
    daily = [v or 0.0 for v in chart.values[0]]
    first, last = (int(v or 0) for v in chart.values[1])
    year = int(chart.labels[0])
    if rect.height() > 0.6 * rect.width():
        _calendar_by_month(p, rect, daily, first, last, year, accent, u)
        return
    offset = dt.date(year, 1, 1).weekday()
    weeks = (offset + len(daily) + 6) // 7
    cell = min(rect.width() / weeks, (rect.height() - 0.06 * u) / 7)
    left = rect.left() + (rect.width() - cell * weeks) / 2
    p.setPen(Qt.PenStyle.NoPen)
    for day, plays in enumerate(daily):
        slot = offset + day
        r = QRectF(left + (slot // 7) * cell, rect.top() + (slot % 7) * cell, cell, cell)
        r = r.adjusted(cell * 0.1, cell * 0.1, -cell * 0.1, -cell * 0.1)
        p.setBrush(accent if first <= day <= last else dim(WHITE, 120) if plays else dim(WHITE, 22))
        p.drawRoundedRect(r, cell * 0.2, cell * 0.2)
    for month in range(1, 13):
        slot = offset + dt.date(year, month, 1).timetuple().tm_yday - 1
        _label(p, QRectF(left + (slot // 7) * cell, rect.top() + 7 * cell + 0.01 * u, cell * 4,
                         0.04 * u), dt.date(year, month, 1).strftime("%b"), 0.022 * u,
               dim(WHITE, 170), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)


def _calendar_by_month(p: QPainter, rect: QRectF, daily: list[float], first: int, last: int,
                       year: int, accent: QColor, u: float) -> None:
    """Tall spaces: one row per month, one cell per day of the month."""
    label_w = 0.08 * u
    cell = min((rect.width() - label_w) / 31, rect.height() / 12, 0.06 * u)
    left = rect.left() + label_w
    top = rect.top() + max(0.0, (rect.height() - 12 * cell) / 2 - 0.05 * u)
    day = 0
    for month in range(1, 13):
        y = top + (month - 1) * cell
        _label(p, QRectF(rect.left(), y, label_w - 0.015 * u, cell),
               dt.date(year, month, 1).strftime("%b"), 0.026 * u, dim(WHITE, 180),
               Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        for d in range((dt.date(year + month // 12, month % 12 + 1, 1) - dt.date(year, month, 1)).days):
            r = QRectF(left + d * cell, y, cell, cell).adjusted(cell * 0.1, cell * 0.1,
                                                               -cell * 0.1, -cell * 0.1)
            plays = daily[day] if day < len(daily) else 0.0
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(accent if first <= day <= last else dim(WHITE, 120) if plays
                       else dim(WHITE, 22))
            p.drawRoundedRect(r, cell * 0.2, cell * 0.2)
            day += 1


def _dots(p: QPainter, rect: QRectF, chart: Chart, accent: QColor, u: float) -> None:
    """One disc per play in the run (up to 40), like a needle returning to the groove."""
    times = int(chart.values[0][0] or 0)
    shown = min(times, 40)
    per_row = min(shown, 8)
    size = min(rect.width() / max(per_row, 1), 0.16 * u)
    rows = (shown + per_row - 1) // max(per_row, 1)
    top = rect.top() + max(0.0, (rect.height() - rows * size) / 2 - 0.1 * u)
    for i in range(shown):
        centre = QPointF(rect.left() + (i % per_row + 0.5) * size,
                         top + (i // per_row + 0.5) * size)
        radius = size * 0.42
        glow = QRadialGradient(centre, radius)
        glow.setColorAt(0.0, dim(WHITE, 235))
        glow.setColorAt(0.25, accent)
        glow.setColorAt(1.0, dim(accent, 150))
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QBrush(glow))
        p.drawEllipse(centre, radius, radius)
        p.setBrush(dim(QColor("#000000"), 90))
        p.drawEllipse(centre, radius * 0.12, radius * 0.12)
    if times > shown:
        _label(p, QRectF(rect.left(), top + rows * size + 0.02 * u, rect.width(), 0.05 * u),
               f"+{times - shown} more", 0.03 * u, WHITE, Qt.AlignmentFlag.AlignLeft)


def _donut(p: QPainter, rect: QRectF, chart: Chart, accent: QColor, u: float) -> None:
    share = max(0.0, min(1.0, float(chart.values[0][0] or 0.0)))
    side = min(rect.width(), rect.height(), 0.55 * u)
    ring = QRectF(rect.left() + (rect.width() - side) / 2, rect.top(), side, side)
    width = side * 0.14
    ring = ring.adjusted(width / 2, width / 2, -width / 2, -width / 2)
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.setPen(QPen(dim(WHITE, 50), width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.FlatCap))
    p.drawEllipse(ring)
    p.setPen(QPen(accent, width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
    p.drawArc(ring, 90 * 16, -round(share * 360 * 16))
    _label(p, ring, f"{share * 100:.0f}% skipped\n{(1 - share) * 100:.0f}% heard", 0.034 * u,
           WHITE)


def _compare(p: QPainter, rect: QRectF, chart: Chart, accent: QColor, u: float) -> None:
    before, now = (v or 0.0 for v in chart.values[0])
    peak = max(before, now) or 1.0
    bar_h = min(0.12 * u, rect.height() / 4)
    for i, (label, value) in enumerate(zip(chart.labels, (before, now), strict=True)):
        y = rect.top() + i * (bar_h * 1.9)
        _label(p, QRectF(rect.left(), y, rect.width(), 0.05 * u), label, 0.034 * u,
               dim(WHITE, 210), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        bar = QRectF(rect.left(), y + 0.055 * u, max(bar_h, rect.width() * value / peak), bar_h)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(accent if i == 1 else dim(WHITE, 90))
        p.drawRoundedRect(bar, bar_h * 0.25, bar_h * 0.25)
        text = f"{value:,.0f} min"
        f = font(0.034 * u, QFont.Weight.Bold)
        inside = QFontMetricsF(f).horizontalAdvance(text) + 0.04 * u < bar.width()
        target = (bar.adjusted(0.02 * u, 0, -0.02 * u, 0) if inside
                  else QRectF(bar.right() + 0.02 * u, bar.top(), rect.width(), bar_h))
        p.setFont(f)
        p.setPen(QColor("#111111") if inside and i == 1 else WHITE)
        p.drawText(target, int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft), text)


def _footer(p: QPainter, rect: QRectF, u: float) -> None:
    _label(p, QRectF(rect.left(), rect.bottom() - 0.06 * u, rect.width() - 0.075 * u, 0.04 * u),
           "Encore · Your year", 0.024 * u, dim(WHITE, 130),
           Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
