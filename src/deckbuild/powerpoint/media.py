"""Pictures out of the package: the SVG where PowerPoint kept one, files browsers can show.

PowerPoint stores an SVG picture twice: a PNG in `a:blip` (for old
readers) and the SVG in an `asvg:svgBlip` extension; the SVG is the one
to keep. EMF and WMF (common in academic decks) and TIFF/BMP are not
shown by browsers: TIFF/BMP become PNG with Pillow; EMF/WMF are converted
by Inkscape or LibreOffice when one is installed, and otherwise kept as a
file behind a link, with a warning, never as a broken image.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from deckbuild.powerpoint.context import SlideContext
from deckbuild.powerpoint.xml import find, q

BROWSER_FORMATS = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif"}
PILLOW_FORMATS = {".tif", ".tiff", ".bmp"}
VECTOR_METAFILES = {".emf", ".wmf"}


@dataclass(frozen=True)
class Picture:
    path: str  # as written in the markdown, relative to the deck
    alt: str
    shown: bool  # False: a file browsers cannot show, linked instead of displayed


def file_name(partname: str) -> str:
    """`/ppt/media/image10.svg` → `image10.svg` (nothing from the package names a path outside)."""
    name = partname.rsplit("/", 1)[-1]
    return re.sub(r"[^A-Za-z0-9._-]", "_", name).lstrip(".") or "picture"


def blip_part(blip: etree._Element, context: SlideContext) -> Any:
    svg = find(blip, "a:extLst/a:ext/asvg:svgBlip")
    for candidate in (svg, blip):
        if candidate is None:
            continue
        part = context.related(candidate.get(q("r:embed")))
        if part is not None:
            return part
    return None


def to_png(data: bytes) -> bytes | None:
    from PIL import Image  # python-pptx depends on Pillow

    try:
        with Image.open(io.BytesIO(data)) as image:
            out = io.BytesIO()
            image.save(out, "PNG")
            return out.getvalue()
    except Exception:  # noqa: BLE001 - any decoding failure means "keep the file as it is"
        return None


def metafile_to_svg(name: str, data: bytes) -> bytes | None:
    """EMF/WMF → SVG with Inkscape, else LibreOffice, when either is installed."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / name
        source.write_bytes(data)
        target = source.with_suffix(".svg")
        inkscape, office = shutil.which("inkscape"), shutil.which("soffice") or shutil.which("libreoffice")
        commands = []
        if inkscape:
            commands.append([inkscape, str(source), f"--export-filename={target}"])
        if office:
            commands.append([office, "--headless", "--convert-to", "svg", "--outdir", folder, str(source)])
        for command in commands:
            try:
                subprocess.run(command, capture_output=True, timeout=120, check=False, cwd=folder)
            except (OSError, subprocess.SubprocessError):
                continue
            if target.is_file() and target.stat().st_size:
                return target.read_bytes()
    return None


def picture(blip: etree._Element, alt: str, context: SlideContext) -> Picture | None:
    part = blip_part(blip, context)
    if part is None:
        context.warn("a picture's image is missing from the file; left out")
        return None
    name = file_name(str(getattr(part, "partname", "picture")))
    data: bytes = getattr(part, "blob", b"")
    suffix = Path(name).suffix.lower()
    if suffix in PILLOW_FORMATS:
        png = to_png(data)
        if png is not None:
            name, data, suffix = str(Path(name).with_suffix(".png")), png, ".png"
    elif suffix in VECTOR_METAFILES:
        svg = metafile_to_svg(name, data)
        if svg is not None:
            name, data, suffix = str(Path(name).with_suffix(".svg")), svg, ".svg"
    path = context.save_picture(name, data)
    context.report.pictures += 1
    if suffix not in BROWSER_FORMATS:
        context.warn(
            f"picture {name} is {suffix[1:].upper()}, which browsers cannot show; kept as a file and linked "
            "(install Inkscape or LibreOffice and import again to convert it)"
        )
        return Picture(path, alt, shown=False)
    return Picture(path, alt, shown=True)
