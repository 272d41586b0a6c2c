"""The on-disk build cache: reused decks give the same bytes as a clean build; bad entries are rebuilt."""

from __future__ import annotations

import hashlib
import json
import marshal
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import make_course
from test_parallel import site_bytes
from watchfiles import Change

from deckbuild.cache import FOLDER
from deckbuild.commands.build import BuildResult, build
from deckbuild.commands.serve import PreviewSession
from deckbuild.site import SiteBuilder

SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape">'
    '<g id="base" inkscape:groupmode="layer"><rect width="10" height="10"/></g>'
    '<g id="{layer}" inkscape:groupmode="layer"><circle r="4"/></g></svg>'
)


@pytest.fixture(autouse=True)
def own_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test signs its entries with a key of its own."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))


def entries(out: Path) -> list[Path]:
    return sorted((out.parent / FOLDER).glob("*/*.json"))


def clean_build(root: Path, out: Path) -> BuildResult:
    return build(root, out, clean=True, cache=False)


def same_site(one: Path, two: Path) -> None:
    first, second = site_bytes(one), site_bytes(two)
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []


def test_parallel_and_cached_builds_are_byte_identical_to_a_serial_clean_build(
    copy_course: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "site" / "out"
    monkeypatch.setenv("DECKBUILD_WORKERS", "2")
    first = build(copy_course, out)  # parallel, fills the cache
    assert first.cached == 0 and len(entries(out)) == first.decks == 7
    deck = copy_course / "slides" / "04_refining_the_model.md"
    deck.write_text(deck.read_text("utf-8").replace("# ", "# Edited ", 1), "utf-8")
    cached = build(copy_course, out)
    assert cached.cached == 6  # only the edited deck was rendered
    monkeypatch.setenv("DECKBUILD_WORKERS", "1")
    serial = clean_build(copy_course, tmp_path / "serial")
    assert cached.warnings == serial.warnings and len(serial.warnings) >= 4
    same_site(out, tmp_path / "serial")
    assert "Edited" in (out / "04_refining_the_model.html").read_text("utf-8")
    again = build(copy_course, out)
    assert again.cached == 7 and again.pages_reused == 7  # the pages too, without a template run
    same_site(out, tmp_path / "serial")
    pages = sorted((out.parent / FOLDER).glob("*/*.page"))
    pages[0].write_bytes(
        pages[0].read_bytes().replace(b"<section", b"<section hidden", 1)
    )  # a kept page garbled
    media = sorted((out.parent / FOLDER).glob("*/media/*"))
    assert media  # the course's SVGs embed pictures: kept as files of their own too
    media[0].write_bytes(b"not the picture")
    last = build(copy_course, out)
    assert last.cached == 7 and last.pages_reused < 7
    same_site(out, tmp_path / "serial")


def small_course(tmp_path: Path) -> Path:
    decks = {
        "a.md": "# A\n\n[to b](b.md)\n\n![pic](img/missing.png)\n",
        "b.md": '# B\n\n<object type="image/svg+xml" data="img/d.svg" data-layers="l2"></object>\n',
        "c.md": "---\ntitle: C\n---\n# C\n\n$x^2$\n",
        "d.md": "# D\n\n```python\nprint(1)\n```\n",
    }
    return make_course(tmp_path, decks, {"slides/img/d.svg": SVG.format(layer="l2")})


def test_a_damaged_cache_is_rebuilt_and_the_site_is_still_right(tmp_path: Path) -> None:
    root = small_course(tmp_path)
    out = tmp_path / "out"
    build(root, out)
    a, b, c, d = entries(out)
    a.write_bytes(a.read_bytes()[:100])  # truncated
    raw = bytearray(b.read_bytes())
    raw[-20] ^= 0x01  # one bit flipped in the body: it is not the body the signed head names
    b.write_bytes(bytes(raw))
    b.with_suffix(".page").unlink()  # (else its page, whole, would be reused without the body)
    c.write_bytes(b"")
    # a new body and a head naming it, with the old signature: as a foreign entry would be
    signature, head, body = d.read_bytes().split(b"\n", 2)
    body = body.replace(b"<h1", b"<script>alert(1)</script><h1")
    fields = json.loads(head)
    fields["body"] = hashlib.sha256(body).hexdigest()
    d.write_bytes(signature + b"\n" + json.dumps(fields).encode() + b"\n" + body)
    compiled = sorted((out.parent / FOLDER).glob("*/templates/*.code"))
    assert compiled  # the templates, compiled once
    for code in compiled:  # marshalled code not signed with the user's key is never loaded
        code.write_bytes(b"0" * 64 + b"\n" + marshal.dumps(compile("raise SystemExit(3)", "x", "exec")))
    rebuilt = build(root, out)
    assert rebuilt.cached == 0
    clean_build(root, tmp_path / "clean")
    same_site(out, tmp_path / "clean")
    assert build(root, out).cached == 4  # the entries were written anew


def test_entries_from_another_users_cache_are_not_trusted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = small_course(tmp_path)
    out = tmp_path / "out"
    build(root, out)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "someone-else"))
    assert build(root, out).cached == 0


def test_what_a_deck_read_decides_whether_it_is_rendered_again(tmp_path: Path) -> None:
    root = small_course(tmp_path)
    out = tmp_path / "out"
    first = build(root, out)
    assert any("missing.png" in w for w in first.warnings)
    (root / "slides" / "img" / "missing.png").write_bytes(b"\x89PNG not really")  # a file that was missing
    (root / "slides" / "img" / "d.svg").write_text(SVG.format(layer="l3"), "utf-8")  # a drawing
    second = build(root, out)
    assert second.cached == 2  # c and d read neither
    assert not any("missing.png" in w for w in second.warnings)
    assert any('unknown layer id "l2"' in w for w in second.warnings)
    (root / "slides" / "img" / "d.svg").touch()  # a new time, the same bytes: content decides
    assert build(root, out).cached == 4
    clean_build(root, tmp_path / "clean")
    same_site(out, tmp_path / "clean")


def test_a_linked_deck_appearing_and_config_changes_render_again(tmp_path: Path) -> None:
    root = make_course(tmp_path, {"a.md": "# A\n\n[to b](b.md)\n", "c.md": "# C\n"})
    out = tmp_path / "out"
    build(root, out)
    (root / "slides" / "b.md").write_text("# B\n", "utf-8")
    second = build(root, out)
    assert second.cached == 1  # c; a now links to a page
    assert 'href="b.html"' in (out / "a.html").read_text("utf-8")
    (root / "deckbuild.yml").write_text("title: Another\n", "utf-8")
    assert build(root, out).cached == 0
    assert len(entries(out)) == 3
    (root / "slides" / "c.md").unlink()
    build(root, out)
    assert len(entries(out)) == 2  # the gone deck's entry is pruned


def test_clean_renders_every_deck_and_the_cache_stays_out_of_the_slides(tmp_path: Path) -> None:
    root = small_course(tmp_path)
    env = {"PATH": "/usr/bin:/bin", "XDG_CACHE_HOME": str(tmp_path / "user-cache")}
    command = [sys.executable, "-m", "deckbuild", "build", str(root)]
    subprocess.run(command, check=True, env=env, capture_output=True)
    again = subprocess.run(command, check=True, env=env, capture_output=True, text=True)
    assert "built 4 decks (4 from the cache)" in again.stderr
    clean = subprocess.run([*command, "--clean"], check=True, env=env, capture_output=True, text=True)
    assert "built 4 decks," in clean.stderr
    assert (root / FOLDER / "CACHEDIR.TAG").is_file()
    assert not list((root / "slides").rglob("*.json"))


def test_serve_checks_only_what_the_watcher_reported(tmp_path: Path) -> None:
    root = make_course(
        tmp_path, {"a.md": "# A\n\n![p](img/p.png)\n", "b.md": "# B\n"}, {"slides/img/p.png": b"one"}
    )
    builder = SiteBuilder(root)
    builder.build()
    picture = (root / "slides" / "img" / "p.png").resolve()
    picture.write_bytes(b"two, longer")  # changed, but reported only below
    builder.build({(root / "notes.txt").resolve()})
    assert builder.rendered == []  # the picture's stamp was not looked at
    builder.build({(root / "slides" / "b.md").resolve()})
    assert builder.rendered == ["slides/b.md"]
    builder.build({picture})
    assert builder.rendered == ["slides/a.md"]
    picture.write_bytes(b"three, longer still")
    builder.build(None)  # a full check (start, after a failed build) looks at every stamp
    assert builder.rendered == ["slides/a.md"]
    (root / "slides" / "img").rename(root / "slides" / "pictures")  # a folder is reported alone
    builder.build({(root / "slides" / "img").resolve(), (root / "slides" / "pictures").resolve()})
    assert builder.rendered == ["slides/a.md"]


def test_after_a_failed_build_serve_checks_every_stamp(tmp_path: Path) -> None:
    root = make_course(tmp_path, {"a.md": "# A\n"})
    session = PreviewSession(root)
    assert session.rebuild()
    change = [(Change.modified, str(root / "slides" / "a.md"))]
    assert session.changed(change) == {(root / "slides" / "a.md").resolve()}
    (root / "deckbuild.yml").write_text("reveal: {width: wide}\n", "utf-8")
    assert not session.rebuild(change)
    assert session.changed(change) is None
    (root / "deckbuild.yml").unlink()
    assert session.rebuild(change)
    assert session.changed(change) is not None
