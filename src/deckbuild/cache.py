"""The on-disk build cache: rendered decks kept between `deckbuild build`s.

Rendering decks (markdown, rules, SVG inlining) is most of a build, and
after an edit most decks are what they were. Each rendered deck is kept in
`.deckbuild-cache/` (beside the output folder: in the course folder for the
default `_site/`) with the content hash of every file it read (the deck,
its images and SVGs, linked decks, missing files too) and a key made of
the course config, deckbuild's version and code, and the Python and library
versions. The next build reuses a deck only when all of those are the
same, so its output is byte-identical to a clean build; the pages are
still made from the templates, and the site written whole, every time.

An entry is never trusted: it is signed with a key kept outside the course
(in the user's cache folder), so a garbled, truncated or foreign entry
(one that came with someone else's course) is rebuilt, never read. It is
JSON, never pickle: reading one cannot run code. The folder can be deleted
at any time.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import logging
import os
import sys
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache

from deckbuild import __version__
from deckbuild.deckjson import deck_data, deck_from_data, light_copy
from deckbuild.model import Deck
from deckbuild.rules.assets import Assets, stamp

log = logging.getLogger("deckbuild")
FOLDER = ".deckbuild-cache"
SCHEMA = 6
PACKAGE = Path(__file__).parent
TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# deckbuild's build cache: safe to delete\n"
ContentId = str | None  # a file's sha256, "dir" for a folder, None when missing


@dataclass
class DeckBuild:
    """A rendered deck and what it was made from, to reuse while nothing changed."""

    deck: Deck
    assets: Assets
    warnings: list[str]
    # the cache entry it came from: its page may be reused whole
    entry: Entry | None = None
    light: bool = False  # only what the entry's head has: no slide HTML

    def fresh(self) -> bool:
        return all(stamp(path) == seen for path, seen in self.assets.depends.items())


def pack_body(data: dict[str, Any], blobs: list[bytes]) -> bytes:
    """A line of JSON (with the blobs' lengths), then the blobs, raw."""
    meta = json.dumps({**data, "blobs": [len(b) for b in blobs]}, ensure_ascii=False).encode("utf-8")
    return b"".join([meta, b"\n", *blobs])


def unpack_body(body: bytes) -> tuple[dict[str, Any], list[bytes]]:
    meta, _, rest = body.partition(b"\n")
    data = json.loads(meta)
    blobs, at = [], 0
    for length in data["blobs"]:
        if not isinstance(length, int) or length < 0 or at + length > len(rest):
            raise ValueError("bad blob length")
        blobs.append(rest[at : at + length])
        at += length
    return data, blobs


@dataclass
class Entry:
    """A cache entry whose head was checked: the deck's files, and where its body starts."""

    deck: Path
    assets: Assets
    body: str  # the body's sha256, from the signed head
    offset: int
    head: dict[str, Any] = field(default_factory=dict)


def content_id(path: Path) -> ContentId:
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
        return digest.hexdigest()
    except IsADirectoryError:
        return "dir"
    except OSError:
        return None


@functools.lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """deckbuild's code as installed: a changed module (an editable install) means new renders."""
    digest = hashlib.sha256()
    own = [PACKAGE / "_vendor" / "lock.json"]  # the bundled files are named by their lock
    for folder, subfolders, files in os.walk(PACKAGE):
        subfolders[:] = [name for name in subfolders if name not in ("_vendor", "__pycache__")]
        own += [Path(folder) / name for name in files if not name.endswith(".pyc")]
    for path in sorted(own):
        digest.update(f"{path.relative_to(PACKAGE)}:{stamp(path)}\n".encode())
    return digest.hexdigest()


@functools.lru_cache(maxsize=1)
def library_versions() -> tuple[str, ...]:
    found = []
    for name in ("lxml", "markdown-it-py", "mdit-py-plugins", "tinycss2", "PyYAML", "emoji"):
        try:
            found.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name}=none")
    return tuple(found)


def build_key(root: Path, config: dict[str, Any]) -> str:
    """What every deck's rendering depends on besides its own files."""
    parts = [SCHEMA, __version__, code_fingerprint(), sys.version, library_versions(), str(root)]
    parts.append(json.dumps(config, sort_keys=True, default=str))
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()


def secret_key() -> bytes | None:
    """The user's own signing key, outside every course (made once); None where it cannot be kept."""
    home = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    path = Path(home) / "deckbuild" / "cache-key"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            key = path.read_bytes()
            return key if len(key) >= 32 else None
        with os.fdopen(fd, "wb") as handle:
            key = os.urandom(32)
            handle.write(key)
        return key
    except OSError:
        return None


class BuildCache:
    """Entries of one course: `FOLDER/<course>/<deck>.json`, one per deck."""

    def __init__(self, folder: Path, root: Path, key: str, secret: bytes, *, read: bool = True) -> None:
        self.pid = os.getpid()
        # serve: entries are written after the build is served (flush), not while the page waits
        self.deferred: list[tuple[Path, DeckBuild, dict[Path, str]]] | None = None
        self.folder = folder
        self.root = root
        self.key = key
        self.secret = secret
        self.read = read  # False for --clean: every deck rendered, the entries written anew
        self.ids: dict[Path, ContentId] = {}
        self.pages_reused = 0

    @classmethod
    def open(
        cls, cache_root: Path, root: Path, config: dict[str, Any], *, read: bool = True
    ) -> BuildCache | None:
        secret = secret_key()
        if secret is None:
            return None
        course = hashlib.sha256(str(root).encode()).hexdigest()[:16]
        return cls(cache_root / course, root, build_key(root, config), secret, read=read)

    def content_id(self, path: Path) -> ContentId:
        if path not in self.ids:
            self.ids[path] = content_id(path)
        return self.ids[path]

    def entry(self, deck: Path) -> Path:
        name = hashlib.sha256(self.relative(deck).encode()).hexdigest()[:32]
        return self.folder / f"{name}.json"

    def relative(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def sign(self, body: bytes) -> bytes:
        return hmac.new(self.secret, body, hashlib.sha256).hexdigest().encode()

    # -- reading -----------------------------------------------------------------
    # An entry is three parts: the head's signature, a line; the head, a line of
    # JSON (the key, every file read with its content hash, the body's hash);
    # the body, the rendered deck. The head alone says whether the deck can
    # be reused, so the bodies are read one at a time, when their turn comes.

    def check(self, deck: Path, pages: dict[Path, str], slides: Path) -> Entry | None:
        """The entry of a deck that can be reused (every file it read is the same now), or None."""
        if not self.read:
            return None
        try:
            with open(self.entry(deck), "rb") as handle:
                signature = handle.readline().rstrip(b"\n")
                head = handle.readline().rstrip(b"\n")
                offset = handle.tell()
        except OSError:
            return None
        if not hmac.compare_digest(signature, self.sign(head)):
            log.debug("cache: %s: entry not ours or damaged, rendered again", self.relative(deck))
            return None
        try:
            return self.reusable(json.loads(head), deck, pages, slides, offset)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            log.debug("cache: %s: unreadable entry (%s), rendered again", self.relative(deck), exc)
            return None

    def reusable(
        self, head: dict[str, Any], deck: Path, pages: dict[Path, str], slides: Path, offset: int
    ) -> Entry | None:
        if head["key"] != self.key or head["deck"] != self.relative(deck):
            return None
        assets = Assets(root=self.root, slides=slides, decks=pages)
        for relative, recorded, page in head["depends"]:
            path = self.root / str(relative)
            if self.content_id(path) != recorded or pages.get(path) != page:
                return None
            assets.depends[path] = stamp(path)
        for site_path, relative in head["files"].items():
            if Path(relative).is_absolute() or ".." in Path(relative).parts:
                return None  # a site file always comes from inside the course
            assets.files[str(site_path)] = self.root / relative
        return Entry(deck, assets, str(head["body"]), offset, head)

    def light(self, entry: Entry) -> DeckBuild | None:
        """The deck as its head has it (settings, titles, no slide HTML), when that is all a build
        may need: it has no extracted images (those are in the body)."""
        head = entry.head
        try:
            for site_path, digest in head["media"].items():
                content = self.media_file(str(digest)).read_bytes()
                if not hmac.compare_digest(hashlib.sha256(content).hexdigest(), str(digest)):
                    return None
                entry.assets.generated[str(site_path)] = content
            deck = deck_from_data(head["light"], self.root, [b""] * int(head["light_blobs"]))
            warnings = [str(w) for w in head["warnings"]]
        except (OSError, KeyError, TypeError, ValueError, AttributeError) as exc:
            log.debug("cache: %s: unreadable entry (%s), rendered again", self.relative(entry.deck), exc)
            entry.assets.generated.clear()
            return None
        return DeckBuild(deck, entry.assets, warnings, entry, light=True)

    def media_file(self, digest: str) -> Path:
        if len(digest) != 64 or not all(c in "0123456789abcdef" for c in digest):
            raise ValueError("bad media name")
        return self.folder / "media" / digest

    def load(self, entry: Entry) -> DeckBuild | None:
        """The deck of a checked entry; None if its body is not the one the head names."""
        try:
            with open(self.entry(entry.deck), "rb") as handle:
                handle.seek(entry.offset)
                body = handle.read()
        except OSError:
            return None
        if not hmac.compare_digest(hashlib.sha256(body).hexdigest(), entry.body):
            log.debug("cache: %s: damaged entry, rendered again", self.relative(entry.deck))
            return None
        try:
            data, blobs = unpack_body(body)
            for site_path, index in data["generated"].items():
                entry.assets.generated[str(site_path)] = blobs[index]
            built = DeckBuild(
                deck_from_data(data["deck"], self.root, blobs),
                entry.assets,
                [str(w) for w in data["warnings"]],
                entry,
            )
        except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
            log.debug("cache: %s: unreadable entry (%s), rendered again", self.relative(entry.deck), exc)
            return None
        return built

    # -- writing -----------------------------------------------------------------

    def store(self, deck: Path, built: DeckBuild, pages: dict[Path, str]) -> None:
        """Keep a freshly rendered deck; quietly nothing when it cannot be kept exactly."""
        if self.deferred is not None and os.getpid() == self.pid:  # a worker writes its own at once
            self.deferred.append((deck, built, pages))
            return
        self.write_entry(deck, built, pages)

    def flush(self) -> None:
        """Write the deferred entries."""
        waiting, self.deferred = self.deferred or [], [] if self.deferred is not None else None
        for deck, built, pages in waiting:
            self.write_entry(deck, built, pages)

    def write_entry(self, deck: Path, built: DeckBuild, pages: dict[Path, str]) -> None:
        blobs: list[bytes] = []
        data = deck_data(built.deck, self.root, blobs)
        if data is None:
            return
        depends = []
        for path, seen in built.assets.depends.items():
            if stamp(path) != seen:
                return  # changed while the deck was rendered: what we would hash is not what was read
            depends.append([self.relative(path), self.content_id(path), pages.get(path)])
        generated, media = {}, {}
        for site, content in built.assets.generated.items():
            blobs.append(content)
            generated[site] = len(blobs) - 1
            # also a file of its own, named by its hash: a deck reused whole needs only these
            media[site] = digest = hashlib.sha256(content).hexdigest()
            if not self.media_file(digest).exists():
                self.write(self.media_file(digest), content)
        body = pack_body({"deck": data, "warnings": built.warnings, "generated": generated}, blobs)
        light_blobs: list[bytes] = []
        light = deck_data(light_copy(built.deck), self.root, light_blobs)
        head = json.dumps(
            {
                "key": self.key,
                "deck": self.relative(deck),
                "depends": depends,
                "files": {site: self.relative(source) for site, source in built.assets.files.items()},
                "body": hashlib.sha256(body).hexdigest(),
                "light": light,
                "light_blobs": len(light_blobs),
                "warnings": built.warnings,
                "media": media,
            },
            ensure_ascii=False,
        ).encode("utf-8")
        self.write(self.entry(deck), self.sign(head) + b"\n" + head + b"\n" + body)

    # -- whole pages ---------------------------------------------------------------
    # A deck's page is kept beside its entry (`<deck>.page`: a signed record line,
    # then the page) with the key of everything the template was given besides
    # the deck; the next build reuses it, checked by its hash, without loading
    # the deck's slides or running the template.

    def page_file(self, deck: Path) -> Path:
        return self.entry(deck).with_suffix(".page")

    def reused_page(self, entry: Entry, key: str) -> bytes | None:
        """The page kept for this entry's deck and this page key, if it is whole."""
        try:
            raw = self.page_file(entry.deck).read_bytes()
        except OSError:
            return None
        signature, _, rest = raw.partition(b"\n")
        record, _, page = rest.partition(b"\n")
        if not hmac.compare_digest(signature, self.sign(record)):
            return None
        try:
            fields = json.loads(record)
            if fields["entry"] != entry.body or fields["key"] != key:
                return None
            if not hmac.compare_digest(hashlib.sha256(page).hexdigest(), str(fields["sha"])):
                return None
        except (KeyError, TypeError, ValueError, AttributeError):
            return None
        self.pages_reused += 1
        return page

    def keep_page(self, deck: Path, key: str, page: bytes) -> None:
        """Keep a deck's page for the entry on disk now (the one just written or checked)."""
        try:
            with open(self.entry(deck), "rb") as handle:
                signature = handle.readline().rstrip(b"\n")
                head = handle.readline().rstrip(b"\n")
            if not hmac.compare_digest(signature, self.sign(head)):
                return
            body = str(json.loads(head)["body"])
        except (OSError, KeyError, TypeError, ValueError):
            return
        record = json.dumps({"entry": body, "key": key, "sha": hashlib.sha256(page).hexdigest()}).encode()
        self.write(self.page_file(deck), self.sign(record) + b"\n" + record + b"\n" + page)

    def write(self, path: Path, content: bytes) -> None:
        try:
            if not self.folder.is_dir():
                self.folder.mkdir(parents=True, exist_ok=True)
                tag = self.folder.parent / "CACHEDIR.TAG"
                if not tag.exists():
                    tag.write_text(TAG, "utf-8")
            path.parent.mkdir(exist_ok=True)
            temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            temporary.write_bytes(content)
            os.replace(temporary, path)  # a reader sees the old entry or the new one, whole
        except OSError as exc:
            log.debug("cache: cannot write %s: %s", path, exc)

    def prune(self, decks: list[Path]) -> None:
        """Entries of decks that are gone (only files named as ours)."""
        keep = {self.entry(deck).stem for deck in decks}
        try:
            for path in [*self.folder.glob("*.json"), *self.folder.glob("*.page")]:
                if path.stem not in keep and len(path.stem) == 32:
                    path.unlink(missing_ok=True)
            for path in self.folder.glob(".*.tmp"):  # left by a killed build, an hour ago or more
                if time.time() - path.stat().st_mtime > 3600:
                    path.unlink(missing_ok=True)
        except OSError as exc:
            log.debug("cache: cannot prune %s: %s", self.folder, exc)


class TemplateCode(jinja2.BytecodeCache):
    """Compiled templates, kept in the build cache and signed as its entries are.

    Compiling the templates is ~60 ms of every build process; what is kept is
    marshalled code, so a file that is not signed with the user's key is never
    loaded (Jinja checks the template's source checksum itself)."""

    def __init__(self, cache: BuildCache) -> None:
        self.cache = cache

    def path(self, bucket: jinja2.bccache.Bucket) -> Path:
        return self.cache.folder / "templates" / f"{hashlib.sha256(bucket.key.encode()).hexdigest()}.code"

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            raw = self.path(bucket).read_bytes()
        except OSError:
            return
        signature, _, data = raw.partition(b"\n")
        if hmac.compare_digest(signature, self.cache.sign(data)):
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = bucket.bytecode_to_string()
        self.cache.write(self.path(bucket), self.cache.sign(data) + b"\n" + data)
