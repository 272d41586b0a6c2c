"""Marp's own fingerprint of a deck, and the same read from deckbuild's page, slide by slide.

The reference JSON (../shared/marp/) was made from Marp's HTML by
../shared/marp/fingerprint_marp.py; its helpers (text, list outlines,
styles) are used here on deckbuild's page too, so both sides are read alike.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import lxml.html
from tests.conftest import SHARED

MARP = SHARED / "marp"


def reference_module() -> Any:
    spec = importlib.util.spec_from_file_location("fingerprint_marp", MARP / "fingerprint_marp.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


FP = reference_module()


def reference(name: str) -> dict[str, Any]:
    return dict(json.loads(Path(MARP, name).read_text("utf-8")))


def notes_of(section: Any) -> str | None:
    aside = section.find("aside")
    if aside is None:
        return None
    paragraphs = [p.text_content().strip() for p in aside if isinstance(p.tag, str)]
    return "\n\n".join(p for p in paragraphs if p) or None


def backgrounds_of(section: Any) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    container = section.find('div[@class="marp-background"]')
    if container is None:
        return [], None
    found = []
    for figure in container.iter("figure"):
        style = FP.parse_style(figure.get("style"))
        entry: dict[str, Any] = {"src": FP.css_url(style.pop("background-image", None))}
        if "background-size" in style:
            entry["size"] = style.pop("background-size")
        if "filter" in style:
            entry["filter"] = style.pop("filter")
        caption = figure.find("figcaption")
        if caption is not None:
            entry["caption"] = FP.norm(caption.text_content())
        found.append(entry)
    split = section.get("data-marp-split")
    layout = {
        "direction": container.get("data-direction") or "horizontal",
        "split": split,
        "split_size": section.get("data-marp-split-size") if split else None,
    }
    return found, layout


def our_slides(page: Path) -> list[dict[str, Any]]:
    """The fingerprint fields of each slide of a deckbuild page."""
    doc = lxml.html.document_fromstring(page.read_text("utf-8"))
    slides = []
    for section in doc.xpath('//div[contains(@class, "slides")]/section'):
        style = FP.parse_style(section.get("style"))
        shown = section.get("data-marpit-pagination")
        header, footer = section.find("header"), section.find("footer")
        content = lxml.html.fromstring(lxml.html.tostring(section))
        for math in content.xpath(".//*[@data-math]"):
            # typeset in the browser by KaTeX: what Marp's fingerprint counts as [math]
            math.set("class", "katex")
            math.text = ""
        for aside in content.xpath(".//aside"):
            aside.drop_tree()
        for container in content.xpath('.//div[@class="marp-background"]'):
            container.drop_tree()
        backgrounds, layout = backgrounds_of(section)
        slides.append(
            {
                "classes": (section.get("class") or "").split(),
                "background_color": style.get("background-color"),
                "color": style.get("color"),
                "pagination": {
                    "shown": shown is not None,
                    "number": int(shown) if shown else None,
                    "total": int(section.get("data-marpit-pagination-total", 0)) or None,
                },
                "header": FP.norm(header.text_content()) if header is not None else None,
                "footer": FP.norm(footer.text_content()) if footer is not None else None,
                "headings": [
                    {
                        "level": int(h.tag[1]),
                        "text": FP.text_of(h),
                        **({"fit": True} if h.get("data-auto-scaling") is not None else {}),
                    }
                    for h in content.iter(*FP.HEADINGS)
                ],
                "lists": [
                    {"shape": FP.list_shape(lst), "items": FP.list_items(lst)}
                    for lst in FP.top_lists(content)
                ],
                "images": [
                    {
                        "src": img.get("src"),
                        "alt": img.get("alt"),
                        **({"style": s} if (s := FP.parse_style(img.get("style"))) else {}),
                    }
                    for img in content.iter("img")
                ],
                "backgrounds": backgrounds,
                "background_layout": layout,
                "notes": notes_of(section),
            }
        )
    return slides


def theirs(slide: dict[str, Any]) -> dict[str, Any]:
    """The same fields of Marp's fingerprint (background colours without Marp's kept `;`)."""
    color = slide["background_color"]
    pagination = {k: slide["pagination"][k] for k in ("shown", "number", "total")}
    if not pagination["shown"]:
        pagination["number"] = pagination["total"] = None
    return {
        "classes": slide["classes"],
        "background_color": color.rstrip(";").strip() if color else None,
        "color": slide["color"],
        "pagination": pagination,
        "header": slide["header"],
        "footer": slide["footer"],
        "headings": slide["headings"],
        "lists": slide["lists"],
        "images": [{k: v for k, v in i.items() if k in ("src", "alt", "style")} for i in slide["images"]],
        "backgrounds": [
            {k: v for k, v in b.items() if k in ("src", "size", "filter", "caption")}
            for b in slide["backgrounds"]
        ],
        "background_layout": slide["background_layout"],
        "notes": slide["notes"],
    }


def same_path(value: Any) -> Any:
    """`./assets/x.jpg` and `assets/x.jpg` name the same file (the build writes the latter)."""
    if isinstance(value, dict):
        return {k: same_path(v) for k, v in value.items()}
    if isinstance(value, list):
        return [same_path(v) for v in value]
    return value[2:] if isinstance(value, str) and value.startswith("./") else value


def differences(ours: list[dict[str, Any]], reference: dict[str, Any]) -> list[str]:
    """Per slide and field, what deckbuild's page says that Marp's does not."""
    found = []
    if len(ours) != reference["slide_count"]:
        found.append(f"slide count: {len(ours)} != {reference['slide_count']}")
    for index, (mine, marp) in enumerate(zip(ours, reference["slides"], strict=False), 1):
        expected = same_path(theirs(marp))
        for key, value in expected.items():
            if same_path(mine[key]) != value:
                found.append(f"slide {index} {key}: {mine[key]!r} != {value!r}")
    return found
