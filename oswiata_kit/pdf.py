"""Fonts for PDF documents in Polish (certificates, debate summaries), drawn with ReportLab.

ReportLab's own font (Vera) has no ą, ę, ń, ś, ź, ż, so PDFs use DejaVu Sans, shipped in `fonts/` with its licence
(see `fonts/README.md`). Call `register_fonts()` before drawing; then use the names `REGULAR` and `BOLD`.
"""

import functools
from pathlib import Path

FONT_DIR = Path(__file__).resolve().parent / "fonts"
REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"


@functools.cache
def register_fonts() -> None:
    """Register DejaVu Sans (regular and bold) with ReportLab, once per process."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont(REGULAR, str(FONT_DIR / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf")))
