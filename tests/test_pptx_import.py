"""`deckbuild import`: PowerPoint decks become markdown decks that build and say what the slides say."""

from __future__ import annotations

import re
import stat
import sys
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SHARED
from lxml import html
from pptxmaker import chart_deck, content_deck, equation_deck, metafile_deck

from deckbuild.cli import cli
from deckbuild.commands.build import build
from deckbuild.commands.import_pptx import import_pptx
from deckbuild.errors import DeckError

PPTX = SHARED / "pptx" / "decks"
FIXTURE_DECKS = ["ms-intro-regression-tidymodels", "ms-intro-git-github"]


def tokens(tex: str) -> list[str]:
    return re.findall(r"\\[A-Za-z]+|\\.|\S", tex)


def course(tmp_path: Path) -> Path:
    root = tmp_path / "course"
    (root / "slides").mkdir(parents=True)
    return root


def leaf_sections(page: Path) -> list[html.HtmlElement]:
    tree = html.parse(str(page)).getroot()
    return [s for s in tree.iter("section") if not s.findall(".//section")]


def shown_slides(extracted: str) -> list[tuple[str, str]]:
    """(slide text, notes) per slide of a deck's extracted-text.txt."""
    out = []
    for chunk in re.split(r"^=== slide \d+\s*$", extracted, flags=re.M)[1:]:
        body, _, notes = chunk.partition("\nNotes:")
        out.append((body, notes))
    return out


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = course(tmp_path_factory.mktemp("pptx"))
    for name in FIXTURE_DECKS:
        import_pptx(PPTX / name / f"{name}.pptx", root / "slides" / f"{name}.md")
    build(root, strict=True)
    return root


@pytest.mark.parametrize("name", FIXTURE_DECKS)
def test_fixture_deck_words_and_notes(imported: Path, name: str) -> None:
    """Every slide becomes a slide; ≥ 98% of the words PowerPoint shows and every note are on it."""
    slides = shown_slides((PPTX / name / "extracted-text.txt").read_text("utf-8"))
    sections = leaf_sections(imported / "_site" / f"{name}.html")
    assert len(sections) == len(slides)
    wanted = found = 0
    for (body, notes), section in zip(slides, sections, strict=True):
        aside = section.find(".//aside[@class='notes']")
        notes_text = aside.text_content() if aside is not None else ""
        if aside is not None:
            aside.drop_tree()
        have = Counter(words(section.text_content()))
        for word in words(body):
            wanted += 1
            if have[word] > 0:
                have[word] -= 1
                found += 1
        assert Counter(words(notes)) <= Counter(words(notes_text)), notes[:80]
    assert found / wanted >= 0.98, (found, wanted)


@pytest.mark.parametrize("name", FIXTURE_DECKS)
def test_fixture_deck_pictures_written(imported: Path, name: str) -> None:
    deck = (imported / "slides" / f"{name}.md").read_text("utf-8")
    paths = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", deck)
    assert paths
    for path in paths:
        assert (imported / "slides" / path).is_file(), path
        assert (imported / "_site" / path).is_file(), path


def test_svg_kept_over_png_fallback(imported: Path) -> None:
    deck = (imported / "slides" / "ms-intro-git-github.md").read_text("utf-8")
    # slide 1's four characters are SVGs with PNG fallbacks, and carry alt text
    assert "![Illustration of a pencil character](ms-intro-git-github/image10.svg)" in deck


def test_smartart_text_is_a_list(imported: Path) -> None:
    sections = leaf_sections(imported / "_site" / "ms-intro-regression-tidymodels.html")
    smartart = [s for s in sections if s.find(".//li") is not None and "Experimenting" in s.text_content()]
    assert smartart


def test_import_is_deterministic(tmp_path: Path) -> None:
    name = FIXTURE_DECKS[1]
    outputs = []
    for run in ("a", "b"):
        root = course(tmp_path / run)
        import_pptx(PPTX / name / f"{name}.pptx", root / "slides" / "deck.md")
        outputs.append({p.relative_to(root): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()})
    assert outputs[0] == outputs[1]


@pytest.fixture(scope="module")
def content(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    root = course(tmp_path_factory.mktemp("content"))
    source = root / "lecture.pptx"
    content_deck(source)
    result = import_pptx(source, root / "slides" / "lecture.md")
    assert result.report.warnings == []
    build(root, strict=True)
    return root, (root / "slides" / "lecture.md").read_text("utf-8")


def test_lists_levels_numbers_and_runs(content: tuple[Path, str]) -> None:
    _, deck = content
    assert "- First level (reported as level 1)\n    - **bold** and *italic* and `code()`" in deck
    assert "    - [the docs](https://example.org/docs)" in deck
    assert "1. numbered one\n2. numbered two" in deck


def test_text_means_what_the_slide_says(content: tuple[Path, str]) -> None:
    root, _ = content
    section = next(
        s for s in leaf_sections(root / "_site" / "lecture.html") if "Lists and runs" in s.text_content()
    )
    paragraphs = [p.text_content() for p in section.iter("p")]
    for said in [
        "PATH=$HOME/bin and <your name> and *stars* and 5 * 3",
        "# not a heading",
        "Note: not the notes",
        "1. not a list",
    ]:
        assert said in paragraphs
    assert section.find(".//span[@data-math]") is None
    assert section.find(".//h1") is None and section.find(".//ol/li") is not None


def test_tables_gfm_and_merged(content: tuple[Path, str]) -> None:
    root, deck = content
    assert "| Model | Loss | a\\|b |\n|---|---|---|\n| CNN | 0.12 | x |" in deck
    section = next(s for s in leaf_sections(root / "_site" / "lecture.html") if "Tables" in s.text_content())
    tables = section.findall(".//table")
    assert [c.text_content() for c in tables[0].iter("th")] == ["Model", "Loss", "a|b"]
    spanning = tables[1].find(".//th[@colspan='2']")
    assert spanning is not None and spanning.text_content().strip() == "Spanning header"


def test_columns_hidden_notes_pictures_groups(content: tuple[Path, str]) -> None:
    root, deck = content
    assert (
        "::: columns\n::: column width=50%\n- Left side text\n:::\n::: column width=50%\n- Right side text"
        in deck
    )
    assert '<!-- .slide: data-visibility="hidden" -->\n\n## Hidden slide' in deck
    sections = leaf_sections(root / "_site" / "lecture.html")
    assert not any("Secret content" in s.text_content() for s in sections)
    notes = sections[1].find(".//aside[@class='notes']")
    assert notes is not None and "Then explain lists." in notes.text_content()
    assert "![A red square](lecture/image99.svg){width=25%}" in deck
    assert deck.index("Grouped one") < deck.index("Grouped two")
    assert (root / "slides" / "lecture" / "image99.svg").read_bytes().startswith(b"<svg")


def test_equations_convert_and_build(tmp_path: Path) -> None:
    root = course(tmp_path)
    source = root / "maths.pptx"
    expected = equation_deck(source)
    result = import_pptx(source, root / "slides" / "maths.md")
    assert result.report.warnings == [] and result.report.equations == len(expected)
    deck = (root / "slides" / "maths.md").read_text("utf-8")
    found = re.findall(r"\$\$\n(.*?)\n\$\$|\$([^$\n]+)\$", deck)
    assert [tokens(a or b) for a, b in found] == [tokens(t) for t in expected]
    assert "$<!---->2 more." in deck  # an equation before a digit stays closed
    build(root, strict=True)
    page = html.parse(str(root / "_site" / "maths.html")).getroot()
    assert len(page.findall(".//*[@data-math]")) == len(expected)


def test_chart_becomes_table_with_warning(tmp_path: Path) -> None:
    root = course(tmp_path)
    chart_deck(root / "chart.pptx")
    result = import_pptx(root / "chart.pptx", root / "slides" / "chart.md")
    assert result.report.warnings == [
        "slide 1: a chart became a table of its data (the chart itself cannot be imported)"
    ]
    assert "| 2022 | 0.81 |" in (root / "slides" / "chart.md").read_text("utf-8")


def test_metafile_kept_and_linked_with_warning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty-path"))
    root = course(tmp_path)
    metafile_deck(root / "emf.pptx")
    result = import_pptx(root / "emf.pptx", root / "slides" / "emf.md")
    assert len(result.report.warnings) == 1 and "EMF, which browsers cannot show" in result.report.warnings[0]
    deck = (root / "slides" / "emf.md").read_text("utf-8")
    assert "![" not in deck and "(emf/image1.emf)" in deck
    assert (root / "slides" / "emf" / "image1.emf").is_file()


def test_metafile_converted_when_a_converter_is_installed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tools = tmp_path / "bin"
    tools.mkdir()
    fake = tools / "inkscape"  # stands in for Inkscape: writes the SVG it is asked for
    fake.write_text(
        f"#!{sys.executable}\nimport sys\n"
        "target = [a for a in sys.argv if a.startswith('--export-filename=')][0].split('=', 1)[1]\n"
        "open(target, 'w').write('<svg xmlns=\"http://www.w3.org/2000/svg\"/>')\n"
    )
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", str(tools))
    root = course(tmp_path)
    metafile_deck(root / "emf.pptx")
    result = import_pptx(root / "emf.pptx", root / "slides" / "emf.md")
    assert result.report.warnings == []
    assert "![A diagram](emf/image1.svg)" in (root / "slides" / "emf.md").read_text("utf-8")


def test_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    root = course(tmp_path)
    chart_deck(root / "chart.pptx")
    target = root / "slides" / "chart.md"
    target.write_text("mine", "utf-8")
    with pytest.raises(DeckError, match="exists; nothing was written"):
        import_pptx(root / "chart.pptx", target)
    assert target.read_text("utf-8") == "mine"
    import_pptx(root / "chart.pptx", target, force=True)
    assert "A chart" in target.read_text("utf-8")


def test_cli_summary_warnings_and_default_target(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = course(tmp_path)
    chart_deck(root / "chart.pptx")
    monkeypatch.chdir(root)
    result = CliRunner().invoke(cli, ["import", "chart.pptx"])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert "chart.pptx: slide 1: a chart became a table of its data" in lines[0]
    assert lines[-1].endswith(
        "slides/chart.md: 1 slide, 0 pictures, 1 table, 0 equations, 0 slides with notes, 1 warning"
    )
    assert (root / "slides" / "chart.md").is_file()


@pytest.mark.parametrize("content_bytes", [b"", b"PK\x03\x04 not really a zip", b"<html>"])
def test_bad_file_is_one_line(tmp_path: Path, content_bytes: bytes) -> None:
    source = tmp_path / "broken.pptx"
    source.write_bytes(content_bytes)
    result = CliRunner().invoke(cli, ["import", str(source), "-o", str(tmp_path / "x.md")])
    assert result.exit_code == 1
    assert (
        result.output.strip().count("\n") == 0 and "broken.pptx: not a PowerPoint .pptx file" in result.output
    )


def test_title_from_first_slide_text_when_it_has_no_title(imported: Path) -> None:
    deck = (imported / "slides" / "ms-intro-git-github.md").read_text("utf-8")
    assert deck.startswith("---\ntitle: Introduction to Git & GitHub & Version Control")


def test_import_into_a_served_course_appears_in_the_preview(tmp_path: Path) -> None:
    import time
    import urllib.request

    from preview import previewing

    root = course(tmp_path)
    (root / "slides" / "intro.md").write_text("# Intro\n", "utf-8")
    chart_deck(tmp_path / "lecture.pptx")
    with previewing(root) as (session, server):
        import_pptx(tmp_path / "lecture.pptx", root / "slides" / "lecture.md")
        deadline = time.monotonic() + 10
        status = 0
        while time.monotonic() < deadline and status != 200:
            try:
                with urllib.request.urlopen(server.url + "lecture.html", timeout=5) as response:
                    status, body = response.status, response.read().decode("utf-8")
            except OSError:
                time.sleep(0.1)
        assert status == 200 and "A chart" in body and "| 2022" not in body
        with urllib.request.urlopen(server.url, timeout=5) as response:
            assert "lecture.html" in response.read().decode("utf-8")


def test_a_shape_that_fails_is_a_warning_not_a_lost_deck(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from deckbuild.powerpoint import tables

    def broken(*args: object) -> str:
        raise ValueError("odd table")

    monkeypatch.setattr(tables, "table", broken)
    root = course(tmp_path)
    content_deck(root / "lecture.pptx")
    result = import_pptx(root / "lecture.pptx", root / "slides" / "lecture.md")
    assert result.report.warnings == [
        'slide 3: shape "Table 2" could not be imported (ValueError: odd table); left out',
        'slide 3: shape "Table 3" could not be imported (ValueError: odd table); left out',
    ]
    assert "## Tables" in (root / "slides" / "lecture.md").read_text("utf-8")


def test_numbering_inherited_from_the_layout(tmp_path: Path) -> None:
    """A layout whose body placeholder numbers its first level: the slide's paragraphs say nothing, yet are numbered."""
    from lxml import etree
    from pptx import Presentation

    a = "http://schemas.openxmlformats.org/drawingml/2006/main"
    prs = Presentation()
    layout = prs.slide_layouts[1]
    body = next(s for s in layout.placeholders if s.placeholder_format.idx == 1)
    lst = body.text_frame._txBody.find(f"{{{a}}}lstStyle")
    lst.append(etree.fromstring(f'<a:lvl1pPr xmlns:a="{a}"><a:buAutoNum type="arabicPeriod"/></a:lvl1pPr>'))
    lst.append(etree.fromstring(f'<a:lvl2pPr xmlns:a="{a}"><a:buNone/></a:lvl2pPr>'))
    slide = prs.slides.add_slide(layout)
    slide.shapes.title.text = "Steps"
    frame = slide.placeholders[1].text_frame
    frame.text = "Collect data"
    for words, level in [("not numbered, level 2", 1), ("Train", 0), ("Evaluate", 0)]:
        paragraph = frame.add_paragraph()
        paragraph.text, paragraph.level = words, level
    root = course(tmp_path)
    prs.save(str(root / "steps.pptx"))
    import_pptx(root / "steps.pptx", root / "slides" / "steps.md")
    deck = (root / "slides" / "steps.md").read_text("utf-8")
    # as PowerPoint shows it: numbering goes on past the unnumbered paragraph below it
    assert "1. Collect data\n\nnot numbered, level 2\n\n2. Train\n3. Evaluate" in deck


def test_entrance_animations_become_fragments_and_picture_groups_one_figure(tmp_path: Path) -> None:
    from pptxmaker import animated_deck

    root = course(tmp_path)
    animated_deck(root / "builds.pptx")
    result = import_pptx(root / "builds.pptx", root / "slides" / "builds.md")
    assert result.report.warnings == []
    deck = (root / "slides" / "builds.md").read_text("utf-8")
    assert '<div class="fragment" data-fragment-index="1">\n\nAppears first\n\n</div>' in deck
    assert '<div class="fragment" data-fragment-index="2">\n\nAppears second\n\n</div>' in deck
    assert deck.count('<div class="pptx-figure"') == 1
    assert deck.count('class="fragment" data-fragment-index="1" style="position: absolute') == 2
    build(root, strict=True)
    section = leaf_sections(root / "_site" / "builds.html")[0]
    steps = [
        (e.tag, e.get("data-fragment-index")) for e in section.iter() if "fragment" in (e.get("class") or "")
    ]
    assert steps == [("div", "1"), ("img", "1"), ("img", "1"), ("div", "2")]
