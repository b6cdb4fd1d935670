"""The progress picture as SVG made here: nothing to load from anywhere, so it draws offline.

Three parts, top to bottom: lines learnt per scene over the days (a line per scene), minutes
practised per day (bars), and the five lines missed most often with the words missed.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from .progress import DayProgress, MissedLine, SceneProgress

WIDTH = 640
LEFT, RIGHT = 44, 16
PLOT_H = 150
COLOURS = ["#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#4b5563", "#ca8a04"]
MAX_SCENES_DRAWN = len(COLOURS)
MAX_TEXT = 70


def _attr(value) -> str:
    return escape(str(value), {'"': "&quot;"})


def _short(text: str, n: int = MAX_TEXT) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _x(i: int, count: int) -> float:
    inner = WIDTH - LEFT - RIGHT
    return LEFT + (inner * i / (count - 1) if count > 1 else inner / 2)


def _axis(top: int, biggest: float, label: str) -> list[str]:
    bottom = top + PLOT_H
    return [
        f'<line x1="{LEFT}" y1="{bottom}" x2="{WIDTH - RIGHT}" y2="{bottom}" stroke="#9ca3af"/>',
        f'<line x1="{LEFT}" y1="{top}" x2="{LEFT}" y2="{bottom}" stroke="#9ca3af"/>',
        f'<text x="{LEFT - 6}" y="{top + 4}" text-anchor="end" class="s">{_attr(_num(biggest))}</text>',
        f'<text x="{LEFT - 6}" y="{bottom}" text-anchor="end" class="s">0</text>',
        f'<text x="{LEFT}" y="{top - 8}" class="h">{_attr(label)}</text>',
    ]


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _day_labels(days: list[DayProgress], y: int) -> list[str]:
    if not days:
        return []
    picks = {0, len(days) - 1} | ({len(days) // 2} if len(days) > 4 else set())
    return [f'<text x="{_x(i, len(days)):.1f}" y="{y}" text-anchor="{_anchor(i, len(days))}" class="s">'
            f'{days[i].day:%d %b}</text>' for i in sorted(picks)]


def _anchor(i: int, count: int) -> str:
    """Labels at the ends lean inwards so they stay inside the picture."""
    if count > 1 and i == 0:
        return "start"
    return "end" if count > 1 and i == count - 1 else "middle"


def progress_svg(scenes: list[SceneProgress], days: list[DayProgress], missed: list[MissedLine]) -> str:
    parts: list[str] = []
    y = 28
    drawn = [s for s in scenes if s.total][:MAX_SCENES_DRAWN]
    if not days:
        parts.append(f'<text x="{LEFT}" y="{y + 20}" class="h">No practice yet: your progress will show here '
                     'after your first day.</text>')
        y += 40
    else:
        top_learnt = max([1] + [d.learnt_by_scene[s.index] for d in days for s in drawn])
        parts += _axis(y, top_learnt, "Lines learnt, scene by scene")
        for n, s in enumerate(drawn):
            points = " ".join(
                f"{_x(i, len(days)):.1f},{y + PLOT_H - PLOT_H * d.learnt_by_scene[s.index] / top_learnt:.1f}"
                for i, d in enumerate(days))
            colour = COLOURS[n]
            if len(days) == 1:
                cx, cy = points.split(",")
                parts.append(f'<circle cx="{cx}" cy="{cy}" r="4" fill="{colour}"/>')
            else:
                parts.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"/>')
        parts += _day_labels(days, y + PLOT_H + 14)
        y += PLOT_H + 26
        for n, s in enumerate(drawn):  # the legend, a row per scene
            parts.append(f'<rect x="{LEFT}" y="{y - 9}" width="10" height="10" fill="{COLOURS[n]}"/>'
                         f'<text x="{LEFT + 16}" y="{y}" class="s">{_attr(_short(s.title, 50))}: '
                         f'{s.learnt} of {s.total} learnt now</text>')
            y += 16
        y += 28
        top_minutes = max([1.0] + [d.minutes for d in days])
        parts += _axis(y, top_minutes, "Minutes practised each day")
        slot = (WIDTH - LEFT - RIGHT) / len(days)
        for i, d in enumerate(days):
            h = PLOT_H * d.minutes / top_minutes
            parts.append(f'<rect class="bar" x="{LEFT + i * slot + slot * 0.15:.1f}" y="{y + PLOT_H - h:.1f}" '
                         f'width="{slot * 0.7:.1f}" height="{h:.1f}" fill="#60a5fa">'
                         f'<title>{d.day:%d %b}: {_num(d.minutes)} min</title></rect>')
        parts += [f'<text x="{LEFT + (i + 0.5) * slot:.1f}" y="{y + PLOT_H + 14}" '
                  f'text-anchor="{_anchor(i, len(days))}" class="s">{days[i].day:%d %b}</text>'
                  for i in sorted({0, len(days) - 1})]
        y += PLOT_H + 40
    parts.append(f'<text x="{LEFT}" y="{y}" class="h">Lines missed most often</text>')
    y += 20
    if not missed:
        parts.append(f'<text x="{LEFT}" y="{y}" class="s">No line missed yet.</text>')
        y += 16
    for m in missed:
        times = "once" if m.misses == 1 else f"{m.misses} times"
        parts.append(f'<text x="{LEFT}" y="{y}" class="missed">“{_attr(_short(m.text))}” missed {times}</text>')
        y += 16
        if m.missed_words:
            parts.append(f'<text x="{LEFT + 12}" y="{y}" class="s">words missed: '
                         f'{_attr(", ".join(m.missed_words))}</text>')
            y += 16
        y += 6
    height = y + 10
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
            f'viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="progress-title" class="progress-chart">'
            '<title id="progress-title">Progress: lines learnt per scene, minutes per day, lines missed most</title>'
            '<style>text{font-family:system-ui,sans-serif;fill:#111827}.s{font-size:11px;fill:#374151}'
            '.h{font-size:13px;font-weight:600}.missed{font-size:12px}</style>'
            f'<rect width="{WIDTH}" height="{height}" fill="#ffffff"/>' + "".join(parts) + "</svg>")
