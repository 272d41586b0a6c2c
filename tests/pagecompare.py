"""Comparing printed PDF pages with browser screenshots of the same slides.

Both are reduced to the same grid of "ink" (pixels that are not the white
page) in Chromium, so no imaging library is needed: a figure a PDF page
lost shows as ink the screenshot has and the page has not.
"""

from __future__ import annotations

import base64
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

COLS, ROWS = 32, 18
HIDE_CHROME = (
    ".controls, .progress, .slide-number, .deckbuild-home, .deckbuild-menu-button"
    " { display: none !important; }"
)
# every fragment shown, exactly as reveal.js's print view shows them
AS_PRINTED = """([h, v]) => {
    Reveal.slide(h, v);
    const slide = Reveal.getCurrentSlide();
    slide.querySelectorAll('.fragment').forEach(f => f.classList.remove('visible', 'current-fragment'));
    slide.querySelectorAll('.fragment:not(.fade-out)').forEach(f => f.classList.add('visible'));
}"""
GRID = """async ([png, cols, rows]) => {
    const image = new Image();
    image.src = 'data:image/png;base64,' + png;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = image.width; canvas.height = image.height;
    const context = canvas.getContext('2d');
    context.drawImage(image, 0, 0);
    const data = context.getImageData(0, 0, image.width, image.height).data;
    const cells = new Array(cols * rows).fill(0);
    const size = new Array(cols * rows).fill(0);
    for (let y = 0; y < image.height; y++) {
        const row = Math.min(rows - 1, Math.floor(y * rows / image.height));
        for (let x = 0; x < image.width; x++) {
            const i = (y * image.width + x) * 4;
            const cell = row * cols + Math.min(cols - 1, Math.floor(x * cols / image.width));
            const far = 255 - Math.min(data[i], data[i + 1], data[i + 2]);
            size[cell] += 1;
            if (far > 12) cells[cell] += 1;
        }
    }
    return cells.map((c, i) => c / size[i]);
}"""


@dataclass
class PageMatch:
    number: int
    printed_ink: float  # share of the page that is ink
    shown_ink: float  # the same in the browser
    difference: float  # mean difference of the grids' cells


def pdf_pages(pdf: Path, dpi: int = 96) -> list[bytes]:
    """Each page of `pdf` as PNG (pdftoppm, from poppler-utils); 96 dpi is CSS pixels."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(pdf), f"{tmp}/p"], check=True)
        return [path.read_bytes() for path in sorted(Path(tmp).glob("p-*.png"))]


def screenshots(browser: Any, url: str, width: int, height: int) -> list[bytes]:
    """Each visible slide of the deck at `url`, all fragments shown, at the page's size."""
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(url)
    page.wait_for_function("window.Reveal && Reveal.isReady() && document.readyState === 'complete'")
    page.add_style_tag(content=HIDE_CHROME + " *, *::before, *::after { transition: none !important; }")
    indices = page.evaluate(
        "Reveal.getSlides().map(s => { const i = Reveal.getIndices(s); return [i.h, i.v || 0]; })"
    )
    shots = []
    for h, v in indices:
        page.evaluate(AS_PRINTED, [h, v])
        page.wait_for_function("document.documentElement.hasAttribute('data-deckbuild-fitted')")
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        shots.append(page.screenshot())
    page.close()
    return shots


def grid(page: Any, png: bytes) -> list[float]:
    return list(page.evaluate(GRID, [base64.b64encode(png).decode("ascii"), COLS, ROWS]))


def compare(browser: Any, printed: list[bytes], shown: list[bytes]) -> list[PageMatch]:
    page = browser.new_page()
    matches = []
    for number, (a, b) in enumerate(zip(printed, shown, strict=True), 1):
        ga, gb = grid(page, a), grid(page, b)
        difference = sum(abs(x - y) for x, y in zip(ga, gb, strict=True)) / len(ga)
        matches.append(PageMatch(number, sum(ga) / len(ga), sum(gb) / len(gb), difference))
    page.close()
    return matches
