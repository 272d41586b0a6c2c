"""The bundled front-end files: fetched by npm pack, checked against the lock, shipped in the wheel."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
sys.path.insert(0, str(ROOT))

import hatch_build  # noqa: E402


def fake_package(folder: Path, files: dict[str, str]) -> Path:
    tarball = folder / "pkg-1.0.0.tgz"
    with tarfile.open(tarball, "w:gz") as tar:
        for name, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo(f"package/{name}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return tarball


def test_integrity_mismatch_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tarball = fake_package(tmp_path, {"dist/a.js": "x"})
    monkeypatch.setattr(hatch_build, "_npm_pack", lambda spec, dest: tarball)
    lock = tmp_path / "lock.json"
    lock.write_text(
        json.dumps(
            {"packages": {"pkg": {"version": "1.0.0", "integrity": "sha512-AAAA", "files": ["dist/*.js"]}}}
        )
    )
    with pytest.raises(hatch_build.VendorError, match="does not match the lock"):
        hatch_build.fetch_vendor(lock, tmp_path / "vendor")
    assert not (tmp_path / "vendor").exists()


def test_listed_files_are_extracted_and_cleaned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = {
        "dist/theme/a.css": "@import url(https://fonts.googleapis.com/css?family=Lato);\nbody{color:red}\n/*# sourceMappingURL=a.css.map */",
        "dist/theme/sub/b.css": "not listed",
        "dist/a.js": "code\n//# sourceMappingURL=a.js.map",
        "dist/theme/fonts.css": '@font-face{src:url(f/A.woff2) format("woff2"),url(f/A.woff) format("woff"),url(f/A.ttf) format("truetype")}',
        "dist/a.js.map": "{}",
        "README.md": "not listed",
    }
    tarball = fake_package(tmp_path, files)
    monkeypatch.setattr(hatch_build, "_npm_pack", lambda spec, dest: tarball)
    integrity = hatch_build._integrity(tarball.read_bytes())
    lock = tmp_path / "lock.json"
    lock.write_text(
        json.dumps(
            {
                "packages": {
                    "pkg": {
                        "version": "1.0.0",
                        "integrity": integrity,
                        "files": ["dist/theme/*.css", "dist/*.js"],
                    }
                }
            }
        )
    )
    vendor = tmp_path / "vendor"
    assert hatch_build.fetch_vendor(lock, vendor) is True
    got = sorted(p.relative_to(vendor).as_posix() for p in vendor.rglob("*") if p.is_file())
    assert got == ["lock.json", "pkg/dist/a.js", "pkg/dist/theme/a.css", "pkg/dist/theme/fonts.css"]
    assert (
        vendor / "pkg/dist/theme/fonts.css"
    ).read_text() == '@font-face{src:url(f/A.woff2) format("woff2")}'
    assert (vendor / "pkg/dist/theme/a.css").read_text() == "body{color:red}"
    assert (vendor / "pkg/dist/a.js").read_text() == "code"
    assert hatch_build.fetch_vendor(lock, vendor) is False  # current: not fetched again


def test_lock_pins_reveal_6_and_katex_by_sha512() -> None:
    lock = json.loads((ROOT / "vendor.lock.json").read_text())["packages"]
    assert lock["reveal.js"]["version"].startswith("6.")
    for entry in lock.values():
        assert entry["integrity"].startswith("sha512-")
    hook = (ROOT / "hatch_build.py").read_text()
    assert "npmjs" not in hook and "https://" not in hook  # npm's own configured registry, no host here


def pip_wheel(source: Path, out: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Build a wheel of `source` into `out` with this environment's hatchling (no download)."""
    command = [
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "-q",
        "--no-deps",
        "--no-build-isolation",
        "-w",
        str(out),
    ]
    return subprocess.run([*command, str(source)], capture_output=True, text=True, env=env)


def test_wheel_bundles_the_vendor_files_without_source_maps(tmp_path: Path) -> None:
    done = pip_wheel(ROOT, tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    wheel = next(tmp_path.glob("deckbuild-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for needed in (
        "deckbuild/_vendor/reveal.js/dist/reveal.js",
        "deckbuild/_vendor/reveal.js/dist/plugin/notes.js",
        "deckbuild/_vendor/katex/dist/katex.min.js",
        "deckbuild/_vendor/katex/dist/fonts/KaTeX_Main-Regular.woff2",
        "deckbuild/templates/deck.html",
        "deckbuild/client/reload.js",
        "deckbuild/starter/pages.yml",
    ):
        assert needed in names, needed
    assert not [n for n in names if n.endswith(".map")]


def test_a_wheel_builds_from_the_sdist_without_npm(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", "sdist", "-d", str(tmp_path / "dist")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    sdist = next((tmp_path / "dist").glob("deckbuild-*.tar.gz"))
    with tarfile.open(sdist) as tar:
        assert any(n.endswith("_vendor/reveal.js/dist/reveal.js") for n in tar.getnames())
        tar.extractall(tmp_path / "src", filter="data")
    unpacked = next((tmp_path / "src").iterdir())
    empty = tmp_path / "no-npm"
    empty.mkdir()
    done = pip_wheel(unpacked, tmp_path / "w", env={"PATH": str(empty), "HOME": str(tmp_path)})
    assert done.returncode == 0, done.stderr[-2000:]
    names = zipfile.ZipFile(next((tmp_path / "w").glob("deckbuild-*.whl"))).namelist()
    assert "deckbuild/_vendor/katex/dist/katex.min.js" in names
