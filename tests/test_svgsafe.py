"""Inlining an SVG is as safe as showing it as an <img>: attacks from the hardening issue."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import chromium, open_page
from conftest import make_course

from deckbuild.commands.build import build

ATTACKS = {
    "foreignobject-script": '<foreignObject width="9" height="9"><div xmlns="http://www.w3.org/1999/xhtml">'
    "<script>alert('fo')</script>hi</div></foreignObject>",
    "xhtml-script": '<script xmlns="http://www.w3.org/1999/xhtml">alert("xhtml")</script>',
    "upper-script": "<SCRIPT>alert('upper')</SCRIPT>",
    "tab-scheme": "<a href=\"java&#9;script:alert('tab')\"><text>x</text></a>",
    "xlink-scheme": "<a xlink:href=\" JavaScript:alert('xlink')\"><text>x</text></a>",
    "set-href": '<a href="#x"><set attributeName="href" to="javascript:alert(\'set\')"/><text>x</text></a>',
    "animate-handler": '<rect width="1" height="1"><animate attributeName="onclick" to="alert(\'anim\')"/></rect>',
    "iframe-srcdoc": '<foreignObject width="9" height="9"><iframe xmlns="http://www.w3.org/1999/xhtml" '
    "srcdoc=\"&lt;script&gt;alert('srcdoc')&lt;/script&gt;\"></iframe></foreignObject>",
    "handler": '<rect width="1" height="1" onmouseover="alert(\'over\')" ONLOAD="alert(\'load\')"/>',
    "remote-image": '<image href="https://example.org/track.png" width="1" height="1"/>',
    "style-import": "<style>@import url(https://example.org/x.css); rect { fill: red }</style>",
    "style-url": '<rect width="1" height="1" style="fill: url(\'javascript:alert(1)\')"/>',
    "use-data": '<use href="data:image/svg+xml;base64,PHN2Zy8+"/>',
    "embed": '<foreignObject width="9" height="9"><embed xmlns="http://www.w3.org/1999/xhtml" src="x.swf"/></foreignObject>',
}


def svg(body: str) -> str:
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">'
        f'<g id="keep"><circle r="3" fill="#123456"/></g>{body}</svg>'
    )


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_an_attack_is_removed_with_a_warning_naming_the_svg(attack: str, tmp_path: Path) -> None:
    root = make_course(
        tmp_path,
        {"deck.md": '<object type="image/svg+xml" data="evil.svg"></object>\n'},
        {"slides/evil.svg": svg(ATTACKS[attack])},
    )
    warnings = build(root).warnings
    page = (root / "_site" / "deck.html").read_text("utf-8")
    inlined = page[page.index("<svg") : page.index("</svg>")]
    for word in (
        "alert",
        "javascript",
        "example.org",
        "srcdoc",
        "<script",
        "<SCRIPT",
        "x.swf",
        "data:image/svg",
    ):
        assert word.lower() not in inlined.lower(), word
    assert 'fill="#123456"' in inlined  # the drawing itself stays
    assert any("from slides/evil.svg" in w and "dropped" in w for w in warnings), warnings


@pytest.mark.browser
def test_no_attack_runs_in_the_page(tmp_path: Path) -> None:
    root = make_course(
        tmp_path,
        {"deck.md": '<object type="image/svg+xml" data="evil.svg"></object>\n'},
        {"slides/evil.svg": svg("".join(ATTACKS.values()))},
    )
    build(root)
    dialogs: list[str] = []
    blocked: list[str] = []
    with chromium() as browser:
        page = open_page(browser, (root / "_site" / "deck.html").as_uri(), blocked)
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        for selector in ("a", "rect"):
            for element in page.query_selector_all(f"svg {selector}"):
                element.dispatch_event("click")
                element.dispatch_event("mouseover")
        page.wait_for_timeout(300)
    assert dialogs == [] and blocked == []


def test_svg_trust_keeps_scripts_and_says_so(tmp_path: Path) -> None:
    root = make_course(
        tmp_path,
        {"deck.md": '<object type="image/svg+xml" data="live.svg"></object>\n'},
        {"slides/live.svg": svg("<script>window.drawn = 1</script>"), "deckbuild.yml": "svg_trust: true\n"},
    )
    warnings = build(root).warnings
    assert "window.drawn" in (root / "_site" / "deck.html").read_text("utf-8")
    assert any(w.startswith("deckbuild.yml: svg_trust is on") for w in warnings)
