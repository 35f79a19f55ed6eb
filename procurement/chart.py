"""Stacked-bar chart of the points per criterion of each bid, as server-rendered SVG.

Pure: plain values in, an SVG string out (every label escaped here). It prints in black and
white: segments differ in lightness and carry their points as text, and every page that shows
the chart also shows the same figures in a table (its text alternative).
"""
from __future__ import annotations

from html import escape

# Colour-blind-safe palette (Okabe-Ito), ordered so neighbours differ in lightness too.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
DARK_TEXT = {"#E69F00", "#56B4E9", "#F0E442"}


def stacked_bars(bars: list[tuple[str, list[float], float]], legend: list[str], *, title: str, description: str,
                 axis_label: str, width: int = 640, max_value: float = 100.0, uid: str = "chart") -> str:
    """``bars``: (bar label, points per criterion in ``legend`` order, total as stated), best first."""
    left, right, top, row, gap = 70, 50, 30, 26, 8
    plot = width - left - right
    legend_rows = (len(legend) + 2) // 3
    height = top + len(bars) * (row + gap) + 30 + legend_rows * 20 + 10
    scale = plot / max_value if max_value else 0
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
           f'height="{height}" role="img" aria-labelledby="{uid}-title {uid}-desc" class="chart" '
           'font-family="Source Sans Pro, sans-serif">',
           f'<title id="{uid}-title">{escape(title)}</title>',
           f'<desc id="{uid}-desc">{escape(description)}</desc>',
           f'<text x="{left}" y="16" font-size="11" fill="#333">{escape(axis_label)}</text>']
    bottom = top + len(bars) * (row + gap)
    for tick in range(0, 101, 25):
        x = left + tick * scale * max_value / 100
        out.append(f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{bottom}" stroke="#bbb" stroke-width="0.5"/>')
        out.append(f'<text x="{x:.1f}" y="{bottom + 14}" font-size="10" text-anchor="middle" fill="#333">'
                   f'{tick * max_value / 100:g}</text>')
    for pos, (label, values, total) in enumerate(bars):
        y = top + pos * (row + gap)
        out.append(f'<text x="{left - 6}" y="{y + row / 2 + 4:.1f}" font-size="12" text-anchor="end" '
                   f'font-weight="bold" fill="#111">{escape(label)}</text>')
        x = float(left)
        for k, value in enumerate(values):
            w = max(0.0, value) * scale
            colour = PALETTE[k % len(PALETTE)]
            out.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{row}" fill="{colour}" '
                       f'stroke="#fff" stroke-width="1"/>')
            if w >= 30:
                ink = "#111" if colour in DARK_TEXT else "#fff"
                out.append(f'<text x="{x + w / 2:.1f}" y="{y + row / 2 + 4:.1f}" font-size="10" '
                           f'text-anchor="middle" fill="{ink}">{value:.1f}</text>')
            x += w
        out.append(f'<text x="{x + 4:.1f}" y="{y + row / 2 + 4:.1f}" font-size="11" fill="#111">'
                   f'{total:.2f}</text>')
    y0 = bottom + 30
    for k, name in enumerate(legend):
        lx = left + (k % 3) * (plot / 3)
        ly = y0 + (k // 3) * 20
        out.append(f'<rect x="{lx:.1f}" y="{ly - 10}" width="12" height="12" fill="{PALETTE[k % len(PALETTE)]}"/>')
        out.append(f'<text x="{lx + 16:.1f}" y="{ly}" font-size="11" fill="#111">{escape(name[:40])}</text>')
    out.append("</svg>")
    return "".join(out)
