"""Geometry of the bench-strength charts, drawn as SVG by the template (no script, no inline style: the
page's content security policy allows neither). Pure: values in, rectangles out."""

from __future__ import annotations

from typing import Any

WIDTH, LABEL_W, BAR_H, GAP = 560, 190, 22, 10


def bars(items: list[tuple[str, float | None, str]], scale: float, *, marks: dict[str, float] | None = None,
         percent: bool = False) -> dict[str, Any]:
    """Horizontal bars for ``(key, value, label)`` items on a 0..``scale`` axis. ``marks`` puts a target
    line on a bar (same units as the values). The text beside each bar is the value (as a percentage
    when ``percent``), "—" when there is none."""
    plot = WIDTH - LABEL_W - 60
    scale = scale or 1
    rows = []
    for i, (key, value, label) in enumerate(items):
        y = i * (BAR_H + GAP)
        length = 0 if value is None else round(plot * min(max(value, 0) / scale, 1), 1)
        text = "—" if value is None else (f"{value * 100:.0f}%" if percent else f"{value:g}")
        mark = (marks or {}).get(key)
        rows.append({"key": key, "label": label, "y": y, "text_y": y + BAR_H - 6, "width": length,
                     "value_x": LABEL_W + length + 6, "text": text,
                     "mark_x": None if mark is None else round(LABEL_W + plot * min(mark / scale, 1), 1),
                     "mark_text": "" if mark is None else (f"{mark * 100:.0f}%" if percent else f"{mark:g}")})
    return {"width": WIDTH, "height": max(len(items) * (BAR_H + GAP) - GAP, BAR_H), "label_w": LABEL_W,
            "bar_h": BAR_H, "rows": rows}
