"""Local files a slide references: found, checked, registered for copying.

Every local reference (img/src, object/data, data-background, links, media,
`url()` in styles) is resolved against the deck file's folder, as reveal-md
does. Files inside the slides folder keep their place in the site; files
elsewhere in the course folder keep their place relative to the course
folder. References are rewritten relative to the page, so the site works
under any sub-path and from file://. A link to another deck's markdown file
becomes a link to that deck's page.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from lxml import etree

from deckbuild.errors import DeckError, Where, display_path, warn

# attributes that hold one URL, by element ("*" for any element)
URL_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "img": ("src",),
    "source": ("src",),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "embed": ("src",),
    "iframe": ("src",),
    "object": ("data",),
    "a": ("href",),
    "link": ("href",),
    "script": ("src",),
    "image": ("href", "{http://www.w3.org/1999/xlink}href"),
    "*": ("data-background-image", "data-background-video", "data-background-iframe", "data-src"),
}
CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")
# data-background is a colour or an image; an image has a file extension
BACKGROUND_FILE = re.compile(r"^[^#(\s][^\s()]*\.[A-Za-z0-9]{2,5}([?#].*)?$")

GENERATED_PAGES = {"index.html", "404.html", ".nojekyll"}
Locate = Callable[[str], Where]
Stamp = tuple[int, int] | None


def stamp(path: Path) -> Stamp:
    """A file's modification time and size; None when it does not exist."""
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size)


def is_local(url: str) -> bool:
    if not url or url.startswith(("#", "//", "data:", "/")):
        return False
    return not urlsplit(url).scheme


@dataclass
class Assets:
    """The site's files besides its pages: site path -> source file."""

    root: Path
    slides: Path
    decks: dict[Path, str] = field(default_factory=dict)  # deck source -> page
    files: dict[str, Path] = field(default_factory=dict)
    generated: dict[str, bytes] = field(default_factory=dict)  # site path -> content
    # every file looked at, found or not, with its stamp: a change means rebuild
    depends: dict[Path, Stamp] = field(default_factory=dict)
    _owners: dict[str, Path] | None = field(default=None, init=False, repr=False, compare=False)

    def page_owners(self) -> dict[str, Path]:
        """Page -> deck; made once (a course's decks are fixed for a build), not per file claimed."""
        owners = self._owners
        if owners is None or len(owners) != len(self.decks):
            owners = self._owners = {page: deck for deck, page in self.decks.items()}
        return owners

    def depend(self, path: Path) -> None:
        if path not in self.depends:
            self.depends[path] = stamp(path)

    def merge(self, other: Assets) -> None:
        """Take in another deck's files; one site path must mean one file."""
        for site_path, source in other.files.items():
            self.claim(site_path, source)
        self.generated.update(other.generated)

    def claim(self, site_path: str, source: Path, where: Where | None = None) -> None:
        """Register `source` at `site_path`, unless another file or a page is already there."""
        page_of = self.page_owners()
        if site_path in page_of or site_path in GENERATED_PAGES or site_path.split("/")[0] == "deckbuild":
            owner = display_path(page_of[site_path], self.root) if site_path in page_of else "deckbuild"
            raise DeckError(
                f"{display_path(source, self.root)} would be {site_path} in the site, which {owner} writes",
                where,
            )
        known = self.files.get(site_path)
        if known is not None and known != source:
            raise DeckError(
                f"{display_path(source, self.root)} and {display_path(known, self.root)} "
                f"would both be {site_path} in the site",
                where,
            )
        self.files[site_path] = source

    def site_path(self, source: Path, where: Where) -> str:
        try:
            path = source.relative_to(self.slides).as_posix()
        except ValueError:
            path = source.relative_to(self.root).as_posix()
        self.claim(path, source, where)
        return path

    def resolve(self, url: str, base: Path, page: str, where: Where) -> str | None:
        """The page-relative URL for a local reference, or None to leave it."""
        parts = urlsplit(url)
        source = (base / unquote(parts.path)).resolve()
        suffix = ("?" + parts.query if parts.query else "") + ("#" + parts.fragment if parts.fragment else "")
        if not source.is_relative_to(self.root):
            warn(f'"{url}" is outside the course folder', where)
            return None
        self.depend(source)
        target = self.decks.get(source)
        if target is None:
            if not source.is_file():
                if not (source.is_dir() and url.endswith("/")):
                    warn(f'missing file "{url}"', where)
                return None
            target = self.site_path(source, where)
        # a file named "my deck #1.html" is reached only as my%20deck%20%231.html
        return quote(posixpath.relpath(target, posixpath.dirname(page) or ".")) + suffix


def lazy_iframe(iframe: etree._Element) -> None:
    """An embed from the web loads when its slide is near, not with the page.

    reveal.js loads `data-src` iframes by view distance, so a deck opens
    offline without failed requests and loads no third party until shown.
    """
    src = (iframe.get("src") or "").strip()
    if src and not is_local(src) and not src.startswith("#") and iframe.get("data-src") is None:
        iframe.set("data-src", src)
        del iframe.attrib["src"]


def _rewrite_css(text: str, rewrite: Callable[[str], str | None]) -> str:
    def one(match: re.Match[str]) -> str:
        new = rewrite(match.group(2).strip())
        return match.group(0) if new is None else f"url({match.group(1)}{new}{match.group(1)})"

    return CSS_URL.sub(one, text)


def collect_references(root: etree._Element, assets: Assets, base: Path, page: str, locate: Locate) -> None:
    """Register and rewrite every local reference under `root` (itself included)."""

    def rewrite(url: str) -> str | None:
        return assets.resolve(url, base, page, locate(url)) if is_local(url) else None

    for element in root.iter(etree.Element):
        # a plain split: Office HTML's <o:p> is no valid QName for lxml
        tag = element.tag.rsplit("}", 1)[-1] if isinstance(element.tag, str) else ""
        if tag == "iframe":
            lazy_iframe(element)
        names = URL_ATTRIBUTES.get(tag, ()) + URL_ATTRIBUTES["*"]
        for name in names:
            value = element.get(name)
            if value is not None:
                new = rewrite(value.strip())
                if new is not None:
                    element.set(name, new)
        background = element.get("data-background")
        if background and BACKGROUND_FILE.match(background.strip()):
            new = rewrite(background.strip())
            if new is not None:
                element.set("data-background", new)
        style = element.get("style")
        if style and "url(" in style:
            element.set("style", _rewrite_css(style, rewrite))
        if tag == "style" and element.text and "url(" in element.text:
            element.text = _rewrite_css(element.text, rewrite)


def rewrite_css_file(text: str, assets: Assets, source: Path, page: str, where: Where) -> str:
    """A stylesheet's own `url()`s, resolved against the stylesheet."""

    def rewrite(url: str) -> str | None:
        return assets.resolve(url, source.parent, page, where) if is_local(url) else None

    return _rewrite_css(text, rewrite)
