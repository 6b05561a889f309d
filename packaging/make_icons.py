"""Render app/resources/packbench.svg into the PNG, ICO and ICNS files the bundles need.

    python packaging/make_icons.py OUT_DIR

writes OUT_DIR/hicolor/<N>x<N>/apps/<APP_ID>.png (Linux desktops), OUT_DIR/packbench.ico
(Windows: PNG images inside an ICO, which Windows reads since Vista) and OUT_DIR/packbench.icns
(macOS: PNG images inside an ICNS, OSType per size from Apple's icns format).  Qt renders the SVG
(QtSvg ships with PySide6-Essentials); ICO and ICNS are packed here with the standard library, so
no Pillow or iconutil is needed and every platform makes the same files.
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SVG = ROOT / "app" / "resources" / "packbench.svg"
PNG_SIZES = [16, 24, 32, 48, 64, 128, 256, 512]
ICO_SIZES = [16, 24, 32, 48, 64, 128, 256]
#: ICNS element types holding a PNG of that many pixels
ICNS_TYPES = {16: b"icp4", 32: b"icp5", 64: b"icp6", 128: b"ic07", 256: b"ic08", 512: b"ic09", 1024: b"ic10"}


def render_png(size: int) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise ValueError(f"{SVG}: not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def pack_ico(pngs: dict[int, bytes]) -> bytes:
    """ICONDIR + one ICONDIRENTRY per image + the PNG data (a size of 256 is written as 0)."""
    sizes = sorted(pngs)
    offset = 6 + 16 * len(sizes)
    head = struct.pack("<HHH", 0, 1, len(sizes))
    entries, blobs = b"", b""
    for size in sizes:
        data = pngs[size]
        side = 0 if size >= 256 else size
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(data), offset)
        offset += len(data)
        blobs += data
    return head + entries + blobs


def pack_icns(pngs: dict[int, bytes]) -> bytes:
    """'icns' + total length, then per image its OSType + length (8 + data) + PNG data."""
    body = b"".join(
        ICNS_TYPES[size] + struct.pack(">I", 8 + len(pngs[size])) + pngs[size] for size in sorted(pngs)
    )
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def make_icons(out: Path, app_id: str) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    pngs = {size: render_png(size) for size in sorted(set(PNG_SIZES) | set(ICNS_TYPES))}
    written = []
    for size in PNG_SIZES:
        path = out / "hicolor" / f"{size}x{size}" / "apps" / f"{app_id}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pngs[size])
        written.append(path)
    scalable = out / "hicolor" / "scalable" / "apps" / f"{app_id}.svg"
    scalable.parent.mkdir(parents=True, exist_ok=True)
    scalable.write_bytes(SVG.read_bytes())
    (out / "packbench.ico").write_bytes(pack_ico({s: pngs[s] for s in ICO_SIZES}))
    (out / "packbench.icns").write_bytes(pack_icns({s: pngs[s] for s in ICNS_TYPES}))
    (out / "packbench.png").write_bytes(pngs[256])
    return [*written, scalable, out / "packbench.ico", out / "packbench.icns", out / "packbench.png"]


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bundle_config import APP_ID

    for p in make_icons(Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "build" / "icons"), APP_ID):
        print(p)
