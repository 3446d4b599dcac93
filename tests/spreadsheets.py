"""Spreadsheets as shops export them, made here for the dataset tests and benchmarks/data.py: BOMs,
purchase-order exports, inspection plans, torque logs, stock lists, in English, French and
German conventions (decimal commas, "1.234,50", day-first dates, cp1252), with the awkward headers
of real files (a title merged across the top, "Customer: ACME" lines above the header, a row of
units under it, a heading merged over sub-columns, a total row at the end).

CORPUS lists each file with the type and unit every column must get (the unit as
jfdi/documents/units.py writes it). `raw_xlsx` writes a sheet's XML directly, for files too large
or too odd for openpyxl to write quickly (a million rows, a cell at XFD1048576)."""

from __future__ import annotations

import csv
import io
import random
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Callable, Iterable, Sequence

Row = Sequence[object]


@dataclass(frozen=True)
class Case:
    file: str
    build: Callable[[Path], Path]
    # dataset name -> [(column name, type, unit)], every column in order
    expected: dict[str, list[tuple[str, str, str | None]]]


# --- writers -----------------------------------------------------------------------------------


def write_xlsx(path: Path, sheets: dict[str, list[Row]], merges: dict[str, list[str]] | None = None,
               number_formats: dict[str, dict[str, str]] | None = None) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
        for cells in (merges or {}).get(title, []):
            sheet.merge_cells(cells)
        for column, number_format in (number_formats or {}).get(title, {}).items():
            for cell in sheet[column][1:]:
                cell.number_format = number_format
    book.save(path)
    return path


def write_csv(path: Path, rows: list[Row], delimiter: str = ",", encoding: str = "utf-8", bom: bool = False) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter,
               lineterminator="\r\n").writerows(["" if v is None else v for v in row] for row in rows)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + buffer.getvalue().encode(encoding))
    return path


_OOXML = "http://schemas.openxmlformats.org"
_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_RELATIONSHIP = f"{_OOXML}/officeDocument/2006/relationships"
_XML = '<?xml version="1.0" encoding="UTF-8"?>'
_CONTENT_TYPES = (
    f'{_XML}<Types xmlns="{_OOXML}/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{_TYPE}.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_TYPE}.worksheet+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    f'{_XML}<Relationships xmlns="{_OOXML}/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_RELATIONSHIP}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    f'{_XML}<workbook xmlns="{_OOXML}/spreadsheetml/2006/main" xmlns:r="{_RELATIONSHIP}"><sheets>'
    '<sheet name="{title}" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    f'{_XML}<Relationships xmlns="{_OOXML}/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_RELATIONSHIP}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)


def raw_xlsx(path: Path, rows_xml: Iterable[str], title: str = "Sheet1") -> Path:
    """An XLSX of one sheet whose <sheetData> is `rows_xml` (strings of <row> elements)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK.format(title=title))
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(f'{_XML}<worksheet xmlns="{_OOXML}/spreadsheetml/2006/main"><sheetData>'.encode())
            batch = []
            for row in rows_xml:
                batch.append(row)
                if len(batch) == 5000:
                    sheet.write("".join(batch).encode())
                    batch = []
            sheet.write(("".join(batch) + "</sheetData></worksheet>").encode())
    return path


def column_letter(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def xml_row(number: int, values: Sequence[object]) -> str:
    cells = []
    for c, value in enumerate(values, start=1):
        ref = f"{column_letter(c)}{number}"
        if isinstance(value, str):
            cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>')
        elif value is not None:
            cells.append(f'<c r="{ref}"><v>{value}</v></c>')
    return f'<row r="{number}">{"".join(cells)}</row>'


# --- the corpus --------------------------------------------------------------------------------

_rng = random.Random(15)
MATERIALS = ["S235JR", "1.4301", "AlMg3", "C45", "PA6"]
DESCRIPTIONS = ["Hex bolt M8x30 zinc", "Flat washer M8", "Bearing housing", "Drive shaft", "Cover plate", "Spacer sleeve",
                "Motor bracket", "Chain guard", "Tension roller", "Base frame"]
DE_DESCRIPTIONS = ["Sechskantschraube M8x30", "Scheibe M8", "Lagergehäuse", "Antriebswelle", "Deckel", "Distanzhülse",
                   "Motorkonsole", "Kettenschutz", "Spannrolle", "Grundrahmen"]
FR_DESCRIPTIONS = ["Vis H M8x30 zinguée", "Rondelle plate M8", "Palier", "Arbre d'entraînement", "Couvercle", "Entretoise",
                   "Support moteur", "Carter de chaîne", "Galet tendeur", "Châssis"]


def _de(value: float, decimals: int = 2) -> str:
    """1234.5 -> "1.234,50", as a German export writes it."""
    return f"{value:,.{decimals}f}".replace(",", "_").replace(".", ",").replace("_", ".")


def _fr(value: float, decimals: int = 2, space: str = "\u00a0") -> str:
    """1234.5 -> "1 234,50", as a French export writes it (a no-break space between thousands; a
    narrow one in newer versions of Excel, which cp1252 cannot hold)."""
    return f"{value:,.{decimals}f}".replace(",", space).replace(".", ",")


def _day(n: int) -> date:
    return date(2024, 3, 1) + timedelta(days=n)


def en_bom(path: Path) -> Path:
    rows: list[Row] = [
        ["Bill of Materials — Conveyor Drive CD-200, Rev C"] + [None] * 8,
        ["Prepared by:", "J. Novak", None, "Date:", "2024-03-18"] + [None] * 4,
        [None] * 9,
        ["Item", "Part Number", "Description", "Qty (pcs)", "Material", "Length [mm]", "Weight (kg)", "Unit Cost ($)",
         "Make/Buy"],
    ]
    for i in range(1, 31):
        rows.append([i, f"CD-{1000 + i * 7}-{_rng.choice('ABC')}",
                     f"{_rng.choice(DESCRIPTIONS)}, {_rng.randint(20, 400)} long", _rng.randint(1, 48),
                     _rng.choice(MATERIALS), round(_rng.uniform(5, 900), 1), round(_rng.uniform(0.01, 25), 3),
                     round(_rng.uniform(0.05, 450), 2), _rng.choice(["Make", "Buy"])])
    rows.append(["Total", None, None, None, None, None, None, 5234.55, None])
    return write_xlsx(path, {"BOM": rows}, {"BOM": ["A1:I1"]})


def de_stueckliste(path: Path) -> Path:
    rows: list[Row] = [["Pos.", "Sachnummer", "Benennung", "Menge [Stk]", "Werkstoff", "Länge [mm]", "Gewicht/kg", "Preis (€)",
                        "Liefertermin"]]
    for i in range(1, 41):
        rows.append([i * 10, f"4711-{200 + i:04d}", _rng.choice(DE_DESCRIPTIONS), _rng.randint(1, 200), _rng.choice(MATERIALS),
                     _de(_rng.uniform(5, 1200), 1), _de(_rng.uniform(0.01, 40), 3), _de(_rng.uniform(0.5, 2500)),
                     _day(_rng.randint(0, 90)).strftime("%d.%m.%Y")])
    return write_csv(path, rows, ";", "cp1252")


def fr_nomenclature(path: Path) -> Path:
    rows: list[Row] = [["Repère", "Référence", "Désignation", "Qté (pcs)", "Matière", "Ø (mm)", "Masse (kg)", "Prix unitaire (€)",
                        "Date de livraison"]]
    for i in range(1, 36):
        rows.append([i, f"PF-{30000 + i * 13}", _rng.choice(FR_DESCRIPTIONS), _rng.randint(1, 500), _rng.choice(MATERIALS),
                     _fr(_rng.uniform(2, 80), 1), _fr(_rng.uniform(0.005, 12), 3), _fr(_rng.uniform(0.2, 3000)),
                     _day(_rng.randint(0, 90)).strftime("%d/%m/%Y")])
    return write_csv(path, rows, ";", "cp1252")


def en_po_export(path: Path) -> Path:
    rows: list[Row] = [["PO Number", "Line", "Vendor", "Part No", "Description", "Qty Ordered", "UOM", "Unit Price (USD)",
                        "Extended Price", "Order Date", "Due Date", "Status"]]
    for i in range(60):
        po = 4500017800 + i // 6
        qty, price = _rng.randint(1, 5000), round(_rng.uniform(0.05, 900), 2)
        vendor = _rng.choice(["Acme Fasteners", "Nordic Bearings", "Delta Motion"])
        rows.append([po, i % 6 + 1, vendor, f"BLT-M{_rng.choice([6, 8, 10])}-{i:03d}", _rng.choice(DESCRIPTIONS), f"{qty:,}",
                     _rng.choice(["EA", "BX", "M"]), f"{price:,.2f}", f"{qty * price:,.2f}", _day(i // 6).isoformat(),
                     _day(i // 6 + 30).strftime("%m/%d/%Y"), _rng.choice(["Open", "Closed", "Partial"])])
    return write_csv(path, rows)


def de_bestellung(path: Path) -> Path:
    rows: list[Row] = [[None] * 10, ["Bestellübersicht Werk 1000"] + [None] * 9, [None] * 10,
                       ["Bestellnr.", "Pos", "Material", "Kurztext", "Bestellmenge", "ME", "Nettopreis", "Währung",
                        "Lieferdatum", "Werk"]]
    for i in range(45):
        rows.append([4500020000 + i // 3, (i % 3 + 1) * 10, f"MAT-{100200 + i}", _rng.choice(DE_DESCRIPTIONS),
                     _rng.randint(1, 900),
                     _rng.choice(["ST", "KG", "M"]), round(_rng.uniform(0.1, 900), 2), "EUR", 45352 + _rng.randint(0, 60),
                     _rng.choice(["1000", "1100"])])
    return write_xlsx(path, {"Bestellungen": rows})


def en_inspection_plan(path: Path) -> Path:
    rows: list[Row] = [["Char. No", "Characteristic", "Nominal", "Upper Tol", "Lower Tol", "Measured", "Gauge", "Result",
                        "Inspector",
                        "Inspected At"],
                       [None, None, "mm", "mm", "mm", "mm", None, None, None, None]]
    for i in range(1, 41):
        nominal = round(_rng.uniform(5, 120), 2)
        rows.append([i, _rng.choice(["Bore Ø", "Length", "Width", "Flatness", "Thread depth"]), nominal, 0.05, -0.05,
                     round(nominal + _rng.uniform(-0.08, 0.08), 3), _rng.choice(["Caliper", "CMM", "Micrometer", "Bore gauge"]),
                     _rng.choice(["OK", "OK", "OK", "NOK"]), _rng.choice(["JN", "AM", "KL"]),
                     datetime(2024, 3, 18, 7, 0) + timedelta(minutes=17 * i)])
    return write_xlsx(path, {"Inspection": rows})


def de_pruefplan(path: Path) -> Path:
    rows: list[Row] = [["Merkmal-Nr.", "Merkmal", "Sollwert [mm]", "OGW [mm]", "UGW [mm]", "Istwert [mm]", "Prüfmittel",
                        "i.O.", "Prüfer",
                        "Prüfdatum"]]
    for i in range(1, 31):
        nominal = round(_rng.uniform(5, 120), 2)
        rows.append([i, _rng.choice(["Bohrung Ø", "Länge", "Breite", "Ebenheit"]), _de(nominal), _de(nominal + 0.05),
                     _de(nominal - 0.05), _de(nominal + _rng.uniform(-0.08, 0.08), 3),
                     _rng.choice(["Messschieber", "KMG", "Bügelmessschraube"]),
                     _rng.choice(["ja", "ja", "nein"]), _rng.choice(["Müller", "Schäfer", "Öztürk"]),
                     _day(_rng.randint(0, 20)).strftime("%d.%m.%Y")])
    return write_csv(path, rows, ";", "utf-8", bom=True)


def fr_plan_controle(path: Path) -> Path:
    rows: list[Row] = [["Cote", "Cote (mm)", None, None, "Mesure (mm)", "Conforme", "Température °C", "Couple (N·m)"],
                       [None, "Nominale", "Tol. sup.", "Tol. inf.", None, None, None, None]]
    for i in range(1, 26):
        nominal = round(_rng.uniform(5, 120), 2)
        rows.append([f"C{i}", nominal, 0.1, -0.1, round(nominal + _rng.uniform(-0.15, 0.15), 3),
                     _rng.choice(["oui", "oui", "non"]),
                     round(_rng.uniform(18, 24), 1), round(_rng.uniform(20, 60), 1)])
    return write_xlsx(path, {"Plan de contrôle": rows}, {"Plan de contrôle": ["B1:D1"]})


def en_torque_log(path: Path) -> Path:
    rows: list[Row] = [["Station", "Bolt ID", "Torque Nm", "Target Torque (lbf·ft)", "Temp °C", "Pass", "Timestamp", "Operator"]]
    for i in range(80):
        rows.append([_rng.choice(["ST-10", "ST-20", "ST-30"]), f"B{i:05d}", round(_rng.uniform(20, 30), 2), 18.5,
                     round(_rng.uniform(-5, 35), 1), _rng.choice(["TRUE", "TRUE", "FALSE"]),
                     (datetime(2024, 3, 18, 6, 0) + timedelta(seconds=45 * i)).isoformat(sep=" "),
                     _rng.choice(["Ana", "Bo", "Cy"])])
    return write_csv(path, rows, "\t")


def en_tooling(path: Path) -> Path:
    rows: list[Row] = [["Tool No", "Description", "Diameter", "Length in", "Flutes", "Coating", "Max RPM", "Last Sharpened",
                        "Active"]]
    for i in range(30):
        rows.append([f"T{100 + i}", _rng.choice(["End mill", "Drill", "Reamer", "Tap"]),
                     f"{_rng.choice([0.125, 0.25, 0.375, 0.5]):.3f} in",
                     f"{_rng.uniform(1, 6):.2f}", _rng.choice([2, 3, 4]), _rng.choice(["TiN", "TiAlN", "None"]),
                     _rng.choice([6000, 8000, 12000]),
                     _day(-_rng.randint(0, 200)).strftime("%b %d, %Y"), _rng.choice(["yes", "no"])])
    return write_csv(path, rows)


def de_lager(path: Path) -> Path:
    rows: list[Row] = [["Artikelnummer", "Bezeichnung", "Lagerort", "Bestand (Stk)", "Mindestbestand", "Einheit", "Wert €",
                        "Letzte Inventur",
                        "Gesperrt"]]
    for i in range(40):
        rows.append([f"A-{55000 + i * 3}", _rng.choice(DE_DESCRIPTIONS), _rng.choice(["R01-A", "R01-B", "R02-A"]),
                     _rng.randint(0, 900),
                     _rng.choice([10, 20, 50]), _rng.choice(["Stk", "m", "kg"]), round(_rng.uniform(1, 9000), 2),
                     datetime.combine(_day(-_rng.randint(0, 300)), datetime.min.time()), _rng.choice(["x", None, None, None])])
    return write_xlsx(path, {"Lager": rows})


def en_pressure_test(path: Path) -> Path:
    rows: list[Row] = [["Serial No", "Test Pressure (psi)", "Hold Time (min)", "Leak Rate [mL/min]", "Ambient Temp (°F)",
                        "Result", "Date"]]
    for i in range(50):
        rows.append([f"SN{2403000 + i}", _rng.choice([150, 300, 600]), _rng.choice([5, 10, 15]), round(_rng.uniform(0, 2.5), 2),
                     _rng.randint(60, 85), _rng.choice(["Pass", "Pass", "Fail"]), _day(i // 10).strftime("%m/%d/%Y")])
    return write_csv(path, rows)


def fr_stock(path: Path) -> Path:
    rows: list[Row] = [["Code article", "Libellé", "Emplacement", "Quantité en stock (pcs)", "Poids unitaire (g)", "Valeur (€)",
                        "Dernier mouvement"]]
    for i in range(40):
        rows.append([f"ART{7000 + i}", _rng.choice(FR_DESCRIPTIONS), _rng.choice(["A1", "A2", "B1"]), _rng.randint(0, 2000),
                     _fr(_rng.uniform(1, 900), 1), _fr(_rng.uniform(1, 20000), space="\u202f"),
                     _day(-_rng.randint(0, 60)).strftime("%d/%m/%Y")])
    return write_csv(path, rows, ",", "utf-8")


def en_oee(path: Path) -> Path:
    rows: list[Row] = [["Machine", "Shift", "Date", "Planned Time (min)", "Run Time (min)", "Ideal Cycle Time (s)",
                        "Total Count (pcs)",
                        "Good Count (pcs)", "OEE %"]]
    for i in range(42):
        planned = 480
        run = _rng.randint(300, 470)
        total = _rng.randint(800, 1400)
        rows.append([_rng.choice(["CNC-01", "CNC-02", "PRESS-1"]), _rng.choice(["A", "B", "C"]), _day(i // 3), planned, run, 12.5,
                     total, total - _rng.randint(0, 40), f"{_rng.uniform(55, 92):.1f}%"])
    return write_xlsx(path, {"OEE": rows}, number_formats={"OEE": {"C": "yyyy-mm-dd"}})


def en_hydraulics(path: Path) -> Path:
    rows: list[Row] = [["Unit", "System Pressure [bar]", "Relief Setting (MPa)", "Flow (L/min)", "Tank (gal)",
                        "Cylinder Force (kN)",
                        "Oil Temp (°C)", "Serviced"]]
    for i in range(30):
        rows.append([f"HPU-{i + 1:02d}", _rng.choice([160, 210, 250]), round(_rng.uniform(15, 28), 1),
                     round(_rng.uniform(20, 120), 1),
                     _rng.choice([10, 20, 40]), round(_rng.uniform(5, 200), 1), _rng.randint(35, 65),
                     _day(-_rng.randint(0, 365))])
    return write_xlsx(path, {"Power units": rows})


def years_header(path: Path) -> Path:
    rows: list[Row] = [["Part", "2021", "2022", "2023", "2024"]]
    for i in range(20):
        rows.append([f"P-{100 + i}", *(_rng.randint(100, 900) for _ in range(4))])
    return write_csv(path, rows)


def no_header(path: Path) -> Path:
    rows = [[round(_rng.uniform(24.9, 25.1), 3), round(_rng.uniform(9.95, 10.05), 3),
             round(_rng.uniform(4.9, 5.1), 3)] for _ in range(30)]
    return write_csv(path, rows)


def es_piezas(path: Path) -> Path:
    rows: list[Row] = [["Pieza", "Descripción", "Año", "Cantidad (pcs)", "Peso (kg)", "Precio (€)", "Fecha de entrega"]]
    for i in range(25):
        rows.append([f"ES-{400 + i}", _rng.choice(["Tornillo M8", "Arandela", "Eje", "Tapa"]), _rng.choice([2022, 2023, 2024]),
                     _rng.randint(1, 300), _de(_rng.uniform(0.01, 30), 3), _de(_rng.uniform(0.5, 900)),
                     _day(_rng.randint(0, 60)).strftime("%d/%m/%Y")])
    return write_csv(path, rows, ";", "cp1252")


def _types(*columns: tuple[str, str, str | None]) -> list[tuple[str, str, str | None]]:
    return list(columns)


CORPUS = [
    Case("en_bom.xlsx", en_bom, {"BOM": _types(
        ("Item", "integer", None), ("Part Number", "id", None), ("Description", "text", None), ("Qty (pcs)", "integer", "pcs"),
        ("Material", "enum", None), ("Length [mm]", "number", "mm"), ("Weight (kg)", "number", "kg"),
        ("Unit Cost ($)", "number", "USD"), ("Make/Buy", "enum", None))}),
    Case("de_stueckliste.csv", de_stueckliste, {"de_stueckliste": _types(
        ("Pos.", "integer", None), ("Sachnummer", "id", None), ("Benennung", "enum", None), ("Menge [Stk]", "integer", "pcs"),
        ("Werkstoff", "enum", None), ("Länge [mm]", "number", "mm"), ("Gewicht/kg", "number", "kg"),
        ("Preis (€)", "number", "EUR"),
        ("Liefertermin", "date", None))}),
    Case("fr_nomenclature.csv", fr_nomenclature, {"fr_nomenclature": _types(
        ("Repère", "integer", None), ("Référence", "id", None), ("Désignation", "enum", None), ("Qté (pcs)", "integer", "pcs"),
        ("Matière", "enum", None), ("Ø (mm)", "number", "mm"), ("Masse (kg)", "number", "kg"),
        ("Prix unitaire (€)", "number", "EUR"),
        ("Date de livraison", "date", None))}),
    Case("en_po_export.csv", en_po_export, {"en_po_export": _types(
        ("PO Number", "id", None), ("Line", "integer", None), ("Vendor", "enum", None), ("Part No", "id", None),
        ("Description", "enum", None), ("Qty Ordered", "integer", None), ("UOM", "enum", None),
        ("Unit Price (USD)", "number", "USD"),
        ("Extended Price", "number", None), ("Order Date", "date", None), ("Due Date", "date", None), ("Status", "enum", None))}),
    Case("de_bestellung.xlsx", de_bestellung, {"Bestellungen": _types(
        ("Bestellnr.", "id", None), ("Pos", "integer", None), ("Material", "id", None), ("Kurztext", "enum", None),
        ("Bestellmenge", "integer", None), ("ME", "enum", None), ("Nettopreis", "number", None), ("Währung", "enum", None),
        ("Lieferdatum", "date", None), ("Werk", "enum", None))}),
    Case("en_inspection_plan.xlsx", en_inspection_plan, {"Inspection": _types(
        ("Char. No", "integer", None), ("Characteristic", "enum", None), ("Nominal", "number", "mm"),
        ("Upper Tol", "number", "mm"),
        ("Lower Tol", "number", "mm"), ("Measured", "number", "mm"), ("Gauge", "enum", None), ("Result", "enum", None),
        ("Inspector", "enum", None), ("Inspected At", "datetime", None))}),
    Case("de_pruefplan.csv", de_pruefplan, {"de_pruefplan": _types(
        ("Merkmal-Nr.", "integer", None), ("Merkmal", "enum", None), ("Sollwert [mm]", "number", "mm"),
        ("OGW [mm]", "number", "mm"),
        ("UGW [mm]", "number", "mm"), ("Istwert [mm]", "number", "mm"), ("Prüfmittel", "enum", None), ("i.O.", "boolean", None),
        ("Prüfer", "enum", None), ("Prüfdatum", "date", None))}),
    Case("fr_plan_controle.xlsx", fr_plan_controle, {"Plan de contrôle": _types(
        ("Cote", "id", None), ("Cote (mm) Nominale", "number", "mm"), ("Cote (mm) Tol. sup.", "number", "mm"),
        ("Cote (mm) Tol. inf.", "number", "mm"), ("Mesure (mm)", "number", "mm"), ("Conforme", "boolean", None),
        ("Température °C", "number", "°C"), ("Couple (N·m)", "number", "N·m"))}),
    Case("en_torque_log.tsv", en_torque_log, {"en_torque_log": _types(
        ("Station", "enum", None), ("Bolt ID", "id", None), ("Torque Nm", "number", "N·m"),
        ("Target Torque (lbf·ft)", "number", "lbf·ft"),
        ("Temp °C", "number", "°C"), ("Pass", "boolean", None), ("Timestamp", "datetime", None), ("Operator", "enum", None))}),
    Case("en_tooling.csv", en_tooling, {"en_tooling": _types(
        ("Tool No", "id", None), ("Description", "enum", None), ("Diameter", "number", "in"), ("Length in", "number", None),
        ("Flutes", "integer", None), ("Coating", "enum", None), ("Max RPM", "integer", "rpm"), ("Last Sharpened", "date", None),
        ("Active", "boolean", None))}),
    Case("de_lager.xlsx", de_lager, {"Lager": _types(
        ("Artikelnummer", "id", None), ("Bezeichnung", "enum", None), ("Lagerort", "enum", None),
        ("Bestand (Stk)", "integer", "pcs"),
        ("Mindestbestand", "integer", None), ("Einheit", "enum", None), ("Wert €", "number", "EUR"),
        ("Letzte Inventur", "date", None),
        ("Gesperrt", "boolean", None))}),
    Case("en_pressure_test.csv", en_pressure_test, {"en_pressure_test": _types(
        ("Serial No", "id", None), ("Test Pressure (psi)", "integer", "psi"), ("Hold Time (min)", "integer", "min"),
        ("Leak Rate [mL/min]", "number", "mL/min"), ("Ambient Temp (°F)", "integer", "°F"), ("Result", "enum", None),
        ("Date", "date", None))}),
    Case("fr_stock.csv", fr_stock, {"fr_stock": _types(
        ("Code article", "id", None), ("Libellé", "enum", None), ("Emplacement", "enum", None),
        ("Quantité en stock (pcs)", "integer", "pcs"),
        ("Poids unitaire (g)", "number", "g"), ("Valeur (€)", "number", "EUR"), ("Dernier mouvement", "date", None))}),
    Case("en_oee.xlsx", en_oee, {"OEE": _types(
        ("Machine", "enum", None), ("Shift", "enum", None), ("Date", "date", None), ("Planned Time (min)", "integer", "min"),
        ("Run Time (min)", "integer", "min"), ("Ideal Cycle Time (s)", "number", "s"), ("Total Count (pcs)", "integer", "pcs"),
        ("Good Count (pcs)", "integer", "pcs"), ("OEE %", "number", "%"))}),
    Case("en_hydraulics.xlsx", en_hydraulics, {"Power units": _types(
        ("Unit", "id", None), ("System Pressure [bar]", "integer", "bar"), ("Relief Setting (MPa)", "number", "MPa"),
        ("Flow (L/min)", "number", "L/min"), ("Tank (gal)", "integer", "gal"), ("Cylinder Force (kN)", "number", "kN"),
        ("Oil Temp (°C)", "integer", "°C"), ("Serviced", "date", None))}),
    Case("years_header.csv", years_header, {"years_header": _types(
        ("Part", "id", None), ("2021", "integer", None), ("2022", "integer", None), ("2023", "integer", None),
        ("2024", "integer", None))}),
    Case("no_header.csv", no_header, {"no_header": _types(
        ("Column 1", "number", None), ("Column 2", "number", None), ("Column 3", "number", None))}),
    Case("es_piezas.csv", es_piezas, {"es_piezas": _types(
        ("Pieza", "id", None), ("Descripción", "enum", None), ("Año", "integer", None), ("Cantidad (pcs)", "integer", "pcs"),
        ("Peso (kg)", "number", "kg"), ("Precio (€)", "number", "EUR"), ("Fecha de entrega", "date", None))}),
]


def bom_rows(count: int) -> list[list[object]]:
    """A BOM of `count` lines, header first, for the timing and large-file tests."""
    rows: list[list[object]] = [["Item", "Part Number", "Description", "Qty (pcs)", "Material", "Length [mm]", "Weight (kg)",
                                 "Unit Cost ($)", "Supplier", "Due Date"]]
    for i in range(1, count + 1):
        rows.append([i, f"CD-{100000 + i}", DESCRIPTIONS[i % len(DESCRIPTIONS)], i % 48 + 1, MATERIALS[i % len(MATERIALS)],
                     round(5 + (i * 7.3) % 900, 1), round(0.01 + (i * 0.37) % 25, 3), round(0.05 + (i * 1.91) % 450, 2),
                     ["Acme", "Nordic", "Delta"][i % 3], date(2024, 3, 1) + timedelta(days=i % 90)])
    return rows
