"""Web fonts that themes load from the web, served from bundled files instead.

reveal.js's themes and Marp's gaia `@import` their fonts from a font
service; a deck must work offline, so the build strips those imports
(hatch_build.py, marp/css.py) and writes `@font-face` rules for the same
families from fontsource's woff2 files (pinned in vendor.lock.json; OFL,
Ubuntu Font Licence), latin subset.
"""

from __future__ import annotations

import posixpath

# family -> (weight, style, bundled file relative to the vendor folder)
FACES: dict[str, list[tuple[str, str, str]]] = {
    family: [(w, s, f"@fontsource/{key}/files/{key}-latin-{w}-{s}.woff2") for w, s in faces]
    for family, key, faces in (
        (
            "Lato",
            "lato",
            [("400", "normal"), ("700", "normal"), ("900", "normal"), ("400", "italic"), ("700", "italic")],
        ),
        ("Roboto Mono", "roboto-mono", [("400", "normal"), ("700", "normal")]),
        (
            "Open Sans",
            "open-sans",
            [("400", "normal"), ("700", "normal"), ("400", "italic"), ("700", "italic")],
        ),
        ("Montserrat", "montserrat", [("700", "normal")]),
        ("News Cycle", "news-cycle", [("400", "normal"), ("700", "normal")]),
        ("Quicksand", "quicksand", [("400", "normal"), ("700", "normal")]),
        ("Ubuntu", "ubuntu", [("300", "normal"), ("700", "normal"), ("300", "italic"), ("700", "italic")]),
    )
}
# the families each bundled reveal.js theme imports from the web and uses (serif
# and dracula name system fonts only; beige, league, moon and solarized import
# Lato but use Source Sans Pro and League Gothic, which they never load)
REVEAL_THEMES = {
    "night": ["Montserrat", "Open Sans"],
    "simple": ["News Cycle", "Lato"],
    "sky": ["Quicksand", "Open Sans"],
    "blood": ["Ubuntu"],
}


def font_faces(families: list[str], css_file: str, vendor_root: str) -> tuple[str, list[str]]:
    """@font-face rules for bundled families ("Lato", or "Lato:400,900" for some weights only),
    with URLs relative to the stylesheet's site path; and the bundled files they use."""
    rules, files = [], []
    for spec in families:
        family, _, weights = spec.partition(":")
        for weight, style, relative in FACES[family]:
            if weights and weight not in weights.split(","):
                continue
            url = posixpath.relpath(f"{vendor_root}/{relative}", posixpath.dirname(css_file))
            rules.append(
                f'@font-face{{font-family:"{family}";font-style:{style};font-weight:{weight};'
                f'font-display:swap;src:url("{url}") format("woff2")}}'
            )
            files.append(relative)
    return "\n".join(rules), files
