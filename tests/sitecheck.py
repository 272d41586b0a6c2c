"""What a built page and its stylesheets load: for checks that stay inside the site."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import html

LOADED = {
    "script": "src",
    "img": "src",
    "link": "href",
    "source": "src",
    "video": "src",
    "audio": "src",
    "iframe": "src",
    "image": "href",
}
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)""")
IMPORT = re.compile(r"""@import\s+(?:url\()?['"]?([^'")\s;]+)""")


def page_loads(page: Path) -> list[str]:
    """URLs the page itself loads (not links a person follows)."""
    tree = html.parse(str(page)).getroot()
    urls: list[str] = []
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        name = LOADED.get(element.tag)
        for attribute in (
            name,
            "xlink:href",
            "{http://www.w3.org/1999/xlink}href",
            "data-background",
            "data-background-image",
        ):
            value = element.get(attribute) if attribute else None
            if (
                value
                and not value.startswith(("#", "data:"))
                and not (attribute == "data-background" and "." not in value)
            ):
                urls.append(value)
        urls += [u for u in CSS_URL.findall(element.get("style") or "") if not u.startswith("#")]
    return urls


def css_loads(css: Path) -> list[str]:
    text = css.read_text("utf-8")
    return [u for u in CSS_URL.findall(text) + IMPORT.findall(text) if not u.startswith("data:")]


def outside_and_missing(site: Path) -> tuple[list[str], list[str]]:
    """URLs that leave the site, and local ones that are not in it."""
    outside: list[str] = []
    missing: list[str] = []

    def check(url: str, base: Path, origin: str) -> Path | None:
        parts = urlsplit(url)
        if parts.scheme or url.startswith("//"):
            outside.append(f"{origin}: {url}")
            return None
        target = (base / unquote(parts.path)).resolve()
        if not target.is_file() or not target.is_relative_to(site.resolve()):
            missing.append(f"{origin}: {url}")
            return None
        return target

    for page in site.rglob("*.html"):
        for url in page_loads(page):
            target = check(url, page.parent, page.name)
            if target is not None and target.suffix == ".css":
                for inner in css_loads(target):
                    check(inner, target.parent, target.name)
    return outside, missing
