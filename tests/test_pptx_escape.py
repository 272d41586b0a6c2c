"""Slide text written into markdown reads back as the same text (fixtures: text → expected escape)."""

from __future__ import annotations

import pytest

from deckbuild.markdown import MarkdownOptions, renderer
from deckbuild.powerpoint import escape

CASES = [
    ("PATH=$HOME/bin", r"PATH=\$HOME/bin"),
    ("<your name>", r"\<your name>"),
    ("Note: this is said", r"Note\: this is said"),
    ("notes: too", r"notes\: too"),
    ("# 1 priority", r"\# 1 priority"),
    ("* not a bullet", r"\* not a bullet"),
    ("- not a bullet", r"\- not a bullet"),
    ("2. not a number", r"2\. not a number"),
    ("---", r"\---"),
    ("::: columns", r"\::: columns"),
    ("snake_case stays", "snake_case stays"),
    ("_leading underscore", r"\_leading underscore"),
    ("&copy; is not ©", r"\&copy; is not ©"),
    ("{.fragment} is text", r"\{.fragment} is text"),
    ("a [link](x)", r"a \[link\](x)"),
    ("`tick`", r"\`tick\`"),
    ("back\\slash", r"back\\slash"),
    ("> quote", r"\> quote"),
    ("~~strike~~", r"\~\~strike\~\~"),
]


@pytest.mark.parametrize(("said", "written"), CASES)
def test_escape(said: str, written: str) -> None:
    assert escape.line_start(escape.inline(said)) == written


@pytest.mark.parametrize(("said", "written"), CASES)
def test_escaped_text_renders_as_said(said: str, written: str) -> None:
    from lxml import html

    md = renderer(MarkdownOptions(columns=True, attributes=True))
    rendered = html.fragment_fromstring(md.render(written), create_parent="div")
    assert rendered.text_content().strip() == said
    assert [e.tag for e in rendered] == ["p"]
