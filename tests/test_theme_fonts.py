"""reveal.js themes keep their fonts offline: the families they import from the web come from bundled files."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import chromium, open_page
from conftest import make_course

from deckbuild.commands.build import build
from deckbuild.fonts import REVEAL_THEMES

pytestmark = pytest.mark.browser


def test_every_theme_loads_its_web_fonts_from_the_site(tmp_path: Path) -> None:
    decks = {
        f"{theme}.md": f"---\ntheme: {theme}\n---\n\n# Heading\n\nText *and italics*.\n"
        for theme in REVEAL_THEMES
    }
    root = make_course(tmp_path, decks)
    build(root)
    blocked: list[str] = []
    with chromium() as browser:
        for theme, families in sorted(REVEAL_THEMES.items()):
            page = open_page(browser, (root / "_site" / f"{theme}.html").as_uri(), blocked)
            page.wait_for_function("document.fonts.status === 'loaded'")
            loaded = page.evaluate(
                "[...new Set([...document.fonts].filter(f => f.status === 'loaded').map(f => f.family.replace(/\"/g, '')))]"
            )
            # the heading's and the text's families are the bundled ones, loaded (not a system fallback)
            assert set(loaded) == set(families), (theme, loaded)
            page.close()
    assert blocked == []
