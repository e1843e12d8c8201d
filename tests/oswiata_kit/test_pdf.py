"""PDF fonts with the Polish letters, registered once for every app that draws a PDF (certificates, summaries)."""

from io import BytesIO

from oswiata_kit import pdf


def test_register_fonts_gives_reportlab_fonts_with_polish_letters():
    from reportlab.pdfbase import pdfmetrics

    pdf.register_fonts()
    pdf.register_fonts()  # twice is harmless
    for name in (pdf.REGULAR, pdf.BOLD):
        face = pdfmetrics.getFont(name).face
        assert all(ord(letter) in face.charToGlyph for letter in "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ")


def test_register_fonts_lets_a_pdf_embed_them():
    from reportlab.pdfgen import canvas

    pdf.register_fonts()
    buffer = BytesIO()
    drawing = canvas.Canvas(buffer)
    drawing.setFont(pdf.BOLD, 12)
    drawing.drawString(72, 720, "Zaświadczenie o ukończeniu kursu „Finanse oświaty w gminie”")
    drawing.save()
    assert b"DejaVuSans-Bold" in buffer.getvalue()


def test_pdf_fonts_ship_with_their_licence():
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "LICENSE-DejaVu.txt"):
        assert (pdf.FONT_DIR / name).is_file()
