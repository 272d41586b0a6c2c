"""Random decks mixing every convention, for the fuzz test and bench/fuzz_decks.py."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import strategies as st

from deckbuild.errors import DeckError
from deckbuild.site import SiteBuilder

PIECES = [
    "\n---\n",
    "\n----\n",
    "\nNote: a note\n",
    "\nNotes:\n",
    '<!-- .slide: data-background="#123" class="a" -->',
    '<!-- .slide: data-visibility="hidden" -->',
    '<!-- .element: class="fragment" -->',
    '<!-- .element class="x" -->',
    "<!-- .list: incremental -->",
    "<!-- fit -->",
    "$x^2$",
    "$$\\frac{a}{b}$$",
    "$\\(broken$",
    "$$\\begin{x}$$",
    "```python [1|2-3]\nprint(1)\n```",
    "```\n---\n```",
    "::: columns\n::: column width=40%\nleft\n:::\n:::",
    "![alt](missing.png){width=50% .fragment}",
    "![bg right:40%](x.png)",
    '<object type="image/svg+xml" data="d.svg" data-layers="all"></object>',
    "<div><p>unclosed",
    "</section></div>",
    "<script>x</script>",
    "<o:p></o:p>",
    "[link](other.md#/3)",
    "# Heading",
    "## Heading {#id .class}",
    "* item\n  * nested\n",
    "1. one\n2. two\n",
    "| a | b |\n|---|---|\n| 1 | 2 |\n",
    "> quote",
    "\t\x0b\x01",
    "---\ntitle: [unclosed\n---\n",
    "---\nmarp: true\npaginate: hold\n---\n",
    "<!-- _class: lead -->",
    "<style scoped>h1 { color: red }</style>",
    ":smile:",
    "\u202e\ufeff",
]
SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><g id="layer1"><rect width="1" height="1"/></g></svg>'

deck_texts = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=20)), max_size=12).map("\n".join)


def build_deck(text: str) -> None:
    """Read and render one deck; anything but a DeckError is a bug."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "slides").mkdir()
        (root / "slides" / "deck.md").write_text(text, "utf-8")
        (root / "slides" / "other.md").write_text("# Other\n", "utf-8")
        (root / "slides" / "d.svg").write_text(SVG, "utf-8")
        try:
            SiteBuilder(root).build()
        except DeckError:
            pass
