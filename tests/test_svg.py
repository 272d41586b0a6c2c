"""SVG layers as fragments: inlining, param semantics, id isolation, safety."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import make_course, render_deck
from lxml import html

from deckbuild.commands.build import build
from deckbuild.errors import DeckError

INKSCAPE = """<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
     xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape"
     xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd"
     xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
     width="200" height="100" id="svg1" sodipodi:docname="{name}.svg" inkscape:version="1.2">
  <sodipodi:namedview id="namedview1" pagecolor="#ffffff" inkscape:zoom="1"/>
  <metadata id="metadata1"><rdf:RDF/></metadata>
  <style id="style1">#layer2 {{ opacity: 0.9 }} .x {{ fill: url(#{grad}) }}</style>
  <defs id="defs1">
    <marker id="Arrow1Mend" orient="auto" style="overflow:visible" inkscape:stockid="Arrow1Mend">
      <path id="markerpath" d="M 0,0 L 5,-5 L -12.5,0 L 5,5 z" style="fill:{colour}"/>
    </marker>
    <linearGradient id="{grad}"><stop id="stop1" offset="0" stop-color="{colour}"/></linearGradient>
    <clipPath id="clip1"><rect id="cliprect" width="10" height="10"/></clipPath>
    <mask id="mask1"><rect id="maskrect" width="10" height="10" fill="white"/></mask>
  </defs>
  <g inkscape:groupmode="layer" id="layer1" inkscape:label="base">
    <path id="path1" d="M 10,10 H 100" style="marker-end:url(#Arrow1Mend);stroke:#000"/>
    <rect id="rect1" class="x" width="5" height="5" fill="url('#{grad}')" clip-path="url(#clip1)" mask="url(#mask1)"/>
    <use id="use1" xlink:href="#rect1" x="20"/>
    <text id="label" aria-labelledby="path1 rect1">a <tspan id="t1">b</tspan></text>
  </g>
  <g inkscape:groupmode="layer" id="layer2" inkscape:label="step 1" class="own"><circle id="c2" r="3"/></g>
  <g inkscape:groupmode="layer" id="layer3" inkscape:label="step 2"><circle id="c3" r="4"/></g>
</svg>
"""


def inkscape(
    name: str, colour: str = "#ff0000", grad: str = "linearGradient1", *, plain: bool = False
) -> str:
    """The drawing; `plain` leaves out <style> and id lists, so copies are made
    by string edits of a template rather than as trees."""
    template = INKSCAPE
    if plain:
        template = template.replace(
            '<style id="style1">#layer2 {{ opacity: 0.9 }} .x {{ fill: url(#{grad}) }}</style>', ""
        )
        template = template.replace(' aria-labelledby="path1 rect1"', "")
    return template.format(name=name, colour=colour, grad=grad)


DECK = """## Two diagrams, one id set

<object type="image/svg+xml" data="img/a.svg" style="background: white; width: 50%" class="diagram" width="300">
<param id="layer2" class="fragment fade-in-then-out" data-fragment-index="2" />
<param id="layer3" class="fragment" />
</object>

---
## The same SVG again, and another with the same ids

<object type="image/svg+xml" data="img/a.svg"></object>
<object type="image/svg+xml" data="img/b.svg" id="second"></object>
"""


def page_tree(root: Path, deck: str = "deck.html") -> html.HtmlElement:
    return html.fromstring((root / "_site" / deck).read_text("utf-8"))


def svgs_of(tree: html.HtmlElement) -> list[html.HtmlElement]:
    return list(tree.iter("svg"))


@pytest.fixture(params=["tree", "template"])
def two_svgs(tmp_path: Path, request: pytest.FixtureRequest) -> Path:
    plain = request.param == "template"
    a, b = inkscape("a", plain=plain), inkscape("b", "#0000ff", "linearGradient1", plain=plain)
    assert ("<style" in a) is not plain and ("aria-" in a) is not plain
    return make_course(tmp_path, {"deck.md": DECK}, {"slides/img/a.svg": a, "slides/img/b.svg": b})


def test_objects_are_inlined_and_params_applied(two_svgs: Path) -> None:
    build(two_svgs)
    text = (two_svgs / "_site" / "deck.html").read_text("utf-8")
    assert "<object" not in text
    tree = page_tree(two_svgs)
    first = svgs_of(tree)[0]
    assert first.get("style") == "background: white; width: 50%"
    assert first.get("class") == "diagram" and first.get("width") == "300"
    by_id = {e.get("id"): e for e in first.iter() if isinstance(e.tag, str)}
    layer2 = by_id["s1-layer2"]
    assert layer2.get("class") == "own fragment fade-in-then-out"
    assert layer2.get("data-fragment-index") == "2"
    layer3 = by_id["s1-layer3"]
    assert layer3.get("class") == "fragment"


def test_ids_are_unique_and_references_stay_inside_their_svg(two_svgs: Path) -> None:
    build(two_svgs)
    tree = page_tree(two_svgs)
    ids = [e.get("id") for e in tree.iter() if isinstance(e.tag, str) and e.get("id")]
    assert len(ids) == len(set(ids)), "an id occurs twice in the page"
    svgs = svgs_of(tree)
    assert len(svgs) == 3
    assert svgs[2].get("id") == "second"
    for svg in svgs:
        own = {e.get("id") for e in svg.iter() if isinstance(e.tag, str) and e.get("id")}
        refs: list[str] = []
        for element in svg.iter():
            if not isinstance(element.tag, str):
                continue
            for name, value in element.attrib.items():
                refs += re.findall(r"url\(['\"]?#([^'\")]+)", value)
                if name.endswith("href") and value.startswith("#"):
                    refs.append(value[1:])
                if name == "aria-labelledby":
                    refs += value.split()
            if element.tag == "style":
                refs += re.findall(r"url\(#([^)]+)\)", element.text or "")
                refs += re.findall(r"#([\w-]+) \{", element.text or "")
        assert refs and set(refs) <= own, set(refs) - own
    # the marker each copy uses is that copy's own, with its own colour
    for svg, colour in zip(svgs, ("#ff0000", "#ff0000", "#0000ff"), strict=False):
        path = [e for e in svg.iter("path") if "marker-end" in (e.get("style") or "")][0]
        marker_id = re.search(r"url\(#([^)]+)\)", path.get("style") or "").group(1)  # type: ignore[union-attr]
        marker = [e for e in svg.iter("marker") if e.get("id") == marker_id][0]
        assert colour in (marker[0].get("style") or "")


def test_editor_data_is_stripped(two_svgs: Path) -> None:
    build(two_svgs)
    text = (two_svgs / "_site" / "deck.html").read_text("utf-8")
    for word in ("sodipodi", "inkscape", "metadata", "rdf:", "namedview", "docname"):
        assert word not in text, word


def test_inlined_svg_files_are_not_copied(two_svgs: Path) -> None:
    build(two_svgs)
    assert not (two_svgs / "_site" / "img" / "a.svg").exists()
    assert not (two_svgs / "_site" / "img" / "b.svg").exists()


def test_plain_images_stay_images(tmp_path: Path) -> None:
    root = make_course(
        tmp_path,
        {"deck.md": '![diagram](img/a.svg)\n\n<img src="img/a.svg">\n'},
        {"slides/img/a.svg": inkscape("a")},
    )
    build(root)
    tree = page_tree(root)
    assert [i.get("src") for i in tree.iter("img")] == ["img/a.svg", "img/a.svg"]
    assert (root / "_site" / "img" / "a.svg").is_file()


def test_unknown_param_id_is_reported_with_deck_line_and_svg(two_svgs: Path) -> None:
    deck = two_svgs / "slides" / "deck.md"
    deck.write_text(deck.read_text().replace('<param id="layer3"', '<param id="layer12"'), "utf-8")
    messages = build(two_svgs).warnings
    assert (
        'slides/deck.md:5: unknown layer id "layer12" in slides/img/a.svg (its layers: layer1, layer2, layer3)'
        in messages
    )
    with pytest.raises(DeckError, match="strict"):
        build(two_svgs, strict=True)


def test_data_layers_short_form(tmp_path: Path) -> None:
    deck = (
        '<object type="image/svg+xml" data="a.svg" data-layers="layer3 layer2"></object>\n\n'
        '---\n<object type="image/svg+xml" data="a.svg" data-layers="all"></object>\n'
    )
    root = make_course(tmp_path, {"deck.md": deck}, {"slides/a.svg": inkscape("a")})
    build(root)
    svgs = svgs_of(page_tree(root))
    first = {e.get("id"): e.get("class") for e in svgs[0].iter("g")}
    assert first == {"s1-layer1": None, "s1-layer2": "own fragment", "s1-layer3": "fragment"}
    second = {e.get("id"): e.get("class") for e in svgs[1].iter("g")}
    assert second == {"s2-layer1": None, "s2-layer2": "own fragment", "s2-layer3": "fragment"}


def test_data_layers_order_sets_fragment_indices(tmp_path: Path) -> None:
    deck = '<object type="image/svg+xml" data="a.svg" data-layers="layer3 layer2"></object>\n'
    root = make_course(tmp_path, {"deck.md": deck}, {"slides/a.svg": inkscape("a")})
    build(root)
    svg = svgs_of(page_tree(root))[0]
    index = {e.get("id"): e.get("data-fragment-index") for e in svg.iter("g")}
    assert index == {"s1-layer1": None, "s1-layer2": "2", "s1-layer3": "1"}


BAD_SVGS = {
    "bomb": (
        '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><svg xmlns="http://www.w3.org/2000/svg"><text>&c;</text></svg>',
        "declares XML entities",
    ),
    "external": (
        '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        '<svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>',
        "declares XML entities",
    ),
    "broken": ('<svg xmlns="http://www.w3.org/2000/svg"><g></svg>', "is not valid XML"),
    "notsvg": ('<html xmlns="http://www.w3.org/1999/xhtml"/>', "is not an SVG document"),
}


@pytest.mark.parametrize("case", sorted(BAD_SVGS))
def test_bad_svgs_are_reported_and_not_expanded(case: str, tmp_path: Path) -> None:
    content, message = BAD_SVGS[case]
    deck = f'## Bad\n\n<object type="image/svg+xml" data="{case}.svg"></object>\n'
    root = make_course(tmp_path, {"deck.md": deck}, {f"slides/{case}.svg": content})
    messages = build(root).warnings
    assert any(m.startswith(f"slides/deck.md:3: slides/{case}.svg {message}") for m in messages), messages
    text = (root / "_site" / "deck.html").read_text("utf-8")
    assert "root:" not in text and "aaaaaaaaaa" not in text
    with pytest.raises(DeckError):
        build(root, strict=True)


def test_oversized_svg_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import deckbuild.rules.svgfile as svg

    monkeypatch.setattr(svg, "MAX_SVG_BYTES", 1024)
    big = inkscape("a").replace("</svg>", "<!--" + "x" * 2000 + "--></svg>")
    root = make_course(
        tmp_path, {"deck.md": '<object type="image/svg+xml" data="a.svg"></object>\n'}, {"slides/a.svg": big}
    )
    messages = build(root).warnings
    assert any("over the" in m and "limit" in m for m in messages)


def test_missing_svg_is_a_missing_file(tmp_path: Path) -> None:
    root = make_course(tmp_path, {"deck.md": '\n<object type="image/svg+xml" data="gone.svg"></object>\n'})
    messages = build(root).warnings
    assert 'slides/deck.md:2: missing file "gone.svg"' in messages


def test_scripts_and_handlers_are_dropped_with_a_warning(tmp_path: Path) -> None:
    evil = inkscape("a").replace(
        '<circle id="c2" r="3"/>', '<circle id="c2" r="3" onclick="alert(1)"/><script>alert(2)</script>'
    )
    root = make_course(
        tmp_path, {"deck.md": '<object type="image/svg+xml" data="a.svg"></object>\n'}, {"slides/a.svg": evil}
    )
    messages = build(root).warnings
    text = (root / "_site" / "deck.html").read_text("utf-8")
    assert "alert" not in text
    assert any("dropped <script>" in m for m in messages)
    assert any("dropped onclick attribute" in m for m in messages)


def test_embedded_images_become_files(tmp_path: Path) -> None:
    png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
    svg = inkscape("a").replace(
        '<circle id="c3" r="4"/>',
        f'<image id="img1" xlink:href="data:image/png;base64,{png}" width="1" height="1"/>',
    )
    root = make_course(
        tmp_path,
        {"sub/deck.md": '<object type="image/svg+xml" data="../a.svg"></object>\n'},
        {"slides/a.svg": svg},
    )
    build(root)
    image = next(page_tree(root, "sub/deck.html").iter("image"))
    href = image.get("{http://www.w3.org/1999/xlink}href") or image.get("xlink:href")
    assert href is not None and href.startswith("../deckbuild/media/") and href.endswith(".png")
    assert (root / "_site" / "sub" / href).resolve().read_bytes()[:4] == b"\x89PNG"


def test_same_svg_twice_gives_independent_copies(two_svgs: Path) -> None:
    site_deck = render_deck(two_svgs, "deck.md")
    markup = "".join(s.html for stack in site_deck.slides for s in stack)
    assert markup.count('id="s1-layer2"') == 1 and markup.count('id="s2-layer2"') == 1


def test_svg_linking_a_file_beside_it_and_object_id_naming_the_root(tmp_path: Path) -> None:
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" id="root1" width="10" height="10">'
        '<image id="pic" xlink:href="pic.png" width="5" height="5"/><use id="u" xlink:href="#root1"/>'
        '<g id="layer2"/></svg>'
    )
    deck = '<object type="image/svg+xml" data="img/a.svg" id="diagram"><param id="layer2" class="fragment"/></object>\n'
    root = make_course(
        tmp_path, {"sub/deck.md": deck}, {"slides/sub/img/a.svg": svg, "slides/sub/img/pic.png": b"png"}
    )
    build(root)
    tree = page_tree(root, "sub/deck.html")
    element = svgs_of(tree)[0]
    assert element.get("id") == "diagram"
    image = next(element.iter("image"))
    assert (image.get("xlink:href") or image.get("{http://www.w3.org/1999/xlink}href")) == "img/pic.png"
    assert (root / "_site" / "sub" / "img" / "pic.png").read_bytes() == b"png"
    use = next(element.iter("use"))
    assert (use.get("xlink:href") or use.get("{http://www.w3.org/1999/xlink}href")) == "#diagram"
    layer = [g for g in element.iter("g")][0]
    assert layer.get("id") == "s1-layer2" and layer.get("class") == "fragment"


def test_object_id_on_a_drawing_without_links(tmp_path: Path) -> None:
    deck = '<object type="image/svg+xml" data="a.svg" id="named"></object>\n'
    root = make_course(tmp_path, {"deck.md": deck}, {"slides/a.svg": inkscape("a")})
    build(root)
    element = svgs_of(page_tree(root))[0]
    assert element.get("id") == "named"
    ids = [e.get("id") for e in element.iter() if isinstance(e.tag, str) and e.get("id")]
    assert ids.count("named") == 1 and "s1-layer2" in ids
