"""Documents an engineer uploads, made by the tests: a two-page purchase order PDF with a text
layer, a scanned-looking PNG of a purchase order and an image-only PDF of it, an XLSX BOM, a cp1252
CSV, and a DOCX spec sheet with a table. Each module below states the strings that must come out."""

from __future__ import annotations

from pathlib import Path

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
BOLD_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"

PO_NUMBER = "PO-2024-0117"
VENDOR = "Acme Fasteners GmbH"
PO_LINES = [  # SKU, description, quantity, unit price, line total
    ("BLT-M8-30", "Hex bolt M8x30 zinc", "250", "0.42", "105.00"),
    ("NUT-M8", "Hex nut M8", "500", "0.08", "40.00"),
    ("WSH-M8", "Flat washer M8", "500", "0.03", "15.00"),
    ("BRG-6204-2RS", "Ball bearing 6204-2RS", "40", "3.15", "126.00"),
    ("SPR-CMP-12", "Compression spring 12 mm", "120", "0.55", "66.00"),
]
PO_TOTAL = "352.00"

SCAN_PO_NUMBER = "4500017823"  # digits: OCR cannot tell O from 0 in "PO-..." on a noisy scan
SCAN_LINES = [
    ("BLT-M8-30", "Hex bolt M8x30", "250", "0.42"),
    ("NUT-M8", "Hex nut M8", "500", "0.08"),
    ("BRG-6204", "Ball bearing", "40", "3.15"),
]

BOM_ROWS = [
    ("Item", "Part Number", "Description", "Qty", "Unit", "Unit Cost"),
    (1, "MTR-0750-3P", "Motor 0.75 kW 3-phase", 2, "ea", 189.5),
    (2, "BLT-M8-30", "Hex bolt M8x30", 48, "ea", 0.42),
    (3, "CBL-4G1.5", "Cable 4G1.5 mm²", 12.5, "m", 2.35),
]

CSV_ROWS = [
    ("Part", "Description", "Spec"),
    ("BRG-6204", "Ball bearing", "Tolerance ±5 µm"),
    ("HTR-220", "Cartridge heater", "Max 120 °C"),
]

DOCX_TITLE = "Spec sheet: conveyor drive"
DOCX_TABLE = [("Parameter", "Value"), ("Rated power", "0.75 kW"), ("Ambient", "-10 °C to 40 °C"), ("Belt speed", "0.5 m/s")]


def purchase_order_pdf(path: Path) -> Path:
    """Two pages: header and the first lines, then the remaining lines and the total."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.setTitle(f"Purchase order {PO_NUMBER}")
    pdf.setFont("Helvetica-Bold", 18)
    pdf.drawString(72, 780, "PURCHASE ORDER")
    pdf.setFont("Helvetica", 11)
    pdf.drawString(72, 750, f"PO Number: {PO_NUMBER}")
    pdf.drawString(72, 734, f"Vendor: {VENDOR}")
    pdf.drawString(72, 718, "Ship to: Plant 2, Dock 4")
    _po_rows(pdf, 680, PO_LINES[:3])
    pdf.drawString(72, 100, "Continued on page 2")
    pdf.showPage()
    pdf.setFont("Helvetica", 11)
    pdf.drawString(72, 780, f"PO Number: {PO_NUMBER} (page 2)")
    _po_rows(pdf, 750, PO_LINES[3:])
    pdf.drawString(72, 650, f"Order total: {PO_TOTAL} EUR")
    pdf.showPage()
    pdf.save()
    return path


def _po_rows(pdf, top: float, lines) -> None:
    columns = (72, 180, 350, 420, 500)
    for x, title in zip(columns, ("SKU", "Description", "Qty", "Unit price", "Total")):
        pdf.drawString(x, top, title)
    for row, line in enumerate(lines, start=1):
        for x, value in zip(columns, line):
            pdf.drawString(x, top - 18 * row, value)


def scanned_po_image(path: Path) -> Path:
    """A purchase order as a scanner sees it: grey noise and a slight tilt."""
    import numpy as np
    from PIL import Image, ImageDraw, ImageFont

    regular, bold = ImageFont.truetype(FONT, 30), ImageFont.truetype(BOLD_FONT, 40)
    image = Image.new("RGB", (1400, 800), "white")
    draw = ImageDraw.Draw(image)
    draw.text((80, 60), "PURCHASE ORDER", font=bold, fill="black")
    draw.text((80, 140), f"PO Number: {SCAN_PO_NUMBER}", font=regular, fill="black")
    draw.text((80, 190), "Vendor: Acme Fasteners GmbH", font=regular, fill="black")
    for row, line in enumerate([("SKU", "Description", "Qty", "Unit Price"), *SCAN_LINES]):
        for x, value in zip((80, 400, 860, 1060), line):
            draw.text((x, 300 + 70 * row), value, font=regular, fill="black")
    noise = np.random.default_rng(7).normal(0, 12, (800, 1400, 3))
    noisy = (np.asarray(image, dtype=np.float64) + noise).clip(0, 255).astype(np.uint8)
    Image.fromarray(noisy).rotate(0.4, fillcolor="white", resample=Image.Resampling.BICUBIC).save(path)
    return path


def image_only_pdf(image_path: Path, path: Path) -> Path:
    """The scan wrapped in a PDF, as a scanner saves it: one image per page, no text layer."""
    from PIL import Image

    with Image.open(image_path) as image:
        image.convert("RGB").save(path, resolution=200)
    return path


def bom_xlsx(path: Path) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "BOM"
    sheet.append([])  # a blank first row and column, as exported sheets often have
    for row in BOM_ROWS:
        sheet.append([None, *row])
    notes = book.create_sheet("Notes")
    notes.append(["Revision C, released 2024-03-18"])
    book.save(path)
    return path


def cp1252_csv(path: Path) -> Path:
    text = "\r\n".join(";".join(row) for row in CSV_ROWS) + "\r\n"
    path.write_bytes(text.encode("cp1252"))
    return path


def spec_docx(path: Path) -> Path:
    import docx

    document = docx.Document()
    document.add_heading(DOCX_TITLE, level=1)
    document.add_paragraph("The drive moves totes between stations 3 and 4.")
    document.add_paragraph("IP55 enclosure", style="List Bullet")
    table = document.add_table(rows=0, cols=2)
    for parameter, value in DOCX_TABLE:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = parameter, value
    document.add_paragraph("Approved by: J. Novak")
    document.save(path)
    return path
