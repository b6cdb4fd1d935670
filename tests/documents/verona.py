"""A verse play of our own in an inline layout: cues followed by a direction, and lines of verse."""

from __future__ import annotations

from fpdf import FPDF

from .makers import Element, _docx_bytes

TITLE = "Verona Nights"
# (name, direction, speech): verse lines end with "\n", prose wraps where the page ends
SPEECHES = [
    ("CHORUS", "", "Two households, both alike in dignity,\nIn fair Verona, where we lay our scene,\n"
                   "From ancient grudge break to new mutiny,\nWhere civil blood makes civil hands unclean."),
    ("ROMEO", "To Juliet", "If I profane with my unworthiest hand\nThis holy shrine, the gentle sin is this,\n"
                           "My lips, two blushing pilgrims, ready stand\n"
                           "To smooth that rough touch with a tender kiss."),
    ("JULIET", "", "Good pilgrim, you do wrong your hand too much,\nWhich mannerly devotion shows in this."),
    ("NURSE", "Calling from within", "Madam, your mother craves a word with you."),
    ("ROMEO", "", "What is her mother?"),
    ("NURSE", "", "Marry, bachelor, her mother is the lady of the house, and a good lady, and a wise and "
                  "virtuous. I nursed her daughter that you talked withal. I tell you, he that can lay hold of "
                  "her shall have the chinks."),
    ("TYBALT", "Angrily", "This, by his voice, should be a Montague.\nFetch me my rapier, boy."),
    ("JULIET", "Aside", "My only love sprung from my only hate!\nToo early seen unknown, and known too late!"),
]


def elements() -> list[Element]:
    """The play for makers.py's layouts (which print a cast page, so it opens with a scene)."""
    return [Element("scene", "Scene 5"), *(Element("dialogue", text, name, direction)
                                            for name, direction, text in SPEECHES)]


def inline_pdf(gap: float) -> bytes:
    """`NAME. [Direction.] speech` paragraphs, `gap` points apart (0: each straight after the last)."""
    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.set_font("Times", "B", 20)
    pdf.cell(0, 12, TITLE, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Times", "", 11)
    for name, direction, text in SPEECHES:
        pdf.ln(gap)
        said = f" [{direction}.]" if direction else ""
        pdf.multi_cell(0, 5.5, f"{name}.{said} {text}", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def inline_docx(bold_names: bool) -> bytes:
    """One paragraph a speech, verse lines as soft line breaks; the names bold or as plain text."""
    import docx

    d = docx.Document()
    d.add_paragraph(TITLE, style="Title")
    for name, direction, text in SPEECHES:
        p = d.add_paragraph()
        p.add_run(f"{name}.").bold = bold_names
        if direction:
            p.add_run(f" [{direction}.]").italic = True
        lines = text.split("\n")
        p.add_run(" " + lines[0])
        for line in lines[1:]:
            p.add_run().add_break()
            p.add_run(line)
    return _docx_bytes(d)
