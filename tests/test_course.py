"""The real course (../shared/corpus/rses-dl-course) builds as it is."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import html
from sitecheck import outside_and_missing

from deckbuild.cli import cli

SLIDES = {"00": 7, "01": 36, "02": 57, "03": 34, "04": 27, "05": 14, "06": 22}
UNKNOWN_PARAMS = [
    ("slides/02_neural_networks.md", "layer2", "neuralnetwork-term.svg"),
    ("slides/03_convolution_neural_networks.md", "layer2", "neuralnetwork-term.svg"),
    ("slides/06_dl_in_other_fields.md", "layer5", "autoencoder.svg"),
]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    from conftest import COURSE

    out = tmp_path_factory.mktemp("site") / "out"
    result = CliRunner().invoke(cli, ["build", str(COURSE), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out, result.output


def deck_pages(out: Path) -> dict[str, Path]:
    return {p.name[:2]: p for p in sorted(out.glob("0*.html"))}


def slide_count(page: Path) -> int:
    tree = html.parse(str(page)).getroot()
    slides = tree.xpath('//div[@class="slides"]//section[not(section)]')
    return len(slides)


def test_index_links_all_decks_with_nojekyll_and_404(built: tuple[Path, str]) -> None:
    out, output = built
    index = (out / "index.html").read_text("utf-8")
    links = re.findall(r'<a href="(0[^"]+\.html)">', index)
    assert links == sorted(links) and len(links) == 7
    assert all((out / link).is_file() for link in links)
    assert (out / ".nojekyll").is_file() and (out / "404.html").is_file()
    assert re.search(r"^built 7 decks, 197 slides, \d+ assets in [\d.]+ s", output, re.M)


def test_slide_counts_match_the_seed_system(built: tuple[Path, str]) -> None:
    out, _ = built
    assert {k: slide_count(p) for k, p in deck_pages(out).items()} == SLIDES


def test_nothing_loaded_points_outside_the_site(built: tuple[Path, str]) -> None:
    out, _ = built
    outside, missing = outside_and_missing(out)
    assert outside == [] and missing == []
    for css in out.rglob("*.css"):
        assert "fonts.googleapis" not in css.read_text("utf-8"), css


def test_svg_objects_inlined_with_isolated_ids(built: tuple[Path, str]) -> None:
    out, _ = built
    fragments = 0
    for page in deck_pages(out).values():
        text = page.read_text("utf-8")
        assert 'type="image/svg+xml"' not in text
        tree = html.fromstring(text)
        ids = [e.get("id") for e in tree.iter() if isinstance(e.tag, str) and e.get("id")]
        assert len(ids) == len(set(ids)), f"{page.name}: an id occurs twice"
        for svg in tree.iter("svg"):
            own = {e.get("id") for e in svg.iter() if isinstance(e.tag, str) and e.get("id")}
            for element in svg.iter():
                if not isinstance(element.tag, str):
                    continue
                if "fragment" in (element.get("class") or "").split():
                    fragments += 1
                for name, value in element.attrib.items():
                    for ref in re.findall(r"url\(['\"]?#([^'\")]+)", value):
                        assert ref in own, (page.name, ref)
                    if name.endswith("href") and value.startswith("#"):
                        assert value[1:] in own, (page.name, value)
    assert fragments == 123


def test_unknown_param_ids_are_reported(built: tuple[Path, str]) -> None:
    _, output = built
    reported = re.findall(r'warning: (\S+?):\d+: unknown layer id "(\w+)" in slides/assets/img/(\S+)', output)
    assert reported == UNKNOWN_PARAMS


def test_course_options_reach_reveal(built: tuple[Path, str]) -> None:
    out, _ = built
    page = (out / "05_transfer_learning.html").read_text("utf-8")
    for option in ('"height": 720', '"width": 1280', '"slideNumber": true', '"transition": "slide"'):
        assert option in page
    assert 'href="assets/css/slide-style.css"' in page and (out / "assets/css/slide-style.css").is_file()
    assert "theme/white.css" in page
