"""What an inlined SVG may keep: an allowlist, so it is as safe as an `<img>`.

An SVG shown through `<img>` never runs script; an inlined one is part of
the page. A blocklist (drop `<script>`, drop `on…`) loses to the next trick
(`<SCRIPT>`, a script in the XHTML namespace, `java\tscript:`,
`<set attributeName="href" to="javascript:…">`, an iframe in a
foreignObject), so every element and attribute is checked against what
SVG 1.1/2 draws with, after parsing, by namespace and exact name; links
may only point inside the drawing or to local images; `<foreignObject>`
may hold plain HTML text markup. Whatever is removed is reported.
"""

from __future__ import annotations

import functools
import re
from typing import Any

import tinycss2
from lxml import etree

SVG_NS = "http://www.w3.org/2000/svg"
XHTML_NS = "http://www.w3.org/1999/xhtml"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"

SVG_ELEMENTS = frozenset(
    """svg g defs symbol use switch view a title desc style
    path rect circle ellipse line polyline polygon text tspan textPath image marker pattern
    clipPath mask linearGradient radialGradient stop foreignObject
    animate animateMotion animateTransform mpath set
    filter feBlend feColorMatrix feComponentTransfer feComposite feConvolveMatrix
    feDiffuseLighting feDisplacementMap feDistantLight feDropShadow feFlood feFuncA feFuncB
    feFuncG feFuncR feGaussianBlur feImage feMerge feMergeNode feMorphology feOffset
    fePointLight feSpecularLighting feSpotLight feTile feTurbulence""".split()
)
# plain text markup inside a <foreignObject>: no scripts, frames, forms, media or links
HTML_ELEMENTS = frozenset(
    """div span p br b i em strong u s sub sup small mark code pre kbd samp var q blockquote
    ul ol li dl dt dd table thead tbody tfoot tr td th caption colgroup col
    h1 h2 h3 h4 h5 h6 hr abbr cite dfn time wbr ruby rt rp bdi bdo""".split()
)
HTML_ATTRIBUTES = frozenset("style class id title lang dir colspan rowspan span align".split())
# SVG 1.1/2 core, presentation, geometry, text, gradient, filter, marker and animation attributes
SVG_ATTRIBUTES = frozenset(
    """id class style lang tabindex transform viewBox preserveAspectRatio version baseProfile
    x y x1 y1 x2 y2 cx cy r rx ry fx fy fr width height d points pathLength dx dy rotate
    textLength lengthAdjust startOffset method spacing side
    alignment-baseline baseline-shift clip clip-path clip-rule color color-interpolation
    color-interpolation-filters color-profile color-rendering cursor direction display
    dominant-baseline enable-background fill fill-opacity fill-rule filter flood-color
    flood-opacity font font-family font-size font-size-adjust font-stretch font-style
    font-variant font-weight glyph-orientation-horizontal glyph-orientation-vertical
    image-rendering kerning letter-spacing lighting-color marker marker-end marker-mid
    marker-start mask mask-type opacity overflow paint-order pointer-events shape-rendering
    stop-color stop-opacity stroke stroke-dasharray stroke-dashoffset stroke-linecap
    stroke-linejoin stroke-miterlimit stroke-opacity stroke-width text-anchor text-decoration
    text-overflow text-rendering transform-origin transform-box unicode-bidi vector-effect
    visibility white-space word-spacing writing-mode isolation mix-blend-mode
    href xlink:href xlink:title xml:space xml:lang
    gradientUnits gradientTransform spreadMethod offset patternUnits patternContentUnits
    patternTransform clipPathUnits maskUnits maskContentUnits markerUnits markerWidth
    markerHeight refX refY orient viewTarget zoomAndPan
    filterUnits primitiveUnits filterRes in in2 result stdDeviation edgeMode mode operator
    k1 k2 k3 k4 values type tableValues slope intercept amplitude exponent kernelMatrix
    kernelUnitLength order divisor bias targetX targetY preserveAlpha surfaceScale
    diffuseConstant specularConstant specularExponent limitingConeAngle azimuth elevation
    pointsAtX pointsAtY pointsAtZ z scale xChannelSelector yChannelSelector radius
    baseFrequency numOctaves seed stitchTiles
    requiredFeatures requiredExtensions systemLanguage externalResourcesRequired
    attributeName attributeType begin dur end min max restart repeatCount repeatDur fill
    calcMode keyTimes keySplines from to by additive accumulate path keyPoints
    data-name aria-label aria-labelledby aria-describedby aria-hidden role focusable""".split()
)
# animation may not change what a link goes to, or add a handler
ANIMATED = re.compile(r"^(?:xlink:)?href$|^on|^style$", re.I)
ANIMATIONS = {"animate", "animateMotion", "animateTransform", "set"}
URL_ATTRIBUTES = {"href", f"{{{XLINK_NS}}}href"}
CONTROL = re.compile(r"[\x00-\x20\x7f]+")
SAFE_DATA = re.compile(r"^data:image/(png|jpeg|gif|webp);base64,", re.I)
SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):", re.I)


@functools.cache
def local_name(name: str) -> tuple[str | None, str]:
    if name.startswith("{"):
        namespace, _, local = name[1:].partition("}")
        return namespace, local
    return None, name


@functools.cache
def attribute_key(name: str) -> str:
    """An attribute's name as the allowlist spells it (xlink:href, xml:space)."""
    namespace, local = local_name(name)
    if namespace == XLINK_NS:
        return f"xlink:{local}"
    if namespace == XML_NS:
        return f"xml:{local}"
    return local if namespace is None else f"{{{namespace}}}{local}"


def safe_url(value: str, element: str) -> bool:
    """A link inside the drawing, a local image, an embedded raster (extracted to a file), or,
    for a link the reader clicks (`<a>`), a web or mail address."""
    url = CONTROL.sub("", value)  # browsers ignore tabs and newlines inside a scheme
    if url.startswith("#"):
        return True
    scheme = SCHEME.match(url)
    if element == "a":
        return scheme.group(1).lower() in ("http", "https", "mailto") if scheme else not url.startswith("//")
    if SAFE_DATA.match(url):
        return element in ("image", "feImage")
    if scheme or url.startswith("//"):
        return False  # javascript:, data:text/html, http: (no request leaves a slide), …
    return element in ("image", "feImage", "use")


# what CSS needs to reach anything outside itself: without one of these it is safe as it is
CSS_REACH = re.compile(r"url\s*\(|@import|@namespace|\\|image(?:-set)?\s*\(|src\s*\(|expression", re.I)


FRAGMENT_URL = re.compile(r"""url\(\s*(['"]?)#[\w.:-]*\1\s*\)""", re.I)


def safe_css(css: str, declarations: bool = False) -> bool:
    """CSS (a stylesheet, or a style attribute's declarations) with no @import and no
    url() but to a fragment, a local file or an embedded raster."""
    if not CSS_REACH.search(css) or not CSS_REACH.search(FRAGMENT_URL.sub("", css)):
        return True  # the common case (fill:#fff;marker-end:url(#Arrow)), without parsing 20,000 styles
    parsed = tinycss2.parse_declaration_list(css) if declarations else tinycss2.parse_stylesheet(css)
    for token in walk(parsed):
        if token.type == "at-rule" and token.lower_at_keyword in ("import", "namespace"):
            return False
        if token.type == "url" and not url_ok(token.value):
            return False
        if token.type == "function" and token.lower_name in ("url", "image", "image-set", "src"):
            arguments = [t for t in token.arguments if t.type == "string"]
            if token.lower_name != "url" or any(not url_ok(t.value) for t in arguments):
                return False
        if token.type == "ident" and token.lower_value.startswith("expression"):
            return False
    return True


def url_ok(value: str) -> bool:
    url = CONTROL.sub("", value)
    return (
        url.startswith("#") or bool(SAFE_DATA.match(url)) or not (SCHEME.match(url) or url.startswith("//"))
    )


def walk(nodes: list[Any]) -> list[Any]:
    """Every token of a parsed stylesheet, nested blocks and functions included."""
    out: list[Any] = []
    for node in nodes:
        out.append(node)
        for attribute in ("prelude", "content", "value", "arguments"):
            inner = getattr(node, attribute, None)
            if isinstance(inner, list):
                out.extend(walk(inner))
    return out


class Sanitizer:
    """One pass over a parsed SVG; `removed` says what went, once per kind."""

    def __init__(self) -> None:
        self.removed: list[str] = []

    def drop(self, what: str) -> None:
        if what not in self.removed:
            self.removed.append(what)

    def element_allowed(self, element: etree._Element, in_foreign: bool) -> bool:
        namespace, local = local_name(str(element.tag))
        if namespace == SVG_NS:
            return local in SVG_ELEMENTS
        return namespace == XHTML_NS and in_foreign and local in HTML_ELEMENTS

    def clean_attributes(self, element: etree._Element, html: bool) -> None:
        _ns, tag = local_name(str(element.tag))
        allowed = HTML_ATTRIBUTES if html else SVG_ATTRIBUTES
        for name in list(element.keys()):
            key = attribute_key(name)
            if key not in allowed and not key.startswith(("data-", "aria-")):
                self.drop(f"{key} attribute")
                del element.attrib[name]
                continue
            value = element.get(name) or ""
            if name in URL_ATTRIBUTES and not safe_url(value, tag):
                self.drop(f"link to {CONTROL.sub('', value)[:40]}")
                del element.attrib[name]
            elif key == "style" and not safe_css(value, declarations=True):
                self.drop("style with an unsafe url() or @import")
                del element.attrib[name]

    def clean(self, root: etree._Element) -> None:
        self.visit(root, in_foreign=False)

    def visit(self, element: etree._Element, in_foreign: bool) -> None:
        for child in list(element):
            if not isinstance(child.tag, str):
                continue  # comments and processing instructions are gone already
            if not self.element_allowed(child, in_foreign):
                _ns, local = local_name(str(child.tag))
                self.drop(f"<{local}>")
                remove(child)
                continue
            namespace, local = local_name(str(child.tag))
            if local in ANIMATIONS and ANIMATED.search((child.get("attributeName") or "").strip()):
                self.drop(f"<{local}> of {child.get('attributeName')}")
                remove(child)
                continue
            if local == "style" and namespace == SVG_NS and not safe_css(child.text or ""):
                self.drop("<style> with an unsafe url() or @import")
                remove(child)
                continue
            self.clean_attributes(child, html=namespace == XHTML_NS)
            self.visit(child, in_foreign or local == "foreignObject")


def remove(element: etree._Element) -> None:
    """Take an element out with its content, keeping the text after it."""
    parent = element.getparent()
    assert parent is not None
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def sanitize(root: etree._Element) -> list[str]:
    """Keep only what is allowed in `root` (an <svg>); return what was removed."""
    sanitizer = Sanitizer()
    sanitizer.clean_attributes(root, html=False)
    sanitizer.clean(root)
    return sanitizer.removed
