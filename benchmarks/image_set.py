"""The image benchmark's images, made here: shop-floor forms and checklists drawn as printed pages,
then "photographed" (on a desk, at an angle, rotated a few degrees, under uneven light, with sensor
noise and JPEG compression), a whiteboard Kanban, and two screenshots of apps.

    python benchmarks/image_set.py      # writes benchmarks/images/*.jpg|png and images.json

Each image has a prompt and `expect` items (jfdi/benchmark/prompts.py): the fields, sections and
tables that a component built from it must show. Drawing is seeded, so the files come out the same
each time."""

from __future__ import annotations

import io
import json
import math
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

ROOT = Path(__file__).resolve().parent
FOLDER = ROOT / "images"
MANIFEST = ROOT / "images.json"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
PAGE = (1240, 1754)  # A4 at 150 dpi
PROMPT = "Build this as a working React component: the same fields, sections, tables and sign-off lines."


def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(BOLD if bold else FONT, size)


@dataclass
class Form:
    """A printed form: blocks drawn top to bottom."""

    id: str
    title: str
    blocks: list[tuple] = field(default_factory=list)
    expect: list[dict] = field(default_factory=list)


def draw_form(form: Form) -> Image.Image:
    page = Image.new("RGB", PAGE, "white")
    draw = ImageDraw.Draw(page)
    draw.rectangle((60, 60, PAGE[0] - 60, PAGE[1] - 60), outline="black", width=3)
    draw.text((100, 95), form.title, fill="black", font=font(46, bold=True))
    y = 190
    for kind, *args in form.blocks:
        if kind == "section":
            draw.rectangle((100, y, PAGE[0] - 100, y + 50), fill=(225, 225, 225))
            draw.text((112, y + 8), args[0], fill="black", font=font(30, bold=True))
            y += 80
        elif kind == "fields":
            for label in args[0]:
                draw.text((110, y), label, fill="black", font=font(30))
                draw.line((560, y + 36, PAGE[0] - 110, y + 36), fill="black", width=2)
                y += 78
        elif kind == "checks":
            for label in args[0]:
                draw.rectangle((110, y, 146, y + 36), outline="black", width=3)
                draw.text((170, y), label, fill="black", font=font(30))
                y += 66
        elif kind == "table":
            headers, rows, widths = args
            x0, row_h = 100, 56
            xs = [x0]
            for w in widths:
                xs.append(xs[-1] + w)
            for r in range(rows + 1):
                top = y + r * row_h
                draw.rectangle((x0, top, xs[-1], top + row_h), outline="black", width=2)
            for x in xs[1:-1]:
                draw.line((x, y, x, y + (rows + 1) * row_h), fill="black", width=2)
            for x, header in zip(xs, headers):
                draw.text((x + 10, y + 12), header, fill="black", font=font(26, bold=True))
            y += (rows + 1) * row_h + 40
        elif kind == "signoff":
            for label in args[0]:
                draw.text((110, y), label, fill="black", font=font(30))
                draw.line((380, y + 36, 860, y + 36), fill="black", width=2)
                y += 78
    return page


def draw_kanban() -> Image.Image:
    board = Image.new("RGB", (1600, 1100), (244, 246, 240))
    draw = ImageDraw.Draw(board)
    rng = random.Random(7)
    columns = {
        "TO DO": ["WO-2231 Housing", "WO-2240 Bracket", "WO-2244 Shaft"],
        "DOING": ["WO-2219 Flange", "WO-2225 Cover"],
        "DONE": ["WO-2201 Spacer", "WO-2210 Plate"],
    }
    for c, (title, cards) in enumerate(columns.items()):
        x = 60 + c * 520
        draw.text((x + 20, 40), title, fill=(20, 40, 120), font=font(56, bold=True))
        draw.line((x + 490, 30, x + 490, 1060), fill=(40, 40, 40), width=5)
        for r, card in enumerate(cards):
            top = 150 + r * 220
            color = [(255, 236, 120), (160, 220, 250), (250, 180, 190)][rng.randrange(3)]
            draw.rectangle((x + 20, top, x + 440, top + 180), fill=color)
            draw.text((x + 40, top + 30), card.split(" ")[0], fill="black", font=font(40, bold=True))
            draw.text((x + 40, top + 95), card.split(" ", 1)[1], fill="black", font=font(38))
    return board


def photograph(page: Image.Image, seed: int, long_side: int = 1600) -> bytes:
    """The page as a phone photo of it on a desk: angle, rotation, uneven light, noise, JPEG."""
    rng = np.random.default_rng(seed)
    w, h = page.size
    margin = int(0.12 * max(w, h))
    canvas = (w + 2 * margin, h + 2 * margin)
    desk = Image.new("RGB", canvas, tuple(int(v) for v in rng.integers(90, 140, 3)))
    desk.paste(page, (margin, margin))
    # Where the page's corners land: each pushed a little, and the whole turned a few degrees.
    angle = math.radians(rng.uniform(-5, 5))
    cx, cy = canvas[0] / 2, canvas[1] / 2
    corners = [(margin, margin), (margin + w, margin), (margin + w, margin + h), (margin, margin + h)]
    jitter = 0.04 * min(w, h)
    moved = []
    for x, y in corners:
        x, y = x + rng.uniform(-jitter, jitter), y + rng.uniform(-jitter, jitter)
        dx, dy = x - cx, y - cy
        moved.append((cx + dx * math.cos(angle) - dy * math.sin(angle), cy + dx * math.sin(angle) + dy * math.cos(angle)))
    photo = desk.transform(
        canvas,
        Image.Transform.PERSPECTIVE,
        _perspective(moved, corners),
        Image.Resampling.BICUBIC,
        fillcolor=desk.getpixel((5, 5)),
    )
    # Fluorescent light from one side, a soft shadow from the phone.
    yy, xx = np.mgrid[0 : canvas[1], 0 : canvas[0]].astype(np.float32)
    side = rng.uniform(0, 2 * math.pi)
    light = 0.82 + 0.2 * ((xx / canvas[0]) * math.cos(side) + (yy / canvas[1]) * math.sin(side))
    sx, sy = rng.uniform(0.3, 0.7) * canvas[0], rng.uniform(0.3, 0.7) * canvas[1]
    light -= 0.12 * np.exp(-(((xx - sx) / (0.35 * canvas[0])) ** 2 + ((yy - sy) / (0.25 * canvas[1])) ** 2))
    pixels = np.asarray(photo, dtype=np.float32) * light[..., None]
    pixels += rng.normal(0, 7, pixels.shape)
    photo = Image.fromarray(pixels.clip(0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(0.7))
    scale = long_side / max(photo.size)
    photo = photo.resize((round(photo.width * scale), round(photo.height * scale)), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    photo.save(buffer, "JPEG", quality=72)
    return buffer.getvalue()


def _perspective(target: list[tuple[float, float]], source: list[tuple[float, float]]) -> list[float]:
    """PIL's PERSPECTIVE coefficients mapping output pixels (`target`) back to input ones (`source`)."""
    rows, values = [], []
    for (x, y), (u, v) in zip(target, source):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        values += [u, v]
    return np.linalg.solve(np.array(rows), np.array(values)).tolist()


def screenshot_work_orders() -> Image.Image:
    shot = Image.new("RGB", (1440, 900), (248, 250, 252))
    draw = ImageDraw.Draw(shot)
    draw.rectangle((0, 0, 240, 900), fill=(30, 41, 59))
    for i, item in enumerate(["Dashboard", "Work orders", "Machines", "Reports"]):
        draw.text((28, 40 + i * 56), item, fill=(226, 232, 240) if i != 1 else (251, 191, 36), font=font(24))
    draw.text((280, 32), "Work orders", fill=(15, 23, 42), font=font(40, bold=True))
    draw.rounded_rectangle((1180, 34, 1400, 84), 10, fill=(37, 99, 235))
    draw.text((1206, 46), "+ New order", fill="white", font=font(24, bold=True))
    draw.rounded_rectangle((280, 110, 760, 160), 8, outline=(203, 213, 225), width=2, fill="white")
    draw.text((300, 122), "Search work orders...", fill=(148, 163, 184), font=font(22))
    headers = ["WO #", "Part", "Machine", "Qty", "Due", "Status"]
    xs = [280, 420, 680, 900, 1010, 1180]
    draw.rectangle((270, 190, 1410, 240), fill=(241, 245, 249))
    for x, header in zip(xs, headers):
        draw.text((x, 202), header, fill=(71, 85, 105), font=font(22, bold=True))
    rows = [
        ("WO-2231", "Housing A12", "CNC-3", "120", "12/14", "Running"),
        ("WO-2240", "Bracket B7", "Press-1", "500", "12/15", "Queued"),
        ("WO-2244", "Shaft S40", "Lathe-2", "60", "12/15", "Blocked"),
        ("WO-2219", "Flange F3", "CNC-1", "200", "12/16", "Done"),
        ("WO-2225", "Cover C9", "Press-2", "350", "12/18", "Running"),
    ]
    colors = {"Running": (22, 163, 74), "Queued": (100, 116, 139), "Blocked": (220, 38, 38), "Done": (37, 99, 235)}
    for r, row in enumerate(rows):
        y = 260 + r * 64
        draw.line((270, y + 52, 1410, y + 52), fill=(226, 232, 240), width=2)
        for x, value in zip(xs[:-1], row[:-1]):
            draw.text((x, y + 8), value, fill=(15, 23, 42), font=font(22))
        draw.rounded_rectangle((xs[-1], y + 4, xs[-1] + 130, y + 40), 16, fill=colors[row[-1]])
        draw.text((xs[-1] + 16, y + 9), row[-1], fill="white", font=font(20, bold=True))
    return shot


def screenshot_reorder() -> Image.Image:
    shot = Image.new("RGB", (1280, 860), (255, 255, 255))
    draw = ImageDraw.Draw(shot)
    draw.rectangle((0, 0, 1280, 80), fill=(15, 118, 110))
    draw.text((40, 20), "Inventory reorder", fill="white", font=font(34, bold=True))
    for i, (label, value) in enumerate(
        [("SKU", "BRG-6204-2RS"), ("On hand", "14"), ("Reorder point", "40"), ("Order quantity", "200")]
    ):
        y = 130 + i * 100
        draw.text((60, y), label, fill=(51, 65, 85), font=font(24, bold=True))
        draw.rounded_rectangle((60, y + 36, 560, y + 84), 8, outline=(148, 163, 184), width=2)
        draw.text((76, y + 46), value, fill=(15, 23, 42), font=font(24))
    draw.text((60, 540), "Reorder point must be at least 0", fill=(220, 38, 38), font=font(20))
    draw.rounded_rectangle((60, 600, 300, 656), 10, fill=(15, 118, 110))
    draw.text((92, 612), "Create order", fill="white", font=font(24, bold=True))
    draw.text((680, 130), "Below reorder point", fill=(15, 23, 42), font=font(28, bold=True))
    below = [("BRG-6204-2RS", "14", "40"), ("NUT-M8", "120", "500"), ("BLT-M8-30", "80", "250")]
    for r, (sku, hand, point) in enumerate(below):
        y = 190 + r * 60
        draw.rectangle((680, y, 1220, y + 56), outline=(226, 232, 240), width=2)
        draw.text((700, y + 14), sku, fill=(15, 23, 42), font=font(22))
        draw.text((960, y + 14), hand, fill=(220, 38, 38), font=font(22, bold=True))
        draw.text((1100, y + 14), point, fill=(71, 85, 105), font=font(22))
    return shot


FORMS = [
    Form(
        "fai",
        "FIRST ARTICLE INSPECTION",
        [
            ("fields", ["Part number", "Revision", "Lot size", "Drawing no."]),
            ("section", "Dimensions"),
            ("table", ["Feature", "Nominal (mm)", "Tol. (mm)", "Measured"], 4, [330, 250, 230, 230]),
            ("checks", ["Visual check passed", "Burrs removed"]),
            ("signoff", ["Inspector", "Signature", "Date"]),
        ],
        [
            {"kind": "text", "value": "first article"},
            {"kind": "field", "label": "part number|part no"},
            {"kind": "field", "label": "lot size"},
            {"kind": "text", "value": "nominal"},
            {"kind": "text", "value": "mm"},
            {"kind": "role", "role": "checkbox", "min": 2},
            {"kind": "field", "label": "inspector"},
            {"kind": "text", "value": "signature"},
        ],
    ),
    Form(
        "traveler",
        "SHOP TRAVELER",
        [
            ("fields", ["Work order", "Part number", "Quantity", "Material"]),
            ("section", "Routing"),
            ("table", ["Op", "Work center", "Operation", "Operator", "Date"], 5, [90, 230, 330, 200, 190]),
            ("signoff", ["Released by", "Date"]),
        ],
        [
            {"kind": "text", "value": "traveler"},
            {"kind": "field", "label": "work order"},
            {"kind": "field", "label": "quantity|qty"},
            {"kind": "text", "value": "work center"},
            {"kind": "text", "value": "operator"},
            {"kind": "rows", "min": 3},
            {"kind": "text", "value": "released by"},
        ],
    ),
    Form(
        "machine-checklist",
        "DAILY MACHINE CHECKLIST",
        [
            ("fields", ["Machine", "Shift", "Operator"]),
            ("section", "Before start-up"),
            ("checks", ["Oil level OK", "Air pressure 6 bar", "Guards in place", "E-stop tested", "Work area clean"]),
            ("section", "Remarks"),
            ("signoff", ["Supervisor", "Date"]),
        ],
        [
            {"kind": "text", "value": "checklist"},
            {"kind": "field", "label": "machine"},
            {"kind": "field", "label": "shift"},
            {"kind": "role", "role": "checkbox", "min": 5},
            {"kind": "text", "value": "e-stop"},
            {"kind": "text", "value": "bar"},
            {"kind": "text", "value": "supervisor"},
        ],
    ),
    Form(
        "ncr",
        "NON-CONFORMANCE REPORT",
        [
            ("fields", ["NCR number", "Part number", "Qty rejected", "Supplier"]),
            ("section", "Description of defect"),
            ("fields", ["Defect", "Found at"]),
            ("section", "Disposition"),
            ("checks", ["Rework", "Scrap", "Use as is", "Return to supplier"]),
            ("signoff", ["Quality engineer", "Date"]),
        ],
        [
            {"kind": "text", "value": "non-conformance"},
            {"kind": "field", "label": "ncr"},
            {"kind": "field", "label": "rejected"},
            {"kind": "text", "value": "disposition"},
            {"kind": "text", "value": "scrap"},
            {"kind": "text", "value": "rework"},
            {"kind": "role", "role": "checkbox|radio", "min": 4},
        ],
    ),
    Form(
        "torque",
        "TORQUE RECORD",
        [
            ("fields", ["Assembly", "Wrench ID", "Calibration due"]),
            ("table", ["Joint", "Spec (Nm)", "Actual (Nm)", "OK"], 6, [300, 250, 250, 150]),
            ("signoff", ["Technician", "Date"]),
        ],
        [
            {"kind": "text", "value": "torque"},
            {"kind": "field", "label": "wrench"},
            {"kind": "text", "value": "nm"},
            {"kind": "text", "value": "spec"},
            {"kind": "text", "value": "actual"},
            {"kind": "rows", "min": 3},
            {"kind": "text", "value": "technician"},
        ],
    ),
    Form(
        "5s-audit",
        "5S AUDIT",
        [
            ("fields", ["Area", "Auditor"]),
            ("table", ["Category", "Score (1-5)", "Finding"], 5, [300, 220, 480]),
            ("signoff", ["Area owner", "Date"]),
        ],
        [
            {"kind": "text", "value": "5s"},
            {"kind": "field", "label": "area"},
            {"kind": "field", "label": "auditor"},
            {"kind": "text", "value": "score"},
            {"kind": "text", "value": "finding"},
            {"kind": "text", "value": "area owner"},
        ],
    ),
    Form(
        "receiving",
        "RECEIVING INSPECTION",
        [
            ("fields", ["PO number", "Supplier", "Qty received", "Qty accepted", "Heat / lot no."]),
            ("checks", ["Certificate of conformance", "Packaging undamaged", "Labels match PO"]),
            ("signoff", ["Inspector", "Date"]),
        ],
        [
            {"kind": "text", "value": "receiving"},
            {"kind": "field", "label": "po number|po"},
            {"kind": "field", "label": "supplier"},
            {"kind": "field", "label": "received"},
            {"kind": "field", "label": "accepted"},
            {"kind": "role", "role": "checkbox", "min": 3},
        ],
    ),
]

KANBAN_EXPECT = [
    {"kind": "text", "value": "to ?do"},
    {"kind": "text", "value": "doing|in progress"},
    {"kind": "text", "value": "done"},
    {"kind": "text", "value": "WO-2231"},
    {"kind": "text", "value": "flange"},
]
SCREENSHOTS = {
    "work-orders-app": (
        screenshot_work_orders,
        [
            {"kind": "text", "value": "work orders"},
            {"kind": "button", "name": "new order"},
            {"kind": "field", "label": "search"},
            {"kind": "rows", "min": 5},
            {"kind": "text", "value": "blocked"},
            {"kind": "text", "value": "WO-2244"},
        ],
    ),
    "reorder-app": (
        screenshot_reorder,
        [
            {"kind": "text", "value": "inventory reorder"},
            {"kind": "field", "label": "sku"},
            {"kind": "field", "label": "reorder point"},
            {"kind": "field", "label": "order quantity"},
            {"kind": "button", "name": "create order"},
            {"kind": "text", "value": "NUT-M8"},
        ],
    ),
}


def make(folder: Path = FOLDER) -> list[dict]:
    folder.mkdir(parents=True, exist_ok=True)
    entries = []
    for seed, form in enumerate(FORMS, start=1):
        (folder / f"{form.id}.jpg").write_bytes(photograph(draw_form(form), seed))
        entries.append({"id": form.id, "prompt": PROMPT, "images": [f"images/{form.id}.jpg"], "expect": form.expect})
    (folder / "kanban.jpg").write_bytes(photograph(draw_kanban(), 42, long_side=1500))
    entries.append(
        {
            "id": "kanban",
            "prompt": "Build this whiteboard as a working Kanban board component.",
            "images": ["images/kanban.jpg"],
            "expect": KANBAN_EXPECT,
        }
    )
    for name, (draw, expect) in SCREENSHOTS.items():
        buffer = io.BytesIO()
        draw().save(buffer, "PNG", optimize=True)
        (folder / f"{name}.png").write_bytes(buffer.getvalue())
        entries.append(
            {
                "id": name,
                "prompt": "Reproduce this app screen as a working React component.",
                "images": [f"images/{name}.png"],
                "expect": expect,
            }
        )
    MANIFEST.write_text(json.dumps(entries, indent=2) + "\n")
    return entries


if __name__ == "__main__":
    made = make()
    print(f"{len(made)} images in {FOLDER}", file=sys.stderr)
