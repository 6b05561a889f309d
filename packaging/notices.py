"""THIRD-PARTY-NOTICES.txt for the bundle: every distribution Packbench runs on, its version,
its licence and the licence texts its wheel ships, plus Python's and Qt's (LGPL-3.0).

    python packaging/notices.py OUT_FILE

The list is the run-time dependency closure of the installed ``packbench`` distribution (what
PyInstaller follows too), read with importlib.metadata from the environment that builds.
"""

from __future__ import annotations

import importlib.metadata as md
import re
import sys
import sysconfig
from pathlib import Path

HERE = Path(__file__).resolve().parent
_LICENCE_FILE = re.compile(r"(LICEN[CS]E|COPYING|NOTICE)", re.I)

#: licences a wheel does not carry as a file: where the text is
EXTRA_TEXTS = {
    # PySide6 and shiboken6 (and the Qt libraries inside them) are used under the LGPL-3.0,
    # which is the GPL-3.0 plus extra permissions: both texts are shipped
    "pyside6-essentials": [HERE / "licenses" / "LGPL-3.0.txt", HERE / "licenses" / "GPL-3.0.txt"],
    "shiboken6": [HERE / "licenses" / "LGPL-3.0.txt"],
}
#: a licence the metadata does not name in words
KNOWN_LICENCES = {
    "pyside6-essentials": "LGPL-3.0-only (Qt for Python and the Qt libraries, as used here)",
    "shiboken6": "LGPL-3.0-only",
    "pyserial": "BSD-3-Clause (Copyright (c) 2001-2020 Chris Liechti)",
}


def _key(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def closure(root: str = "packbench") -> list[md.Distribution]:
    """``root`` and everything it requires on this platform (extras left out), by name."""
    from packaging.markers import Marker  # pip and PyInstaller bring `packaging`

    seen: dict[str, md.Distribution] = {}
    todo = [root]
    while todo:
        name = todo.pop()
        if _key(name) in seen:
            continue
        try:
            dist = md.distribution(name)
        except md.PackageNotFoundError:
            continue
        seen[_key(name)] = dist
        for req in dist.requires or []:
            spec, _, marker = req.partition(";")
            if marker and ("extra" in marker or not Marker(marker).evaluate()):
                continue
            todo.append(re.match(r"[A-Za-z0-9_.\-]+", spec.strip()).group(0))
    return sorted(seen.values(), key=lambda d: _key(d.metadata["Name"]))


def licence_of(dist: md.Distribution) -> str:
    key = _key(dist.metadata["Name"])
    meta = dist.metadata
    text = KNOWN_LICENCES.get(key) or meta.get("License-Expression") or (meta.get("License") or "")
    text = " ".join(text.split())
    if not text or len(text) > 120:
        classifiers = [
            c.split(" :: ")[-1] for c in meta.get_all("Classifier") or [] if c.startswith("License")
        ]
        text = ", ".join(classifiers) or text[:120] or "see the licence text below"
    return text


def licence_texts(dist: md.Distribution) -> list[tuple[str, str]]:
    texts = []
    for f in dist.files or []:
        if _LICENCE_FILE.search(f.name) and f.suffix not in {".py", ".pyc"}:
            try:
                texts.append(
                    (str(f), Path(dist.locate_file(f)).read_text(encoding="utf-8", errors="replace"))
                )
            except OSError:
                pass
    for path in EXTRA_TEXTS.get(_key(dist.metadata["Name"]), []):
        texts.append((path.name, path.read_text(encoding="utf-8")))
    return texts


def python_licence() -> str:
    path = Path(sysconfig.get_paths()["stdlib"]) / "LICENSE.txt"
    return path.read_text(encoding="utf-8", errors="replace") if path.exists() else "PSF-2.0"


def render() -> str:
    dists = [d for d in closure() if _key(d.metadata["Name"]) != "packbench"]
    rule = "=" * 78
    out = [
        "Packbench bundles the following software. Packbench itself is under the MIT licence",
        "(LICENSE). Qt and Qt for Python (PySide6) are used under the LGPL-3.0: they are separate",
        "shared libraries in this folder, which you may replace with your own build of the same",
        "version; their source code is at https://download.qt.io/official_releases/.",
        "",
        f"Python {sys.version.split()[0]}: PSF License Agreement",
    ]
    out += [f"{d.metadata['Name']} {d.version}: {licence_of(d)}" for d in dists]
    out += ["PyInstaller bootloader: GPL-2.0-or-later with the bootloader exception", ""]
    out += [rule, f"Python {sys.version.split()[0]}", rule, python_licence()]
    for dist in dists:
        for name, text in licence_texts(dist):
            out += [rule, f"{dist.metadata['Name']} {dist.version}: {name}", rule, text]
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    target = Path(sys.argv[1])
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(render(), encoding="utf-8")
    print(target)
