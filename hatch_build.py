"""Hatch build hook: fetch the front-end packages named in vendor.lock.json.

Each package is fetched with `npm pack NAME@VERSION` (npm's own configured
registry: no host is named here), its tarball checked against the sha512 in
the lock, and the listed files extracted into src/deckbuild/_vendor/. The
folder is git-ignored and shipped in the wheel as a hatch artifact.

Three edits make the files fit an offline site:
- theme stylesheets lose their `@import` of remote web fonts (they fall back
  to the theme's local font stack);
- `sourceMappingURL` comments are dropped, since no source map is shipped;
- font `src` lists keep only woff2 (every browser reveal.js 6 runs in reads
  it), so a site ships 20 KaTeX fonts, not 60.
"""

from __future__ import annotations

import base64
import fnmatch
import hashlib
import json
import re
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

ROOT = Path(__file__).parent
LOCK = ROOT / "vendor.lock.json"
VENDOR = ROOT / "src" / "deckbuild" / "_vendor"
STAMP = VENDOR / "lock.json"

REMOTE_IMPORT = re.compile(r"@import\s+(url\()?\s*[\"']?https?://[^;]*;\s*")
SOURCE_MAP = re.compile(r"\n?/[/*]# sourceMappingURL=[^\n]*")
OLD_FONT_FORMATS = re.compile(r""",\s*url\([^)]*\.(?:woff|ttf)\)\s*format\(["'](?:woff|truetype)["']\)""")


class VendorError(RuntimeError):
    pass


def _integrity(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def _npm_pack(spec: str, dest: Path) -> Path:
    npm = shutil.which("npm")
    if npm is None:
        raise VendorError("npm is needed to fetch the bundled front-end packages")
    result = subprocess.run(
        [npm, "pack", spec, "--json", "--pack-destination", str(dest)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise VendorError(f"npm pack {spec} failed: {result.stderr.strip()[-400:]}")
    filename = json.loads(result.stdout)[0]["filename"]
    return dest / filename


def _wanted(member: str, patterns: list[str]) -> bool:
    # a `*` stays within one path segment, as in a shell glob
    parts = member.removeprefix("package/").split("/")
    for pattern in patterns:
        pparts = pattern.split("/")
        if len(pparts) == len(parts) and all(
            fnmatch.fnmatchcase(a, b) for a, b in zip(parts, pparts, strict=False)
        ):
            return True
    return False


def _clean(name: str, data: bytes) -> bytes:
    if not name.endswith((".css", ".js")):
        return data
    text = data.decode("utf-8")
    if name.endswith(".css"):
        text = OLD_FONT_FORMATS.sub("", REMOTE_IMPORT.sub("", text))
    text = SOURCE_MAP.sub("", text)
    return text.encode("utf-8")


def _extract(tarball: Path, patterns: list[str], dest: Path) -> int:
    count = 0
    with tarfile.open(tarball) as tar:
        for member in tar.getmembers():
            if not member.isfile() or not _wanted(member.name, patterns):
                continue
            rel = member.name.removeprefix("package/")
            source = tar.extractfile(member)
            assert source is not None
            target = dest / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(_clean(rel, source.read()))
            count += 1
    return count


def fetch_vendor(lock_path: Path = LOCK, vendor: Path = VENDOR) -> bool:
    """Fill `vendor` from the lock; returns False when it was already current."""
    lock = json.loads(lock_path.read_text("utf-8"))
    stamp = vendor / "lock.json"
    if stamp.is_file() and json.loads(stamp.read_text("utf-8")) == lock:
        return False
    staging = Path(tempfile.mkdtemp(prefix="deckbuild-vendor-"))
    try:
        out = staging / "_vendor"
        for name, entry in lock["packages"].items():
            tarball = _npm_pack(f"{name}@{entry['version']}", staging)
            got = _integrity(tarball.read_bytes())
            if got != entry["integrity"]:
                raise VendorError(f"{name}@{entry['version']}: integrity {got} does not match the lock")
            if _extract(tarball, entry["files"], out / name) == 0:
                raise VendorError(f"{name}: no file matched the lock's file list")
        (out / "lock.json").write_text(json.dumps(lock, indent=2), "utf-8")
        if vendor.exists():
            shutil.rmtree(vendor)
        shutil.move(str(out), str(vendor))
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return True


class VendorHook(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        # for the sdist too: it carries the checked files, so a wheel built from it
        # finds them current (the lock copied beside them matches) and needs no npm
        fetch_vendor()


if __name__ == "__main__":
    print("fetched" if fetch_vendor() else "already current")
