"""Marp themes: Marp's own three (bundled), or a course's own by its `@theme` name.

marp-core ships its themes inside its JavaScript; they are read from the
bundled copy (pinned in vendor.lock.json). Web fonts a theme imports are
served from the bundled fonts instead (gaia's Lato and Roboto Mono), so a
Marp deck works offline. A course theme is any `.css` file of the course
(or under a folder listed in `themes:`) whose comment says `@theme NAME`;
its `@import 'gaia'` of another theme is resolved the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from deckbuild.config import read_file
from deckbuild.errors import DeckError, Where, display_path, warn
from deckbuild.fonts import font_faces
from deckbuild.marp.css import imports, rescope, without_imports
from deckbuild.vendor import VENDOR

MARP_JS = "@marp-team/marp-core/lib/marp.js"
THEME_STRING = re.compile(r"themeSet\.add\('((?:[^'\\]|\\.)*)'\)")
JS_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)", re.S)
THEME_NAME = re.compile(r"@theme\s+([\w-]+)")
SIZE = re.compile(r"@size\s+(\S+)\s+(\d+)px\s+(\d+)px")
SLIDE = ".reveal.marp .slides section"
THEME_FONTS = {"gaia": ["Lato:400,900", "Roboto Mono:400,700"]}  # as gaia imports them
SKIPPED_DIRS = {"node_modules", "_site"}


def js_string(raw: str) -> str:
    simple = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}

    def one(match: re.Match[str]) -> str:
        code = match.group(1)
        if code[0] in "ux" and len(code) > 1:
            return chr(int(code[1:], 16))
        return simple.get(code, code)

    return JS_ESCAPE.sub(one, raw)


@cache
def bundled() -> dict[str, str]:
    """Marp's own themes by name, read from the bundled marp-core."""
    path = VENDOR / MARP_JS
    if not path.is_file():
        raise DeckError(f"bundled file {MARP_JS} is missing: reinstall deckbuild")
    themes = {}
    for match in THEME_STRING.finditer(path.read_text("utf-8")):
        css = js_string(match.group(1))
        name = THEME_NAME.search(css)
        if name:
            themes[name.group(1)] = css
    return themes


@dataclass
class MarpTheme:
    """A theme ready for the page: its CSS rescoped onto reveal.js slides, and the files it needs."""

    name: str
    css: str
    size: dict[str, tuple[int, int]] = field(default_factory=dict)  # "16:9" -> (1280, 720)
    fonts: list[str] = field(default_factory=list)  # bundled font files (relative to the vendor folder)


def course_themes(root: Path, folders: list[Path]) -> dict[str, Path]:
    """`@theme` names of the course's stylesheets (listed folders first, then the rest of the course)."""
    found: dict[str, Path] = {}
    candidates = [p for f in folders for p in (sorted(f.rglob("*.css")) if f.is_dir() else [f])]
    candidates += sorted(
        p
        for p in root.rglob("*.css")
        if not any(part.startswith(".") or part in SKIPPED_DIRS for part in p.relative_to(root).parts)
    )
    for path in candidates:
        try:
            head = path.read_text("utf-8", errors="replace")[:4000]
        except OSError:
            continue
        name = THEME_NAME.search(head)
        if name and name.group(1) not in found:
            found[name.group(1)] = path
    return found


class ThemeResolver:
    """Finds and prepares themes for one build (a course's themes are looked up once)."""

    def __init__(self, root: Path, folders: list[Path]) -> None:
        self.root = root
        self.folders = folders
        self._course: dict[str, Path] | None = None
        self.done: dict[str, MarpTheme] = {}

    def course(self) -> dict[str, Path]:
        if self._course is None:
            self._course = course_themes(self.root, self.folders)
        return self._course

    def names(self) -> list[str]:
        return sorted(set(bundled()) | set(self.course()))

    def source(self, name: str, where: Where) -> tuple[str, str]:
        """The theme's CSS as written, and where it comes from (for messages)."""
        if name in self.course():
            path = self.course()[name]
            shown = display_path(path, self.root)
            return read_file(path, shown), shown
        if name in bundled():
            return bundled()[name], f"marp-core's {name} theme"
        raise DeckError(
            f'Marp theme "{name}" is neither one of Marp\'s ({", ".join(self.names())}) nor a course theme',
            where,
        )

    def flat(self, name: str, where: Where, seen: tuple[str, ...] = ()) -> tuple[str, list[str]]:
        """The theme's CSS with the themes it imports put in front; the bundled families it needs."""
        if name in seen:
            raise DeckError(f'Marp theme "{name}" imports itself (through {" → ".join(seen)})', where)
        css, origin = self.source(name, where)
        parts, families = [], list(THEME_FONTS.get(name, [])) if name not in self.course() else []
        for target in imports(css):
            if target.startswith(("http:", "https:", "//")):
                if name in self.course():
                    warn(f"{origin}: @import of {target} is left out: the site stays offline", where)
                continue
            inner, inner_families = self.flat(target.removesuffix(".css"), where, (*seen, name))
            parts.append(inner)
            families += [f for f in inner_families if f not in families]
        parts.append(without_imports(css))
        return "\n".join(parts), families

    def resolve(self, name: str, where: Where, css_file: str, vendor_root: str) -> MarpTheme:
        if name in self.done:
            return self.done[name]
        css, families = self.flat(name, where)
        faces, fonts = font_faces(families, css_file, vendor_root)
        size = {m.group(1): (int(m.group(2)), int(m.group(3))) for m in SIZE.finditer(css)}
        theme = MarpTheme(name, faces + "\n" + rescope(css, SLIDE), size, fonts)
        self.done[name] = theme
        return theme
