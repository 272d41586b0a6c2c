"""Writing the site: pages through Jinja templates, files copied, swapped in whole.

The site is written into a fresh folder beside the output and swapped in
only when complete, so a failed build leaves the previous site untouched
and a reader never sees half a site.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import functools
import json
import os
import posixpath
import shutil
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from deckbuild import __version__
from deckbuild.config import read_file
from deckbuild.errors import DeckError, Where, display_path
from deckbuild.fonts import REVEAL_THEMES as REVEAL_THEME_FONTS
from deckbuild.fonts import font_faces
from deckbuild.home import home_context
from deckbuild.live import shell_deck, shell_key, style_paths
from deckbuild.marp.css import rescope
from deckbuild.marp.themes import SLIDE as MARP_SLIDE
from deckbuild.marp.themes import ThemeResolver
from deckbuild.model import Deck, Site
from deckbuild.rules.assets import Assets, rewrite_css_file
from deckbuild.search import INDEX as SEARCH_INDEX
from deckbuild.search import Entry, build_index, deck_entries
from deckbuild.vendor import bundled_themes, folder_files, vendor_file

STATIC = "deckbuild"  # the site folder of deckbuild's own and bundled files
REVEAL = "reveal.js/dist"
# no reveal.js search plugin: deckbuild searches every deck of the course (client/search.js)
PLUGINS = {"notes": "RevealNotes", "zoom": "RevealZoom"}
# hash URLs (a reload or a shared link keeps the slide) and "G" to jump to a slide
DEFAULT_REVEAL_OPTIONS: dict[str, Any] = {"hash": True, "jumpToSlide": True}
CLIENT = Path(__file__).parent / "client"
WRITERS = 4
AT_FDCWD, RENAME_EXCHANGE, RENAME_SWAP = -100, 2, 2


def check_output(out: Path, root: Path, protected: list[Path]) -> None:
    """Refuse an output folder that is, contains or is inside the sources, or is a file."""
    if out.is_file() or (out.is_symlink() and not out.is_dir()):
        # `-o notes.txt` or `output: deckbuild.yml`: a build would put a folder in its place
        raise DeckError(f"output {out} is a file, not a folder: deckbuild never replaces it")
    out = out.resolve()
    if out == root or out in root.parents:
        raise DeckError(f"output folder {out} would contain the course folder {root}")
    for source in protected:
        source = source.resolve()
        if out == source or source in out.parents or out in source.parents:
            raise DeckError(f"output folder {out} would overlap the sources in {display_path(source, root)}")
    if out.is_dir() and any(out.iterdir()) and not is_site(out):
        # a build replaces its output whole: never something that is not a site of ours
        raise DeckError(
            f"output folder {out} holds files that are not a deckbuild site; choose another or empty it"
        )


def template_path(filename: str, root: Path) -> str:
    """A template's file as messages show it (templates/deck.html, or the built-in one)."""
    return display_path(Path(filename), root) if Path(filename).is_absolute() else f"templates/{filename}"


def is_site(folder: Path) -> bool:
    """A folder a deckbuild build wrote (and may replace)."""
    return (folder / ".nojekyll").is_file() and (folder / STATIC).is_dir()


def template_stamps(root: Path) -> list[tuple[str, int, int]]:
    """What the course's template overrides are now; a change means new pages."""
    folder = root / "templates"
    if not folder.is_dir():
        return []
    return sorted(
        (p.as_posix(), p.stat().st_mtime_ns, p.stat().st_size) for p in folder.rglob("*") if p.is_file()
    )


def make_environment(root: Path, compiled: jinja2.BytecodeCache | None = None) -> jinja2.Environment:
    """Course templates/ first, then deckbuild's own, by name (`compiled`: where compiled ones are kept)."""
    loaders: list[jinja2.BaseLoader] = []
    if (root / "templates").is_dir():
        loaders.append(jinja2.FileSystemLoader(root / "templates"))
    loaders.append(jinja2.PackageLoader("deckbuild", "templates"))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=jinja2.select_autoescape(["html"]),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        # a template is not looked at again for every page (two stats a deck); serve makes a
        # new environment when a template changes (template_stamps)
        auto_reload=False,
        bytecode_cache=compiled,
    )
    return env


@dataclass
class Output:
    """What the site will hold: page texts and files to copy, by site path."""

    pages: dict[str, str] = field(default_factory=dict)
    files: dict[str, Path] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    data: dict[str, bytes] = field(default_factory=dict)
    # serve mode: each deck page's shell key and stylesheets (see live.py)
    shells: dict[str, str] = field(default_factory=dict)
    styles: dict[str, list[str]] = field(default_factory=dict)

    def relative(self, page: str, target: str) -> str:
        return relative_url(posixpath.dirname(page) or ".", target)


@functools.lru_cache(maxsize=4096)
def relative_url(folder: str, target: str) -> str:
    # relpath looks up the working folder on every call; pages share a few folders and targets
    return posixpath.relpath(target, folder)


@functools.cache
def katex_fonts() -> dict[str, Path]:
    """KaTeX's fonts by site path (every math page names them all: listed once)."""
    vendor_file("katex/dist/katex.min.css")
    return {
        f"{STATIC}/katex/dist/fonts/{font}": vendor_file(f"katex/dist/fonts/{font}")
        for font in folder_files("katex/dist/fonts")
    }


PageCache = dict[str, tuple[Deck, str, str]]  # page -> deck, its HTML, its shell key


class SiteWriter:
    """Renders the site's pages into an Output.

    `page_cache` (serve mode) keeps each deck page's HTML while the Deck
    object is the same, i.e. while the builder reused the rendered deck.
    """

    def __init__(
        self,
        site: Site,
        assets: Assets,
        env: jinja2.Environment,
        *,
        serve_script: str | None = None,
        page_cache: PageCache | None = None,
    ) -> None:
        self.site = site
        self.assets = assets
        self.env = env
        self.serve_script = serve_script
        self.page_cache = page_cache
        self.search_entries: dict[str, list[Entry]] = {}  # deck page -> its slides, for the index
        self.home_extras: dict[str, dict[str, str]] = {}  # deck page -> its "pdf" and "thumbnail"
        self.output = Output()
        self.stylesheets: dict[Path, str] = {}  # source -> site path, this build
        self.css_paths: dict[tuple[Path, str], str] = {}  # (folder, as written) -> site path
        self.marp_themes: ThemeResolver | None = None
        url = site.config.get("site_url")
        self.site_url = url.rstrip("/") + "/" if url else ""

    # -- what each page needs -------------------------------------------------

    def vendor(self, relative: str) -> str:
        site_path = f"{STATIC}/{relative}"
        self.output.files[site_path] = vendor_file(relative)
        return site_path

    def stylesheet(self, value: str, base: Path, folder: str, where: Where) -> str:
        """A theme name bundled in `folder`, or a local stylesheet path."""
        names = bundled_themes(folder)
        if value in names:
            return self.vendor(f"{folder}/{value}.css")
        done = self.css_paths.get((base, value))
        if done is not None:
            return done
        if not (base / value).is_file():
            raise DeckError(
                f'theme "{value}" is neither a bundled one ({", ".join(names)}) nor a css file', where
            )
        return self.local_css(value, base, where)

    def local_css(self, value: str, base: Path, where: Where) -> str:
        done = self.css_paths.get((base, value))
        if done is not None:  # every deck names the course's css: found and read once a build
            return done
        source = (base / value).resolve()
        if not source.is_relative_to(self.site.root):
            raise DeckError(f'stylesheet "{value}" is outside the course folder', where)
        done = self.stylesheets.get(source)
        if done is not None:  # every deck names the course's css: read it once a build
            return done
        if not source.is_file():
            raise DeckError(f'stylesheet "{value}" not found', where)
        site_path = self.assets.site_path(source, where)
        text = read_file(source, display_path(source, self.site.root))
        self.output.texts[site_path] = rewrite_css_file(text, self.assets, source, site_path, where)
        self.stylesheets[source] = site_path
        self.css_paths[(base, value)] = site_path
        return site_path

    def deck_context(self, deck: Deck) -> dict[str, Any]:
        settings = deck.settings
        page = deck.page

        def rel(target: str) -> str:
            return self.output.relative(page, target)

        marp = settings.get("marp") if deck.format == "marp" else None
        # Marp's themes count on the browser's own styles (bold headings, list bullets): no reset
        styles = [] if marp is not None else [self.vendor(f"{REVEAL}/reset.css")]
        styles.append(self.vendor(f"{REVEAL}/reveal.css"))
        theme_where = deck.where_set("theme")
        if marp is not None:
            styles += self.marp_theme(str(marp["theme"]), theme_where)
        else:
            styles += self.theme_fonts(str(settings["theme"]))
            styles.append(
                self.stylesheet(str(settings["theme"]), self.site.root, f"{REVEAL}/theme", theme_where)
            )
        scripts = [self.vendor(f"{REVEAL}/reveal.js")]
        scripts += [self.vendor(f"{REVEAL}/plugin/{name}.js") for name in PLUGINS]
        plugins = list(PLUGINS.values())
        if "code" in deck.features:
            theme = str(settings["highlight_theme"])
            styles.append(
                self.stylesheet(
                    theme, self.site.root, f"{REVEAL}/plugin/highlight", deck.where_set("highlight_theme")
                )
            )
            scripts.append(self.vendor(f"{REVEAL}/plugin/highlight.js"))
            plugins.append("RevealHighlight")
        if "math" in deck.features:
            styles.append(self.katex())
            scripts.append(self.vendor("katex/dist/katex.min.js"))
        styles.append(f"{STATIC}/deckbuild.css")
        scripts += [f"{STATIC}/deckbuild.js", f"{STATIC}/fit.js"]
        search = self.search_context(page)
        if search:
            scripts.append(f"{STATIC}/search.js")
        styles += [
            self.local_css(css, self.site.root, deck.where_set("css")) for css in settings["css"] or []
        ]
        # the markdown plugin's options were applied at build time
        options = {
            k: v for k, v in {**DEFAULT_REVEAL_OPTIONS, **settings["reveal"]}.items() if k != "markdown"
        }
        return {
            "deck": deck,
            "site": self.site,
            "styles": [rel(s) for s in styles],
            "scripts": [rel(s) for s in scripts],
            "plugins": plugins,
            "options_json": json.dumps(options, sort_keys=True).replace("</", "<\\/"),
            "site_url": self.site_url,
            "index_url": rel("index.html"),
            "search": search,
            "serve_script": self.serve_script,
            "reveal_class": "marp" if marp is not None else "",
            "marp_style": rescope(str(marp.get("style") or ""), MARP_SLIDE) if marp else "",
        }

    def search_context(self, page: str) -> dict[str, str] | None:
        """Where a page finds the search files (relative to it), or None with `search: false`."""
        if not self.site.config.get("search", True):
            return None

        def rel(target: str) -> str:
            return self.output.relative(page, target)

        return {
            "script": rel(f"{STATIC}/search.js"),
            "lunr": rel(self.vendor("lunr/lunr.min.js")),
            "index": rel(SEARCH_INDEX),
            "root": rel("index.html").removesuffix("index.html"),
            "page": page,
        }

    def render_template(self, name: str, context: dict[str, Any]) -> str:
        """A page from its template; a broken course template is one line naming it."""
        try:
            return self.env.get_template(name).render(context)
        except jinja2.TemplateSyntaxError as exc:
            raise DeckError(
                f"template error: {exc.message}",
                Where(template_path(exc.filename or exc.name or name, self.site.root), exc.lineno),
            ) from None
        except jinja2.TemplateError as exc:
            raise DeckError(f"template error in {name}: {exc.message or exc}") from None
        except UnicodeDecodeError:
            raise DeckError(f"template {name} is not UTF-8 text") from None

    def theme_fonts(self, theme: str) -> list[str]:
        """The web fonts a bundled reveal.js theme imports, from bundled files (the site stays offline)."""
        families = REVEAL_THEME_FONTS.get(theme)
        if not families:
            return []
        site_path = f"{STATIC}/fonts/{theme}.css"
        css, files = font_faces(families, site_path, STATIC)
        self.output.texts[site_path] = css
        for font in files:
            self.vendor(font)
        return [site_path]

    def marp_theme(self, name: str, where: Where) -> list[str]:
        """A Marp theme as a site stylesheet (with the fonts it needs), and deckbuild's Marp layout."""
        if self.marp_themes is None:
            folders = [self.site.root / str(f) for f in self.site.config.get("themes") or []]
            self.marp_themes = ThemeResolver(self.site.root, folders)
        site_path = f"{STATIC}/marp/{name}.css"
        theme = self.marp_themes.resolve(name, where, site_path, STATIC)
        self.output.texts[site_path] = theme.css
        for font in theme.fonts:
            self.vendor(font)
        self.output.files[f"{STATIC}/marp.css"] = CLIENT / "marp.css"
        return [site_path, f"{STATIC}/marp.css"]

    def katex(self) -> str:
        self.output.files.update(katex_fonts())
        return self.vendor("katex/dist/katex.min.css")

    # -- pages ------------------------------------------------------------------

    def index_deck(self, deck: Deck, context: dict[str, Any]) -> None:
        """Take a deck's slides for the search index (the slides are let go once the page is written)."""
        if context["search"]:
            self.search_entries[deck.page] = deck_entries(deck, bool(self.site.config.get("search_notes")))

    def render_deck(self, deck: Deck) -> None:
        context = self.deck_context(deck)  # also lists the files the page needs
        self.index_deck(deck, context)
        if self.page_cache is None:
            self.output.pages[deck.page] = self.render_template("deck.html", context)
            return
        self.output.styles[deck.page] = style_paths(deck.page, context["styles"])
        cached = self.page_cache.get(deck.page)
        if cached is None or cached[0] is not deck:
            html = self.render_template("deck.html", context)
            # a course's own deck.html may write slides its own way: its pages reload on any change
            shell = (
                html
                if self.course_deck_template()
                else self.render_template("deck.html", {**context, "deck": shell_deck(deck)})
            )
            cached = self.page_cache[deck.page] = (deck, html, shell_key(shell, deck))
        self.output.pages[deck.page], self.output.shells[deck.page] = cached[1], cached[2]

    def course_deck_template(self) -> bool:
        filename = self.env.get_template("deck.html").filename
        return filename is not None and Path(filename).resolve().is_relative_to(self.site.root)

    def render_index(self) -> None:
        # the index is a plain page: the slide theme (fonts and all) is not loaded for it
        styles = [f"{STATIC}/home.css"]
        context = {
            **home_context(self.site, self.assets, self.home_extras),
            "site": self.site,
            "decks": self.site.decks,
            "styles": styles,
            "serve_script": self.serve_script,
            "version": __version__,
            "site_url": self.site_url,
            "search": self.search_context("index.html"),
        }
        self.output.pages["index.html"] = self.render_template("index.html", context)
        # 404.html is served at any depth: relative stylesheet links would break there
        absolute = [self.site_url + s for s in styles] if self.site_url else []
        self.output.pages["404.html"] = self.render_template("404.html", {**context, "styles": absolute})

    def render_all(self) -> Output:
        for deck in self.site.decks:
            self.render_deck(deck)
        self.render_index()
        return self.finish()

    def finish(self) -> Output:
        """The files besides the pages: deckbuild's own, the decks' assets, `.nojekyll`."""
        for name in ("deckbuild.css", "deckbuild.js", "fit.js", "home.css"):
            self.output.files[f"{STATIC}/{name}"] = CLIENT / name
        if self.site.config.get("search", True):
            # serve shows an edit at once: its pages index the slides themselves, when first searched
            prebuilt = self.serve_script is None
            self.output.texts[SEARCH_INDEX] = build_index(self.site, self.search_entries, prebuilt=prebuilt)
            self.output.files[f"{STATIC}/search.js"] = CLIENT / "search.js"
        for site_path, source in self.assets.files.items():
            if site_path not in self.output.texts:
                self.output.files.setdefault(site_path, source)
        self.output.data.update(self.assets.generated)
        self.output.texts[".nojekyll"] = ""
        return self.output


def write_tree(output: Output, folder: Path) -> int:
    """Write pages and files into `folder`; returns the number of files.

    Creating files is most of a build's time on some disks, and the calls
    wait on the file system, not on Python: a few threads overlap them.
    """
    jobs: dict[str, Callable[[Path], object]] = {}
    for site_path, text in {**output.texts, **output.pages}.items():
        jobs[site_path] = functools.partial(Path.write_text, data=text, encoding="utf-8")
    for site_path, data in output.data.items():
        jobs[site_path] = functools.partial(Path.write_bytes, data=data)
    for site_path, source in output.files.items():
        jobs[site_path] = functools.partial(shutil.copyfile, source)
    for parent in sorted({(folder / site_path).parent for site_path in jobs}):
        parent.mkdir(parents=True, exist_ok=True)
    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        list(pool.map(lambda item: item[1](folder / item[0]), jobs.items()))
    return len(jobs)


def exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one step, so there is never a moment with neither.

    Linux has renameat2(RENAME_EXCHANGE), macOS renamex_np(RENAME_SWAP);
    False where the system has neither (then two renames do it)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return False
    linux, mac = getattr(libc, "renameat2", None), getattr(libc, "renamex_np", None)
    if linux is not None:
        done = linux(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE)
    elif mac is not None:
        done = mac(os.fsencode(a), os.fsencode(b), RENAME_SWAP)
    else:
        return False
    if done == 0:
        return True
    error = ctypes.get_errno()
    if error in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EXDEV):
        return False  # a file system that cannot swap
    raise OSError(error, os.strerror(error), str(b))


@contextlib.contextmanager
def only_build(folder: Path) -> Iterator[None]:
    """One build at a time writes beside the output (a lock on the folder itself, no lock file)."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def clean_leftovers(out: Path) -> None:
    """Folders of builds that were killed before they finished (only ours: their names say so)."""
    for prefix in (f".{out.name}.new-", f".{out.name}.old-"):
        for leftover in out.parent.glob(prefix + "*"):
            if leftover.is_dir() and not leftover.is_symlink():
                shutil.rmtree(leftover, ignore_errors=True)
