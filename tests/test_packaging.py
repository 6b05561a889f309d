"""packaging/ without building (issue 20): what the bundle keeps and leaves out, the icons, the
desktop files, the macOS Bluetooth text, the licence and the third-party notices.

The frozen program itself is tested by `make bundle-test` (packaging/smoke_test.py), which
builds it first; these checks run in the normal suite, in well under a second each (the one
subprocess, which lists the modules the running app imports, takes a few).
"""

from __future__ import annotations

import configparser
import importlib.util
import json
import re
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGING = ROOT / "packaging"


def _load(name: str):
    if str(PACKAGING) not in sys.path:
        sys.path.insert(0, str(PACKAGING))  # the packaging scripts import each other by name
    spec = importlib.util.spec_from_file_location(name, PACKAGING / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


cfg = _load("bundle_config")
APP_VERSION = re.search(r'__version__ = "([^"]+)"', (ROOT / "app" / "__init__.py").read_text()).group(1)


# --- what the bundle keeps -----------------------------------------------------------------------

# What Packbench needs at run time: Qt Core/Gui/Widgets, and what pyqtgraph imports (QtSvg,
# QtOpenGL, QtOpenGLWidgets, QtTest: measured with the module list below); the platform plugins
# of Linux desktops (xcb, wayland) and of the smoke test (offscreen); SVG icons; Qt's own dialog
# texts in the shipped languages.
KEPT = [
    "PySide6/Qt/lib/libQt6Core.so.6",
    "PySide6/Qt/lib/libQt6Gui.so.6",
    "PySide6/Qt/lib/libQt6Widgets.so.6",
    "PySide6/Qt/lib/libQt6Svg.so.6",
    "PySide6/Qt/lib/libQt6OpenGL.so.6",
    "PySide6/Qt/lib/libQt6OpenGLWidgets.so.6",
    "PySide6/Qt/lib/libQt6Test.so.6",
    "PySide6/Qt/lib/libQt6DBus.so.6",
    "PySide6/Qt/lib/libQt6XcbQpa.so.6",
    "PySide6/Qt/lib/libQt6WaylandClient.so.6",
    "PySide6/Qt/plugins/platforms/libqxcb.so",
    "PySide6/Qt/plugins/platforms/libqwayland.so",
    "PySide6/Qt/plugins/platforms/libqoffscreen.so",
    "PySide6/Qt/plugins/platforms/qwindows.dll",
    "PySide6/Qt/plugins/platforms/libqcocoa.dylib",
    "PySide6/Qt/plugins/imageformats/libqsvg.so",
    "PySide6/Qt/plugins/iconengines/libqsvgicon.so",
    "PySide6/Qt/plugins/xcbglintegrations/libqxcb-glx-integration.so",
    "PySide6/Qt/translations/qtbase_zh_CN.qm",
    "PySide6/Qt/translations/qtbase_de.qm",
    "PySide6/Qt6Core.dll",
    "PySide6/Qt/lib/QtCore.framework/Versions/A/QtCore",
]
# The examples (WebEngine, 3D, Multimedia) and the rest nobody here uses.
DROPPED = [
    "PySide6/Qt/lib/libQt6WebEngineCore.so.6",
    "PySide6/Qt/lib/libQt63DRender.so.6",
    "PySide6/Qt/lib/libQt6Multimedia.so.6",
    "PySide6/Qt/lib/libQt6Qml.so.6",
    "PySide6/Qt/lib/libQt6Quick.so.6",
    "PySide6/Qt/lib/libQt6Pdf.so.6",
    "PySide6/Qt/lib/libQt6Network.so.6",
    "PySide6/Qt6Qml.dll",
    "PySide6/Qt/lib/QtQuick.framework/Versions/A/QtQuick",
    "PySide6/Qt/plugins/platformthemes/libqgtk3.so",
    "PySide6/Qt/plugins/sqldrivers/libqsqlite.so",
    "PySide6/Qt/plugins/printsupport/libcupsprintersupport.so",
    "PySide6/Qt/plugins/qmltooling/libqmldbg_tcp.so",
    "PySide6/Qt/plugins/imageformats/libqtiff.so",
    "PySide6/Qt/plugins/platforms/libqvnc.so",
    "PySide6/Qt/translations/qtbase_fr.qm",
    "PySide6/Qt/translations/qtdeclarative_zh_CN.qm",
    "PySide6/Qt/translations/qtmultimedia_de.qm",
]


@pytest.mark.parametrize("path", KEPT)
def test_the_bundle_keeps_what_packbench_uses(path):
    assert not cfg.unwanted(path)


@pytest.mark.parametrize("path", DROPPED)
def test_the_bundle_leaves_out_unused_qt(path):
    assert cfg.unwanted(path)


def test_no_module_the_running_app_imports_is_excluded(tmp_path):
    """EXCLUDED_MODULES would break the frozen program if the window imported one of them."""
    code = (
        "import sys; import app.cli, app.ui.app, app.ui.main_window, pyqtgraph, serial, bleak, keyring;"
        "print('\\n'.join(sorted(sys.modules)))"
    )
    env = {"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120, env=env
    )
    assert out.returncode == 0, out.stderr
    imported = set(out.stdout.split())
    assert "PySide6.QtSvg" in imported  # the list is real
    assert not imported & set(cfg.EXCLUDED_MODULES)


# --- icons ---------------------------------------------------------------------------------------


def test_icons_png_ico_icns_are_read_back_by_qt(tmp_path):
    """The ICO and ICNS are packed by hand (make_icons.py); Qt's own readers must take them."""
    pytest.importorskip("PySide6")
    from PySide6.QtGui import QImageReader

    make_icons = _load("make_icons")
    written = make_icons.make_icons(tmp_path, cfg.APP_ID)
    assert (tmp_path / "hicolor" / "256x256" / "apps" / f"{cfg.APP_ID}.png") in written
    for name, sizes in (
        ("packbench.ico", make_icons.ICO_SIZES),
        ("packbench.icns", sorted(make_icons.ICNS_TYPES)),
    ):
        reader = QImageReader(str(tmp_path / name))
        assert reader.imageCount() == len(sizes), name
        got = []
        for i in range(reader.imageCount()):
            reader.jumpToImage(i)
            got.append(reader.read().width())
        assert sorted(got) == sizes, name


# --- desktop integration, macOS, licence ---------------------------------------------------------


def test_desktop_entry():
    """Freedesktop Desktop Entry spec: Type, Name, Exec required; Icon names the icon theme file."""
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str
    parser.read(PACKAGING / "linux" / f"{cfg.APP_ID}.desktop", encoding="utf-8")
    entry = parser["Desktop Entry"]
    assert entry["Type"] == "Application" and entry["Name"] == "Packbench"
    assert entry["Exec"] == "packbench"  # install-desktop-entry.sh rewrites it to the full path
    assert entry["Icon"] == cfg.APP_ID
    assert entry["Categories"].endswith(";")


def test_appstream_metainfo_matches_the_app():
    root = ET.parse(PACKAGING / "linux" / f"{cfg.APP_ID}.metainfo.xml").getroot()
    assert root.get("type") == "desktop-application"
    assert root.findtext("id") == cfg.APP_ID
    assert root.find("launchable").text == f"{cfg.APP_ID}.desktop"
    assert root.findtext("project_license") == "MIT"
    assert root.find("releases/release").get("version") == APP_VERSION


def test_install_script_points_the_menu_entry_at_the_bundle(tmp_path):
    """install-desktop-entry.sh, run from an unpacked bundle, writes a .desktop whose Exec is
    this folder's program, and the icons, into the user's data folder."""
    bundle = tmp_path / "packbench"
    (bundle / "share" / "applications").mkdir(parents=True)
    (bundle / "share" / "metainfo").mkdir(parents=True)
    (bundle / "share" / "icons" / "hicolor" / "48x48" / "apps").mkdir(parents=True)
    (bundle / "share" / "icons" / "hicolor" / "48x48" / "apps" / f"{cfg.APP_ID}.png").write_bytes(b"png")
    for src, dst in (("desktop", "applications"), ("metainfo.xml", "metainfo")):
        name = f"{cfg.APP_ID}.{src}"
        (bundle / "share" / dst / name).write_text((PACKAGING / "linux" / name).read_text())
    script = bundle / "install-desktop-entry.sh"
    script.write_text((PACKAGING / "linux" / "install-desktop-entry.sh").read_text())
    data = tmp_path / "data"
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "XDG_DATA_HOME": str(data)}
    out = subprocess.run(["sh", str(script)], capture_output=True, text=True, env=env, timeout=30)
    assert out.returncode == 0, out.stderr
    desktop = (data / "applications" / f"{cfg.APP_ID}.desktop").read_text()
    assert f'Exec="{bundle}/packbench"' in desktop.splitlines()
    assert (data / "icons" / "hicolor" / "48x48" / "apps" / f"{cfg.APP_ID}.png").exists()
    out = subprocess.run(["sh", str(script), "--remove"], capture_output=True, text=True, env=env, timeout=30)
    assert out.returncode == 0 and not (data / "applications" / f"{cfg.APP_ID}.desktop").exists()


def test_macos_info_plist_has_the_bluetooth_usage_description():
    """Without NSBluetoothAlwaysUsageDescription macOS kills the app on its first scan
    (shared/stack.md P14; hbldh/bleak#761)."""
    plist = cfg.info_plist(APP_VERSION)
    assert "Bluetooth" in plist["NSBluetoothAlwaysUsageDescription"]
    assert plist["CFBundleShortVersionString"] == APP_VERSION


def test_licence_file_and_package_metadata_agree():
    assert (ROOT / "LICENSE").read_text().splitlines()[0] == "MIT License"
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["license"] == "MIT" and project["license-files"] == ["LICENSE"]
    assert {"pyinstaller", "pyinstaller-hooks-contrib"} <= {
        re.match(r"[\w-]+", r).group(0) for r in project["optional-dependencies"]["bundle"]
    }


def test_third_party_notices_name_every_runtime_dependency_with_a_licence():
    notices = _load("notices")
    text = notices.render()
    head = text.split("=" * 78)[0]
    for dist in ("bleak", "pyserial", "qasync", "pyqtgraph", "numpy", "keyring", "shiboken6"):
        line = next((ln for ln in head.splitlines() if ln.lower().startswith(dist + " ")), None)
        assert line and line.split(": ", 1)[1].strip(), f"{dist} has no licence line: {line!r}"
    assert re.search(r"^PySide6[-_]Essentials \S+: LGPL-3\.0", head, re.M | re.I)
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in text  # the LGPL text itself ships
    assert "PSF" in head or "PYTHON SOFTWARE FOUNDATION" in text


def test_ci_runs_the_frozen_smoke_test_after_the_suite():
    lines = [ln.strip() for ln in (ROOT / ".ci" / "run").read_text().splitlines() if ln.strip()]
    commands = [ln for ln in lines if not ln.startswith("#")]
    test_at = next(i for i, ln in enumerate(commands) if re.search(r"\bmake test\b", ln))
    bundle_at = next(i for i, ln in enumerate(commands) if re.search(r"\bmake bundle-test\b", ln))
    assert test_at < bundle_at


def test_smoke_test_expects_the_same_demo_tabs_as_the_source_test():
    smoke = _load("smoke_test")
    gui_flags = _load_test("test_gui_flags")
    assert smoke.DEMO_SHOTS == gui_flags.DEMO_SHOTS
    for data, frame_id in (("jk_frames.json", smoke.JK_FRAME_ID), ("jbd_frames.json", smoke.JBD_FRAME_ID)):
        loaded = json.loads((ROOT / "tests" / "data" / data).read_text())
        frames = loaded["frames"] if isinstance(loaded, dict) else loaded
        assert any(f["id"] == frame_id for f in frames)


def _load_test(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "tests" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
