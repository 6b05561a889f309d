"""Is a screenshot blank?  Used by the frozen program's smoke test and by the test suite.

A window that drew nothing is one colour (or two: a background and a frame); a window that drew
its pages has text, whose anti-aliasing alone gives dozens of colours, on a sizeable part of the
picture.  Reads the PNG with Qt's own reader (QImage needs no QApplication for PNG).
"""

from __future__ import annotations

import sys
from pathlib import Path

#: fewer distinct colours than this is a blank (or single-colour) picture
MIN_COLOURS = 16
#: at least this share of the pixels differs from the most common colour (the background)
MIN_INK = 0.02
#: a window smaller than this is no window
MIN_SIZE = (320, 200)


def png_problem(path: str | Path) -> str | None:
    """Why the PNG at ``path`` is not a drawn window, or None when it looks like one."""
    import numpy as np
    from PySide6.QtGui import QImage

    image = QImage(str(path))
    if image.isNull():
        return f"{path}: not a readable PNG"
    if image.width() < MIN_SIZE[0] or image.height() < MIN_SIZE[1]:
        return f"{path}: {image.width()}×{image.height()} pixels is too small for a window"
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    pixels = np.frombuffer(image.constBits(), dtype=np.uint32, count=image.width() * image.height())
    colours, counts = np.unique(pixels & 0x00FFFFFF, return_counts=True)
    ink = 1.0 - counts.max() / pixels.size
    if len(colours) < MIN_COLOURS or ink < MIN_INK:
        return f"{path}: blank ({len(colours)} colours, {ink:.1%} of the pixels off the background)"
    return None


if __name__ == "__main__":  # python packaging/pngcheck.py FILE.png …
    problems = [p for p in map(png_problem, sys.argv[1:]) if p]
    print("\n".join(problems) or f"{len(sys.argv) - 1} picture(s) drawn")
    sys.exit(1 if problems else 0)
