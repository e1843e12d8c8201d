"""Certificates of completion (zaświadczenie o ukończeniu): verification codes and the PDF.

A code looks like `ZJST-7KQ4-M9XD-2HRW`: eleven random characters from an alphabet without 0/O/1/I and a check
character (Luhn mod 32), so a mistyped character is caught before the database is asked. The PDF is drawn with
ReportLab (pure Python) in DejaVu Sans, which has the Polish letters, with a QR code pointing at the public
verification page.
"""

import secrets
from io import BytesIO

from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from oswiata_kit.pdf import register_fonts
from oswiata_kit.urls import absolute_url

from .models import Certificate

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # 32 characters: no 0, O, 1, I
PREFIX = "ZJST"
RANDOM_LENGTH = 11


def check_character(payload: str) -> str:
    """Luhn mod N check character over ALPHABET (catches every single-character error and most swaps)."""
    n = len(ALPHABET)
    factor, total = 2, 0
    for char in reversed(payload):
        addend = factor * ALPHABET.index(char)
        factor = 1 if factor == 2 else 2
        total += addend // n + addend % n
    return ALPHABET[(n - total % n) % n]


def format_code(chars: str) -> str:
    return f"{PREFIX}-{chars[0:4]}-{chars[4:8]}-{chars[8:12]}"


def new_code() -> str:
    payload = "".join(secrets.choice(ALPHABET) for _i in range(RANDOM_LENGTH))
    return format_code(payload + check_character(payload))


def normalise_code(raw: str) -> str | None:
    """The canonical form of a typed code, or None when it cannot be a code (wrong length or characters)."""
    chars = "".join(ch for ch in (raw or "").upper() if ch.isalnum())
    if chars.startswith(PREFIX):
        chars = chars[len(PREFIX) :]
    if len(chars) != RANDOM_LENGTH + 1 or any(ch not in ALPHABET for ch in chars):
        return None
    return chars


class Verification:
    VALID = "valid"
    NOT_FOUND = "not_found"
    BAD_CHECK = "bad_check"
    MALFORMED = "malformed"


def verify_code(raw: str) -> tuple[str, Certificate | None]:
    chars = normalise_code(raw)
    if chars is None:
        return Verification.MALFORMED, None
    if check_character(chars[:-1]) != chars[-1]:
        return Verification.BAD_CHECK, None
    certificate = Certificate.objects.filter(code=format_code(chars)).first()
    if certificate is None:
        return Verification.NOT_FOUND, None
    return Verification.VALID, certificate


def verification_path(code: str) -> str:
    return reverse("learning:verify_code", kwargs={"code": code})


def verification_url(code: str) -> str:
    return absolute_url(verification_path(code))


# --- PDF ----------------------------------------------------------------------------------------------------


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines, current = [], ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if stringWidth(candidate, font, size) <= width or not current:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines


def certificate_pdf(certificate: Certificate, language: str = "pl") -> bytes:
    """The certificate as an A4 PDF (bytes), in Polish by default."""
    from reportlab.graphics import renderPDF
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen import canvas

    register_fonts()
    buffer = BytesIO()
    width, height = A4
    margin = 25 * mm
    text_width = width - 2 * margin
    with translation.override(language):
        title = _("Certificate of completion")
        pdf = canvas.Canvas(buffer, pagesize=A4, invariant=True)
        pdf.setTitle(f"{title} {certificate.code}")
        pdf.setAuthor(certificate.organiser)
        pdf.setLineWidth(1.5)
        pdf.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)

        y = height - 45 * mm
        pdf.setFont("DejaVuSans-Bold", 24)
        pdf.drawCentredString(width / 2, y, title.upper())
        y -= 18 * mm
        pdf.setFont("DejaVuSans", 12)
        pdf.drawCentredString(width / 2, y, _("This is to certify that"))
        y -= 12 * mm
        pdf.setFont("DejaVuSans-Bold", 20)
        pdf.drawCentredString(width / 2, y, certificate.person_name)
        y -= 12 * mm
        pdf.setFont("DejaVuSans", 12)
        pdf.drawCentredString(width / 2, y, _("has completed the e-learning course"))
        y -= 10 * mm
        pdf.setFont("DejaVuSans-Bold", 15)
        for line in _wrap(f"„{certificate.course_title}”", "DejaVuSans-Bold", 15, text_width):
            pdf.drawCentredString(width / 2, y, line)
            y -= 7 * mm
        y -= 3 * mm
        pdf.setFont("DejaVuSans", 12)
        hours = ngettext("%(hours)s hour", "%(hours)s hours", certificate.hours) % {"hours": certificate.hours}
        pdf.drawCentredString(width / 2, y, _("Duration: %(hours)s") % {"hours": hours})
        y -= 12 * mm
        if certificate.outcomes:
            pdf.setFont("DejaVuSans-Bold", 12)
            pdf.drawString(margin, y, _("Learning outcomes:"))
            y -= 7 * mm
            pdf.setFont("DejaVuSans", 10.5)
            lines = []
            for outcome in certificate.outcomes:
                wrapped = _wrap(outcome, "DejaVuSans", 10.5, text_width - 6 * mm)
                lines.extend((n == 0, line) for n, line in enumerate(wrapped))
            room = int((y - 95 * mm) // (5.5 * mm))  # the lower part of the page belongs to the date and the QR code
            if len(lines) > room:
                lines = [*lines[: max(room - 1, 0)], (False, "…")]
            for first, line in lines:
                if first:
                    pdf.drawString(margin, y, "•")
                pdf.drawString(margin + 6 * mm, y, line)
                y -= 5.5 * mm
        y = min(y - 6 * mm, 90 * mm)
        pdf.setFont("DejaVuSans", 11)
        date = formats.date_format(certificate.issued_at.astimezone(), "j E Y")
        pdf.drawString(margin, y, _("Date of completion: %(date)s") % {"date": date})
        y -= 6 * mm
        for n, line in enumerate(_wrap(certificate.organiser, "DejaVuSans", 11, text_width - 50 * mm)):
            label = _("Organiser: %(organiser)s") % {"organiser": line} if n == 0 else line
            pdf.drawString(margin, y, label)
            y -= 6 * mm

        url = verification_url(certificate.code)
        qr_size = 38 * mm
        widget = QrCodeWidget(url)
        x0, y0, x1, y1 = widget.getBounds()
        drawing = Drawing(qr_size, qr_size, transform=[qr_size / (x1 - x0), 0, 0, qr_size / (y1 - y0), 0, 0])
        drawing.add(widget)
        renderPDF.draw(drawing, pdf, width - margin - qr_size, 22 * mm)
        pdf.setFont("DejaVuSans", 9.5)
        pdf.drawString(margin, 40 * mm, _("Verification code: %(code)s") % {"code": certificate.code})
        pdf.drawString(margin, 34 * mm, _("Check this certificate at:"))
        pdf.setFont("DejaVuSans", 8)
        pdf.drawString(margin, 29 * mm, url)
        pdf.showPage()
        pdf.save()
    return buffer.getvalue()
