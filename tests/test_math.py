"""Build-time TeX checks: what KaTeX would refuse is a warning with file:line."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import make_course

from deckbuild.commands.build import build
from deckbuild.rules.math import check_tex

CASES = [
    (r"\frac{1}{2}", None),
    (r"\begin{aligned} a &= b \\ c &= d \end{aligned}", None),
    (r"\begin{pmatrix} 1 & 0 \\ 0 & 1 \end{pmatrix}", None),
    (r"f(x) = \begin{cases} 0 & x < 0 \\ 1 & x \ge 0 \end{cases}", None),
    (r"\left( \frac{a}{b} \right)", None),
    (r"\{ x \}", None),
    (r"\newcommand{\R}{\mathbb{R}} \R", None),
    (r"\(E = 1\)", r"math delimiter \( inside math"),
    (r"\frac{1}{2", "a '{' is not closed"),
    (r"x}", "a '}' closes no '{'"),
    (r"\foo x", r"unknown TeX command \foo"),
    (r"\begin{aligned} a \end{cases}", r"\end{cases} does not close the open environment"),
    (r"\begin{aligned} a", r"\begin{aligned} is not ended"),
    (r"\left( x", r"1 \left but 0 \right"),
]


@pytest.mark.parametrize(("tex", "problem"), CASES)
def test_check_tex(tex: str, problem: str | None) -> None:
    assert check_tex(tex) == problem


def test_bad_math_is_a_warning_with_file_and_line(tmp_path: Path) -> None:
    root = make_course(tmp_path, {"a.md": "# A\n\nfine $x$\n\n$$\n\\frac{1}{2\n$$\n\nNote:\nand $\\oops$\n"})
    warnings = build(root).warnings
    assert warnings == [
        "slides/a.md:6: KaTeX cannot typeset this math (a '{' is not closed): \\frac{1}{2",
        "slides/a.md:10: KaTeX cannot typeset this math (unknown TeX command \\oops): \\oops",
    ]
