"""Make PDF and Word scripts in the layouts schools hand out, from one play, for the tests.

The play is the sample play's parse plus one long speech (it runs over a page break), so a
test can compare what a document reader found with what the text parser found: the same
speakers, the same number of speeches, the same words in each speech.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from fpdf import FPDF

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "samples" / "the_lighthouse_keepers.md"
LONG = ("Every lamp we light is a promise to somebody we will never meet, and I mean to keep it tonight. " * 60).strip()
HEADER = "THE LIGHTHOUSE KEEPERS"


@dataclass
class Element:
    kind: str  # "dialogue", "direction" or "scene"
    text: str
    name: str = ""
    direction: str = ""


def sample_play() -> tuple[str, list[Element]]:
    from scripts_app.parsing import parse_script

    parsed = parse_script(SAMPLE.read_text(encoding="utf-8"))
    names = {c["id"]: c["name"] for c in parsed["characters"]}
    out: list[Element] = []
    for scene in parsed["scenes"]:
        out.append(Element("scene", scene["title"]))
        for el in scene["elements"]:
            if el["type"] == "dialogue":
                out.append(Element("dialogue", el["text"], names[el["character"]], el["direction"] or ""))
            else:
                out.append(Element("direction", el["text"]))
        if scene is parsed["scenes"][0]:
            out.append(Element("dialogue", LONG, "MAREN"))
    return parsed["title"], out


def speeches(play: list[Element]) -> list[tuple[str, str]]:
    return [(e.name, e.text) for e in play if e.kind == "dialogue"]


# -- PDF ------------------------------------------------------------------------------------------

class _Pdf(FPDF):
    header_text = ""
    footer_format = ""

    def header(self):
        if self.header_text and self.page_no() > 1:
            self.set_font("Times", "I", 9)
            self.set_y(10)
            self.cell(0, 5, self.header_text, align="R")
            self.set_y(25)

    def footer(self):
        if self.footer_format:
            self.set_y(-15)
            self.set_font("Times", "", 9)
            self.cell(0, 5, self.footer_format.format(n=self.page_no()), align="C")


def _title_page(pdf: _Pdf, title: str, cast: list[str]) -> None:
    pdf.add_page()
    pdf.set_font("Times", "B", 26)
    pdf.ln(40)
    pdf.cell(0, 12, title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Times", "", 14)
    pdf.cell(0, 10, "by A. Playwright", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(20)
    pdf.set_font("Times", "B", 12)
    pdf.cell(0, 8, "CHARACTERS", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Times", "", 11)
    for name in cast:
        pdf.cell(0, 7, name.title(), align="C", new_x="LMARGIN", new_y="NEXT")


def _cast(play: list[Element]) -> list[str]:
    return sorted({e.name for e in play if e.kind == "dialogue"})


def stage_pdf(title: str, play: list[Element], *, header: str = HEADER) -> bytes:
    """Centred bold names over indented dialogue, italic directions, header and page numbers."""
    pdf = _Pdf(format="letter")
    pdf.header_text, pdf.footer_format = header, "{n}"
    pdf.set_auto_page_break(True, margin=25)
    _title_page(pdf, title, _cast(play))
    pdf.add_page()
    for e in play:
        if e.kind == "scene":
            pdf.set_font("Times", "B", 13)
            pdf.ln(4)
            pdf.cell(0, 8, e.text, align="C", new_x="LMARGIN", new_y="NEXT")
        elif e.kind == "direction":
            pdf.set_font("Times", "I", 11)
            pdf.ln(3)
            pdf.multi_cell(0, 6, f"({e.text})", new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.ln(3)
            pdf.set_font("Times", "B", 11)
            pdf.cell(0, 6, e.name, align="C", new_x="LMARGIN", new_y="NEXT")
            if e.direction:
                pdf.set_font("Times", "I", 11)
                pdf.cell(0, 6, f"({e.direction})", align="C", new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("Times", "", 11)
            pdf.set_x(pdf.l_margin + 15)
            pdf.multi_cell(pdf.epw - 30, 6, e.text, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def left_names_pdf(title: str, play: list[Element]) -> bytes:
    """Names in bold Title Case at the margin, alone on their line, the speech below at the same margin."""
    pdf = _Pdf(format="A4")
    pdf.header_text, pdf.footer_format = title, "Page {n} of {{nb}}"
    pdf.alias_nb_pages("{nb}")
    pdf.set_auto_page_break(True, margin=25)
    pdf.add_page()
    pdf.set_font("Times", "B", 18)
    pdf.cell(0, 10, title, new_x="LMARGIN", new_y="NEXT")
    for e in play:
        pdf.ln(3)
        if e.kind == "scene":
            pdf.set_font("Times", "B", 14)
            pdf.cell(0, 8, e.text, new_x="LMARGIN", new_y="NEXT")
        elif e.kind == "direction":
            pdf.set_font("Times", "I", 11)
            pdf.multi_cell(0, 6, e.text, new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.set_font("Times", "B", 11)
            pdf.cell(0, 6, e.name.title(), new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("Times", "", 11)
            direction = f"({e.direction}) " if e.direction else ""
            pdf.multi_cell(0, 6, direction + e.text, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def screenplay_pdf(title: str, play: list[Element]) -> bytes:
    """Courier, names in capitals at 3.7 inches, dialogue at 2.5, action at the margin, nothing bold."""
    pdf = _Pdf(format="letter", unit="in")
    pdf.footer_format = "{n}."
    pdf.set_margins(1.5, 1, 1)
    pdf.set_auto_page_break(True, margin=1)
    pdf.add_page()
    pdf.set_font("Courier", "", 12)
    pdf.ln(3)
    pdf.cell(0, 1 / 6, title.upper(), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1 / 3)
    pdf.cell(0, 1 / 6, "Written by A. Playwright", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.add_page()
    for e in play:
        pdf.ln(1 / 6)
        if e.kind == "scene":
            pdf.multi_cell(0, 1 / 6, f"INT. LIGHTHOUSE - {e.text.upper()} - NIGHT", new_x="LMARGIN", new_y="NEXT")
        elif e.kind == "direction":
            pdf.multi_cell(0, 1 / 6, e.text, new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.set_x(3.7)
            pdf.cell(0, 1 / 6, e.name, new_x="LMARGIN", new_y="NEXT")
            if e.direction:
                pdf.set_x(3.1)
                pdf.multi_cell(2, 1 / 6, f"({e.direction})", new_x="LMARGIN", new_y="NEXT")
            pdf.set_x(2.5)
            pdf.multi_cell(3.5, 1 / 6, e.text, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _heading_or_direction(pdf: _Pdf, e: Element, font: str, size: int, *, indent: float, line: float,
                          brackets: str) -> bool:
    """A scene heading in bold capitals or an indented italic direction; False for a speech."""
    if e.kind == "scene":
        pdf.set_font(font, "B", size + 1 if size > 10 else 12)
        pdf.cell(0, 8, e.text.upper(), new_x="LMARGIN", new_y="NEXT")
    elif e.kind == "direction":
        pdf.set_font(font, "I", size)
        pdf.set_x(pdf.l_margin + indent)
        pdf.multi_cell(pdf.epw - indent, line, f"{brackets[0]}{e.text}{brackets[1]}", new_x="LMARGIN", new_y="NEXT")
    else:
        return False
    return True


def inline_pdf(title: str, play: list[Element]) -> bytes:
    """`NAME. speech` paragraphs with hanging indents, [directions] in italics, 'Page n' footers."""
    pdf = _Pdf(format="A4")
    pdf.header_text, pdf.footer_format = title.upper(), "Page {n}"
    pdf.set_auto_page_break(True, margin=25)
    _title_page(pdf, title, _cast(play))
    pdf.add_page()
    for e in play:
        pdf.ln(2)
        if not _heading_or_direction(pdf, e, "Times", 11, indent=20, line=5.5, brackets="[]"):
            pdf.set_font("Times", "", 11)
            direction = f" [{e.direction}]" if e.direction else ""
            pdf.multi_cell(0, 5.5, f"{e.name}.{direction} {e.text}", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def column_pdf(title: str, play: list[Element]) -> bytes:
    """Names in a left column, speeches beside them in a right column (a two-column script)."""
    pdf = _Pdf(format="A4")
    pdf.footer_format = "- {n} -"
    pdf.set_auto_page_break(True, margin=25)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 20)
    pdf.cell(0, 12, title, align="C", new_x="LMARGIN", new_y="NEXT")
    for e in play:
        pdf.ln(2)
        if not _heading_or_direction(pdf, e, "Helvetica", 10, indent=45, line=5, brackets="()"):
            pdf.set_font("Helvetica", "", 10)
            if pdf.will_page_break(10):
                pdf.add_page()  # keep the name beside the first line of its speech
            y = pdf.get_y()
            pdf.cell(40, 5, e.name)
            pdf.set_xy(pdf.l_margin + 45, y)
            direction = f"({e.direction}) " if e.direction else ""
            pdf.multi_cell(pdf.epw - 45, 5, direction + e.text, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


# -- Word ------------------------------------------------------------------------------------------

def _docx_bytes(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def styled_docx(title: str, play: list[Element]) -> bytes:
    """Stage layout through Word styles only: a bold, centred 'Character' style over 'Dialogue'."""
    import docx
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    d = docx.Document()
    character = d.styles.add_style("Character", WD_STYLE_TYPE.PARAGRAPH)
    character.font.bold = True
    character.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    direction = d.styles.add_style("Stage Direction", WD_STYLE_TYPE.PARAGRAPH)
    direction.font.italic = True
    d.styles.add_style("Dialogue", WD_STYLE_TYPE.PARAGRAPH)
    d.add_paragraph(title, style="Title")
    d.add_paragraph("by A. Playwright")
    d.add_heading("Cast of Characters", level=2)
    for name in _cast(play):
        d.add_paragraph(name.title())
    for e in play:
        if e.kind == "scene":
            d.add_heading(e.text, level=1)
        elif e.kind == "direction":
            d.add_paragraph(f"({e.text})", style="Stage Direction")
        else:
            d.add_paragraph(e.name, style="Character")
            if e.direction:
                d.add_paragraph(f"({e.direction})", style="Stage Direction")
            p = d.add_paragraph(style="Dialogue")
            words = e.text.split(" ")
            half = len(words) // 2
            p.add_run(" ".join(words[:half]))
            if half:
                p.add_run().add_break()  # a soft line break inside the speech
            p.add_run(" ".join(words[half:]))
    section = d.sections[0]
    section.header.paragraphs[0].text = HEADER
    section.footer.paragraphs[0].text = "Page 1"
    return _docx_bytes(d)


def cue_style_docx(title: str, play: list[Element]) -> bytes:
    """Inline layout with the name in a bold character style ('Speaker'), not direct bold."""
    import docx
    from docx.enum.style import WD_STYLE_TYPE

    d = docx.Document()
    speaker = d.styles.add_style("Speaker", WD_STYLE_TYPE.CHARACTER)
    speaker.font.bold = True
    d.add_paragraph(title, style="Title")
    d.add_paragraph("Characters: " + ", ".join(n.title() for n in _cast(play)))
    for e in play:
        if e.kind == "scene":
            d.add_heading(e.text, level=2)
        elif e.kind == "direction":
            d.add_paragraph().add_run(e.text).italic = True
        else:
            p = d.add_paragraph()
            p.add_run(e.name.title() + ".", style="Speaker")
            if e.direction:
                p.add_run(f" [{e.direction}]").italic = True
            p.add_run("  " + e.text)
    return _docx_bytes(d)


def table_docx(title: str, play: list[Element]) -> bytes:
    """A two-column table: the name in the left cell, the speech in the right."""
    import docx

    d = docx.Document()
    d.add_heading(title, level=0)
    table = None
    for e in play:
        if e.kind == "dialogue":
            if table is None:
                table = d.add_table(rows=0, cols=2)
            row = table.add_row().cells
            row[0].text = e.name
            row[1].text = (f"({e.direction}) " if e.direction else "") + e.text
            continue
        table = None
        if e.kind == "scene":
            d.add_heading(e.text, level=1)
        else:
            d.add_paragraph().add_run(f"({e.text})").italic = True
    return _docx_bytes(d)


def final_draft(title: str, play: list[Element]) -> bytes:
    """A Final Draft (.fdx) screenplay: every paragraph typed as what it is."""
    from xml.sax.saxutils import escape

    def para(kind: str, text: str) -> str:
        return f'<Paragraph Type="{kind}"><Text>{escape(text)}</Text></Paragraph>'

    body = []
    for e in play:
        if e.kind == "scene":
            body.append(para("Scene Heading", f"INT. LIGHTHOUSE - {e.text.upper()}"))
        elif e.kind == "direction":
            body.append(para("Action", e.text))
        else:
            body.append(para("Character", e.name + (" (CONT'D)" if e.text == LONG else "")))
            if e.direction:
                body.append(para("Parenthetical", f"({e.direction})"))
            body.append(para("Dialogue", e.text))
    return ('<?xml version="1.0" encoding="UTF-8" standalone="no" ?>\n'
            '<FinalDraft DocumentType="Script" Template="No" Version="5"><Content>' + "".join(body) +
            f'</Content><TitlePage><Content>{para("Title", title)}{para("Title", "Written by A. Playwright")}'
            "</Content></TitlePage></FinalDraft>").encode("utf-8")


def open_document(title: str, play: list[Element]) -> bytes:
    """An OpenDocument text (.odt): a bold span names the speaker, a named italic style for directions."""
    import zipfile
    from xml.sax.saxutils import escape

    ns = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
          'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" office:version="1.3"')
    styles = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-styles {ns}><office:styles>'
              '<style:style style:name="Standard" style:family="paragraph"/>'
              '<style:style style:name="Title" style:family="paragraph" style:parent-style-name="Standard">'
              '<style:text-properties fo:font-weight="bold"/></style:style>'
              '<style:style style:name="Stage_20_Direction" style:display-name="Stage Direction" '
              'style:family="paragraph" style:parent-style-name="Standard">'
              '<style:text-properties fo:font-style="italic"/></style:style>'
              "</office:styles></office:document-styles>")
    body = [f'<text:p text:style-name="Title">{escape(title)}</text:p>',
            "<text:p>Characters: " + escape(", ".join(n.title() for n in _cast(play))) + "</text:p>"]
    for e in play:
        if e.kind == "scene":
            body.append(f'<text:h text:outline-level="2">{escape(e.text)}</text:h>')
        elif e.kind == "direction":
            body.append(f'<text:p text:style-name="P2">{escape(e.text)}</text:p>')
        else:
            direction = f' <text:span text:style-name="T2">[{escape(e.direction)}]</text:span>' if e.direction else ""
            first, _, rest = e.text.partition(" ")
            body.append(f'<text:p><text:span text:style-name="T1">{escape(e.name.title())}.</text:span>{direction}'
                        f'<text:s text:c="2"/>{escape(first)}<text:line-break/>{escape(rest)}</text:p>')
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns}><office:automatic-styles>'
               '<style:style style:name="P2" style:family="paragraph" style:parent-style-name="Stage_20_Direction"/>'
               '<style:style style:name="T1" style:family="text"><style:text-properties fo:font-weight="bold"/>'
               '</style:style><style:style style:name="T2" style:family="text">'
               '<style:text-properties fo:font-style="italic"/></style:style></office:automatic-styles>'
               "<office:body><office:text>" + "".join(body) + "</office:text></office:body></office:document-content>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", content)
        z.writestr("styles.xml", styles)
    return out.getvalue()


PDF_LAYOUTS = {"stage": stage_pdf, "left_names": left_names_pdf, "screenplay": screenplay_pdf, "inline": inline_pdf,
               "columns": column_pdf}
DOCX_LAYOUTS = {"styles": styled_docx, "cue_style": cue_style_docx, "table": table_docx}
FDX_LAYOUTS = {"final_draft": final_draft}
ODT_LAYOUTS = {"open_document": open_document}
