"""Test decks written with python-pptx plus the XML PowerPoint writes that python-pptx cannot.

Equations go in as PowerPoint stores them: a text box holding `a14:m`
inside `mc:AlternateContent` (Requires="a14"), with a picture fallback.
"""

from __future__ import annotations

import copy
from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.enum.chart import XL_CHART_TYPE
from pptx.util import Emu, Inches, Pt

from deckbuild.powerpoint.xml import NS as XML_NS

FIXTURES = Path(__file__).parent / "fixtures"
NS = {k: v for k, v in XML_NS.items() if k in {"a", "p", "r", "m", "mc", "a14"}}
DECLS = " ".join(f'xmlns:{k}="{v}"' for k, v in NS.items())
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30"><rect width="40" height="30" fill="#c33"/></svg>'
# a 1x1 PNG
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201a2d5f7"
    "7c0000000049454e44ae426082"
)


def omml_cases() -> list[tuple[str, str, etree._Element]]:
    """(name, expected TeX, m:oMath) for every case of fixtures/omml/cases.xml."""
    root = etree.parse(str(FIXTURES / "omml" / "cases.xml")).getroot()
    out = []
    for case in root:
        if isinstance(case.tag, str):
            out.append((case.get("name", ""), case.get("tex", ""), case.find(f"{{{NS['m']}}}oMath")))
    return out


def equation_box(shape_id: int, y: int, paragraphs: list[str]) -> etree._Element:
    """A text box as PowerPoint writes one holding math: inside mc:AlternateContent."""
    body = "".join(f"<a:p>{p}</a:p>" for p in paragraphs)
    xml = f"""<mc:AlternateContent {DECLS}><mc:Choice Requires="a14"><p:sp>
      <p:nvSpPr><p:cNvPr id="{shape_id}" name="TextBox {shape_id}"/><p:cNvSpPr txBox="1"/><p:nvPr/></p:nvSpPr>
      <p:spPr><a:xfrm><a:off x="457200" y="{y}"/><a:ext cx="8000000" cy="400000"/></a:xfrm>
      <a:prstGeom prst="rect"><a:avLst/></a:prstGeom></p:spPr>
      <p:txBody><a:bodyPr wrap="square"><a:spAutoFit/></a:bodyPr><a:lstStyle/>{body}</p:txBody>
    </p:sp></mc:Choice><mc:Fallback><p:sp>
      <p:nvSpPr><p:cNvPr id="{shape_id}" name="TextBox {shape_id}"/><p:cNvSpPr txBox="1"/><p:nvPr/></p:nvSpPr>
      <p:spPr><a:xfrm><a:off x="457200" y="{y}"/><a:ext cx="8000000" cy="400000"/></a:xfrm></p:spPr>
      <p:txBody><a:bodyPr/><a:lstStyle/><a:p><a:r><a:rPr lang="en-US"/><a:t> </a:t></a:r></a:p></p:txBody>
    </p:sp></mc:Fallback></mc:AlternateContent>"""
    return etree.fromstring(xml)


def math_xml(omath: etree._Element, display: bool) -> str:
    inner = etree.tostring(copy.deepcopy(omath), encoding="unicode")
    if display:
        inner = f'<m:oMathPara xmlns:m="{NS["m"]}"><m:oMathParaPr><m:jc m:val="centerGroup"/></m:oMathParaPr>{inner}</m:oMathPara>'
    return f'<a14:m xmlns:a14="{NS["a14"]}">{inner}</a14:m>'


def run(text: str, attrs: str = "") -> str:
    return f'<a:r><a:rPr lang="en-US" {attrs} dirty="0"/><a:t>{text}</a:t></a:r>'


def equation_deck(path: Path) -> list[str]:
    """Every OMML case on a slide of its own (display), plus inline math in a sentence; returns the TeX."""
    prs = Presentation()
    expected = []
    for name, tex, omath in omml_cases():
        slide = prs.slides.add_slide(prs.slide_layouts[5])
        slide.shapes.title.text = name
        slide.shapes._spTree.append(equation_box(10, 1600000, [math_xml(omath, True)]))
        expected.append(tex)
    slide = prs.slides.add_slide(prs.slide_layouts[5])
    slide.shapes.title.text = "Inline math"
    cases = omml_cases()
    sentence = run("The model ") + math_xml(cases[0][2], False) + run(" fits 2 points; ")
    sentence += run("then ") + math_xml(cases[4][2], False) + run("2 more.")
    slide.shapes._spTree.append(equation_box(11, 1600000, [sentence]))
    expected += [cases[0][1], cases[4][1]]
    # the other way PowerPoint writes inline math: the run itself in mc:AlternateContent
    wrapped = (
        run("Wrapped: ")
        + f'<mc:AlternateContent {DECLS}><mc:Choice Requires="a14">{math_xml(cases[1][2], False)}</mc:Choice>'
        + f"<mc:Fallback>{run('dL/dw')}</mc:Fallback></mc:AlternateContent>"
        + run(" done.")
    )
    slide.shapes._spTree.append(equation_box(12, 2600000, [wrapped]))
    expected.append(cases[1][1])
    prs.save(str(path))
    return expected


def body_paragraphs(shape: object, paragraphs: list[tuple[int, str, str]]) -> None:
    """(level, pPr children XML, runs XML) paragraphs into a placeholder's text body."""
    body = shape.text_frame._txBody  # type: ignore[attr-defined]
    for p in body.findall(f"{{{NS['a']}}}p"):
        body.remove(p)
    for level, ppr, runs in paragraphs:
        body.append(etree.fromstring(f'<a:p {DECLS}><a:pPr lvl="{level}">{ppr}</a:pPr>{runs}</a:p>'))


def content_deck(path: Path) -> None:
    """Lists, runs, links, escapes, tables, two columns, a hidden slide, notes, pictures, a group."""
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[0])
    slide.shapes.title.text = "Deep Learning 101"
    slide.placeholders[1].text = "Week 1"

    slide = prs.slides.add_slide(prs.slide_layouts[1])
    slide.shapes.title.text = "Lists and runs"
    link = slide.part.relate_to(
        "https://example.org/docs",
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink",
        is_external=True,
    )
    body_paragraphs(
        slide.placeholders[1],
        [
            (1, "", run("First level (reported as level 1)")),
            (
                2,
                "",
                run("bold", 'b="1"')
                + run(" and ")
                + run("italic", 'i="1"')
                + run(" and ")
                + run("code()", "")
                .replace('dirty="0"/>', 'dirty="0"><a:latin typeface="Consolas"/></a:rPr>')
                .replace('<a:rPr lang="en-US"  dirty="0"><a:latin', '<a:rPr lang="en-US" dirty="0"><a:latin'),
            ),
            (
                2,
                "",
                f'<a:r><a:rPr lang="en-US"><a:hlinkClick r:id="{link}"/></a:rPr><a:t>the docs</a:t></a:r>',
            ),
            (1, '<a:buFont typeface="+mj-lt"/><a:buAutoNum type="arabicPeriod"/>', run("numbered one")),
            (1, '<a:buFont typeface="+mj-lt"/><a:buAutoNum type="arabicPeriod"/>', run("numbered two")),
            (1, "<a:buNone/>", run("PATH=$HOME/bin and &lt;your name&gt; and *stars* and 5 * 3")),
            (1, "<a:buNone/>", run("# not a heading")),
            (1, "<a:buNone/>", run("Note: not the notes")),
            (1, "<a:buNone/>", run("1. not a list")),
        ],
    )
    slide.notes_slide.notes_text_frame.text = "Say hello.\nThen explain lists."

    slide = prs.slides.add_slide(prs.slide_layouts[5])
    slide.shapes.title.text = "Tables"
    table = slide.shapes.add_table(3, 3, Inches(0.5), Inches(1.5), Inches(6), Inches(1.5)).table
    for r, row in enumerate([["Model", "Loss", "a|b"], ["CNN", "0.12", "x"], ["RNN", "0.30", "y"]]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    merged = slide.shapes.add_table(2, 3, Inches(0.5), Inches(4), Inches(6), Inches(1)).table
    merged.cell(0, 0).merge(merged.cell(0, 1))
    merged.cell(0, 0).text = "Spanning header"
    merged.cell(0, 2).text = "Other"
    for c, value in enumerate(["one", "two", "three"]):
        merged.cell(1, c).text = value

    slide = prs.slides.add_slide(prs.slide_layouts[3])
    slide.shapes.title.text = "Two columns"
    slide.placeholders[1].text = "Left side text"
    slide.placeholders[2].text = "Right side text"

    slide = prs.slides.add_slide(prs.slide_layouts[1])
    slide.shapes.title.text = "Hidden slide"
    slide.placeholders[1].text = "Secret content"
    slide.element.set("show", "0")

    slide = prs.slides.add_slide(prs.slide_layouts[5])
    slide.shapes.title.text = "Pictures and a group"
    picture = slide.shapes.add_picture(_png_file(path), Inches(0.5), Inches(1.5), width=Inches(2.5))
    picture._element.nvPicPr.cNvPr.set("descr", "A red square")
    _add_svg_blip(slide, picture)
    group = slide.shapes.add_group_shape()
    for i, word in enumerate(["Grouped one", "Grouped two"]):
        box = group.shapes.add_textbox(Inches(5), Inches(1.5 + i), Inches(3), Inches(0.5))
        box.text_frame.text = word
    prs.save(str(path))


def _png_file(near: Path) -> str:
    target = near.with_name("pixel.png")
    target.write_bytes(PNG)
    return str(target)


def _add_svg_blip(slide: object, picture: object) -> None:
    """Give a picture the SVG extension PowerPoint writes (`asvg:svgBlip`) beside its PNG."""
    from pptx.opc.package import Part
    from pptx.opc.packuri import PackURI

    part = Part(PackURI("/ppt/media/image99.svg"), "image/svg+xml", slide.part.package, SVG)  # type: ignore[attr-defined]
    rel = slide.part.relate_to(
        part, "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
    )  # type: ignore[attr-defined]
    blip = picture._element.blipFill.find(f"{{{NS['a']}}}blip")  # type: ignore[attr-defined]
    ext = etree.fromstring(
        f'<a:extLst {DECLS}><a:ext uri="{{96DAC541-7B7A-43D3-8B79-37D633B846F1}}">'
        f'<asvg:svgBlip xmlns:asvg="http://schemas.microsoft.com/office/drawing/2016/SVG/main" r:embed="{rel}"/></a:ext></a:extLst>'
    )
    blip.append(ext)


def chart_deck(path: Path) -> None:
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[5])
    slide.shapes.title.text = "A chart"
    data = CategoryChartData()
    data.categories = ["2022", "2023"]
    data.add_series("Accuracy", (0.81, 0.9))
    slide.shapes.add_chart(
        XL_CHART_TYPE.COLUMN_CLUSTERED, Emu(457200), Inches(1.5), Inches(6), Inches(4), data
    )
    prs.save(str(path))


__all__ = ["Pt", "chart_deck", "content_deck", "equation_deck"]


def metafile_deck(path: Path, metafiles: dict[str, bytes] | None = None) -> None:
    """A slide per metafile picture (EMF/WMF, as academic decks often have), by media name."""
    from pptx.opc.package import Part
    from pptx.opc.packuri import PackURI

    prs = Presentation()
    for name, data in (metafiles or {"image1.emf": b"\x01\x00\x00\x00 EMF bytes"}).items():
        slide = prs.slides.add_slide(prs.slide_layouts[5])
        slide.shapes.title.text = f"A figure ({name})"
        picture = slide.shapes.add_picture(_png_file(path), Inches(1), Inches(1.5), width=Inches(4))
        picture._element.nvPicPr.cNvPr.set("descr", "A diagram")
        kind = "image/x-emf" if name.endswith(".emf") else "image/x-wmf"
        part = Part(PackURI(f"/ppt/media/{name}"), kind, slide.part.package, data)
        rel = slide.part.relate_to(
            part, "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
        )
        blip = picture._element.blipFill.find(f"{{{NS['a']}}}blip")
        blip.set(f"{{{NS['r']}}}embed", rel)
    prs.save(str(path))


def effect(node_id: int, spid: int, kind: str) -> str:
    """One entrance effect ("appear") as PowerPoint writes it in p:timing."""
    return (
        f'<p:par><p:cTn id="{node_id}" presetID="1" presetClass="entr" presetSubtype="0" fill="hold" nodeType="{kind}">'
        '<p:stCondLst><p:cond delay="0"/></p:stCondLst><p:childTnLst><p:set><p:cBhvr>'
        f'<p:cTn id="{node_id + 1}" dur="1" fill="hold"><p:stCondLst><p:cond delay="0"/></p:stCondLst></p:cTn>'
        f'<p:tgtEl><p:spTgt spid="{spid}"/></p:tgtEl><p:attrNameLst><p:attrName>style.visibility</p:attrName>'
        '</p:attrNameLst></p:cBhvr><p:to><p:strVal val="visible"/></p:to></p:set></p:childTnLst></p:cTn></p:par>'
    )


def timing(clicks: list[list[tuple[int, str]]]) -> etree._Element:
    """p:timing with one click group per list of (shape id, nodeType)."""
    groups, node = [], 10
    for effects in clicks:
        inner = ""
        for spid, kind in effects:
            inner += effect(node, spid, kind)
            node += 2
        groups.append(
            f'<p:par><p:cTn id="{node}" fill="hold"><p:stCondLst><p:cond delay="indefinite"/></p:stCondLst>'
            f'<p:childTnLst><p:par><p:cTn id="{node + 1}" fill="hold"><p:stCondLst><p:cond delay="0"/></p:stCondLst>'
            f"<p:childTnLst>{inner}</p:childTnLst></p:cTn></p:par></p:childTnLst></p:cTn></p:par>"
        )
        node += 2
    xml = (
        f'<p:timing {DECLS}><p:tnLst><p:par><p:cTn id="1" dur="indefinite" restart="never" nodeType="tmRoot">'
        '<p:childTnLst><p:seq concurrent="1" nextAc="seek"><p:cTn id="2" dur="indefinite" nodeType="mainSeq">'
        f"<p:childTnLst>{''.join(groups)}</p:childTnLst></p:cTn></p:seq></p:childTnLst></p:cTn></p:par>"
        "</p:tnLst></p:timing>"
    )
    return etree.fromstring(xml)


def animated_deck(path: Path) -> None:
    """Click 1: a text box and (with it) a group of two pictures; click 2: another text box."""
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[5])
    slide.shapes.title.text = "Builds"
    first = slide.shapes.add_textbox(Inches(0.5), Inches(1.5), Inches(4), Inches(0.5))
    first.text_frame.text = "Appears first"
    group = slide.shapes.add_group_shape()
    group.shapes.add_picture(_png_file(path), Inches(5), Inches(1.5), width=Inches(4))
    group.shapes.add_picture(_png_file(path), Inches(6), Inches(2), width=Inches(1))
    second = slide.shapes.add_textbox(Inches(0.5), Inches(5), Inches(4), Inches(0.5))
    second.text_frame.text = "Appears second"
    slide.element.append(
        timing(
            [
                [(first.shape_id, "clickEffect"), (group.shape_id, "withEffect")],
                [(second.shape_id, "clickEffect")],
            ]
        )
    )
    prs.save(str(path))
