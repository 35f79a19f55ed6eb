"""Accessible SVG charts for monitoring and the impact dashboard: a <title> and <desc> on every
chart (role="img"), every label escaped here, and every page showing a chart also shows the same
figures in a table. Pure: plain values in, SVG text out."""
from __future__ import annotations

from html import escape

BLUE, ORANGE, GREY = "#0072B2", "#E69F00", "#777777"


def _head(uid: str, width: int, height: int, title: str, description: str) -> list[str]:
    return [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
            f'height="{height}" role="img" aria-labelledby="{uid}-title {uid}-desc" class="chart" '
            'font-family="Source Sans Pro, sans-serif">',
            f'<title id="{uid}-title">{escape(title)}</title>', f'<desc id="{uid}-desc">{escape(description)}</desc>']


def bars(items: list[tuple[str, float]], *, title: str, description: str, unit: str = "", uid: str = "bars",
         width: int = 640) -> str:
    """Horizontal bars, one per (label, value)."""
    left, right, top, row, gap = 170, 90, 10, 22, 8
    height = top + max(1, len(items)) * (row + gap) + 10
    top_value = max([v for _, v in items] + [0]) or 1
    scale = (width - left - right) / top_value
    out = _head(uid, width, height, title, description)
    for pos, (label, value) in enumerate(items):
        y = top + pos * (row + gap)
        w = max(0.0, float(value)) * scale
        out.append(f'<text x="{left - 6}" y="{y + 15}" font-size="12" text-anchor="end" fill="#111">'
                   f'{escape(str(label)[:28])}</text>')
        out.append(f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{row}" fill="{BLUE}"/>')
        out.append(f'<text x="{left + w + 4:.1f}" y="{y + 15}" font-size="11" fill="#111">'
                   f'{float(value):,.1f} {escape(unit)}</text>')
    out.append("</svg>")
    return "".join(out)


def progress_lines(points: list[tuple[str, float, float]], committed: float, *, title: str, description: str,
                   uid: str = "progress", width: int = 640, labels: tuple[str, str] = ("delivered", "on pace")) -> str:
    """Cumulative delivered hours (solid) against a linear pace to the commitment (dashed), per period."""
    left, right, top, bottom_pad, height = 60, 20, 20, 40, 240
    plot_w, plot_h = width - left - right, height - top - bottom_pad
    top_value = max([committed] + [p[1] for p in points] + [1])
    n = max(1, len(points))
    step = plot_w / n

    def xy(i, value):
        return left + step * (i + 1), top + plot_h - plot_h * float(value) / top_value

    out = _head(uid, width, height, title, description)
    base = top + plot_h
    out.append(f'<line x1="{left}" y1="{base}" x2="{left + plot_w}" y2="{base}" stroke="#333"/>')
    cy = xy(0, committed)[1]
    out.append(f'<line x1="{left}" y1="{cy:.1f}" x2="{left + plot_w}" y2="{cy:.1f}" stroke="{GREY}" '
               'stroke-dasharray="2 3"/>')
    out.append(f'<text x="4" y="{cy + 4:.1f}" font-size="10" fill="#111">{committed:,.0f} h</text>')
    for key, colour, dash in ((1, BLUE, ""), (2, ORANGE, ' stroke-dasharray="6 4"')):
        coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in (xy(i, p[key]) for i, p in enumerate(points)))
        if coords:
            out.append(f'<polyline points="{left},{base} {coords}" fill="none" stroke="{colour}" '
                       f'stroke-width="2"{dash}/>')
    every = max(1, n // 12)
    for i, point in enumerate(points):
        if i % every == 0:
            x = xy(i, 0)[0]
            out.append(f'<text x="{x:.1f}" y="{base + 14}" font-size="9" text-anchor="middle" fill="#333">'
                       f'{escape(point[0])}</text>')
    out.append(f'<rect x="{left}" y="{height - 14}" width="12" height="3" fill="{BLUE}"/>'
               f'<text x="{left + 16}" y="{height - 9}" font-size="11" fill="#111">{escape(labels[0])}</text>'
               f'<rect x="{left + 160}" y="{height - 14}" width="12" height="3" fill="{ORANGE}"/>'
               f'<text x="{left + 176}" y="{height - 9}" font-size="11" fill="#111">{escape(labels[1])}</text>')
    out.append("</svg>")
    return "".join(out)
