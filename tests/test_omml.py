"""OMML → TeX: each hand-written PowerPoint equation gives the expected TeX."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree

from deckbuild.powerpoint.omml import M, UnsupportedMath, omath_tex

CASES = etree.parse(str(Path(__file__).parent / "fixtures" / "omml" / "cases.xml")).getroot()


def tokens(tex: str) -> list[str]:
    """TeX as tokens, so spacing that TeX ignores does not count."""
    return re.findall(r"\\[A-Za-z]+|\\.|\S", tex)


@pytest.mark.parametrize("case", [c for c in CASES if isinstance(c.tag, str)], ids=lambda c: c.get("name"))
def test_omml_case(case: etree._Element) -> None:
    got = omath_tex(case.find(f"{{{M}}}oMath"))
    assert tokens(got) == tokens(case.get("tex")), got


def test_unknown_element_is_reported() -> None:
    element = etree.fromstring(f'<m:oMath xmlns:m="{M}"><m:mystery/></m:oMath>')
    with pytest.raises(UnsupportedMath, match="mystery"):
        omath_tex(element)


def test_every_command_the_converter_writes_is_known_to_the_bundled_katex() -> None:
    from deckbuild.powerpoint import omml
    from deckbuild.rules.math import katex_commands

    known = katex_commands()
    assert known, "the bundled KaTeX is missing"
    tables = [omml.SYMBOLS, omml.NARY, omml.ACCENTS, omml.DELIMITERS, omml.GROUP_CHARS, omml.STYLES]
    tables += [omml.LETTERLIKE, omml.SCRIPTS, omml.TEX_SPECIAL]
    written = {
        name for table in tables for tex in table.values() for name in re.findall(r"\\([A-Za-z]+)", tex)
    }
    written |= set(omml.GREEK.values()) | omml.FUNCTIONS
    written |= {"frac", "genfrac", "sqrt", "left", "right", "middle", "limits", "nolimits", "operatorname"}
    written |= {
        "underset",
        "overset",
        "overline",
        "underline",
        "widehat",
        "widetilde",
        "boxed",
        "phantom",
        "text",
    }
    written |= {"begin", "end", "textbackslash", "varepsilon", "varphi", "vartheta"}
    assert sorted(written - known) == []
