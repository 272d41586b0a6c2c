"""PowerPoint's entrance animations as reveal.js fragments.

A slide's `p:timing` lists effects in the order they play: an effect that
starts "on click" is the next step; one that starts "with" or "after the
previous" joins the step before it. Each entrance effect names the shape
(or group) it shows by `p:spTgt/@spid`, the shape's `p:cNvPr/@id`; that
shape becomes a fragment of its step. Effects that play before the first
click (with or after the slide's start) are not steps: the shape is there
when the slide opens. Exit and emphasis effects are left out.
"""

from __future__ import annotations

from lxml import etree

from deckbuild.powerpoint.xml import find, q


def entrance_steps(slide: etree._Element) -> dict[str, int]:
    """Shape id → the click (1, 2, …) that shows it."""
    timing = find(slide, "p:timing")
    steps: dict[str, int] = {}
    if timing is None:
        return steps
    step = 0
    for node in timing.iter(q("p:cTn")):
        kind = node.get("nodeType")
        if kind == "clickEffect":
            step += 1
        if node.get("presetClass") != "entr" or kind not in {"clickEffect", "withEffect", "afterEffect"}:
            continue
        target = node.find(".//" + q("p:spTgt"))
        if step and target is not None and target.get("spid"):
            steps.setdefault(str(target.get("spid")), step)
    return steps


def shape_id(element: etree._Element) -> str | None:
    props = find(element, "./*/p:cNvPr")
    return props.get("id") if props is not None else None
