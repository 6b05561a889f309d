"""What goes into the bundle and what stays out: read by packbench.spec, build.py and the tests.

No PyInstaller import here, so tests/test_packaging.py checks these tables without building.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePath

APP_ID = "io.github.packbench.Packbench"  # reverse-DNS id: .desktop, AppStream, macOS bundle
NAME = "Packbench"

#: what macOS shows when the app first asks for Bluetooth; without NSBluetoothAlwaysUsageDescription
#: macOS kills the app on its first scan (shared/stack.md P14; bleak's macOS notes)
BLUETOOTH_USAGE = (
    "Packbench uses Bluetooth to find battery-management boards nearby and to read and "
    "configure the board you connect to."
)

#: distributions whose metadata the frozen program needs at run time: importlib.metadata gives
#: Help → About its versions and licences, and keyring finds its back-ends through entry points
METADATA = ["packbench", "PySide6-Essentials", "shiboken6", "bleak", "pyserial", "qasync",
            "pyqtgraph", "numpy", "keyring"]  # fmt: skip

#: Python modules never imported by Packbench (tests, tools, other GUI toolkits)
EXCLUDED_MODULES = [
    "tkinter", "_tkinter", "unittest", "pydoc_data", "lib2to3", "idlelib", "test",
    "pytest", "hypothesis", "ruff", "matplotlib", "IPython", "PyQt5", "PyQt6",
    "pyqtgraph.opengl", "pyqtgraph.examples", "pyqtgraph.jupyter", "OpenGL",
    "PySide6.QtQml", "PySide6.QtQuick", "PySide6.QtQuickWidgets", "PySide6.QtQuick3D",
    "PySide6.QtWebEngineCore", "PySide6.QtWebEngineWidgets", "PySide6.QtWebEngineQuick",
    "PySide6.QtWebChannel", "PySide6.QtWebSockets", "PySide6.Qt3DCore", "PySide6.Qt3DRender",
    "PySide6.Qt3DExtras", "PySide6.QtMultimedia", "PySide6.QtMultimediaWidgets",
    "PySide6.QtCharts", "PySide6.QtDataVisualization", "PySide6.QtGraphs", "PySide6.QtPdf",
    "PySide6.QtPdfWidgets", "PySide6.QtSql", "PySide6.QtNetwork", "PySide6.QtDesigner",
    "PySide6.QtHelp", "PySide6.QtUiTools", "PySide6.QtXml", "PySide6.QtConcurrent",
    "PySide6.QtDBus", "PySide6.QtPrintSupport", "PySide6.QtBluetooth", "PySide6.QtPositioning",
]  # fmt: skip

#: languages Packbench ships a .qm for; Qt's own translations are kept for these only
LANGUAGES = ["zh_CN", "de"]

# Files the Qt hooks collect that Packbench does not use, by path inside the bundle.  Qt
# libraries of excluded modules, plugins of features it has no use for (QML, SQL, printing,
# virtual keyboards, the GTK theme that drags in GTK and cairo …), and Qt's translations of
# languages Packbench is not translated into.
_UNWANTED = [
    r"Qt6?(Qml|Quick|WebEngine|WebChannel|WebSockets|3D|Multimedia|Charts|DataVisualization"
    r"|Graphs|Pdf|Sql|Designer|Help|UiTools|VirtualKeyboard|Positioning|Bluetooth|ShaderTools"
    r"|SpatialAudio|Sensors|SerialPort|RemoteObjects|Scxml|StateMachine|TextToSpeech"
    r"|Location|Nfc|HttpServer|Network)\w*\.(so[.\d]*|dll|dylib)$",
    r"/(Qt6?)?(Qml|Quick|WebEngine|3D|Multimedia|Pdf|Sql|Designer|VirtualKeyboard)\w*\.framework/",
    r"plugins/(qmltooling|sqldrivers|designer|printsupport|networkinformation|tls"
    r"|multimedia|position|sensors|texttospeech|sceneparsers|renderers|geometryloaders"
    r"|webview|virtualkeyboard|wayland-graphics-integration-server|vectorimageformats)/",
    r"plugins/platformthemes/libqgtk3",
    r"plugins/platforminputcontexts/libqtvirtualkeyboard",
    r"plugins/imageformats/(libq|q)(pdf|tiff|webp|tga|wbmp|gif|jpeg)\w*\.(so|dll|dylib)$",
    r"plugins/platforms/(libq|q)(eglfs|linuxfb|minimalegl|vkkhrdisplay|vnc)\w*\.(so|dll|dylib)$",
    r"plugins/egldeviceintegrations/",
    r"(^|/)qml/",
]
_UNWANTED_RE = re.compile("|".join(f"(?:{p})" for p in _UNWANTED))
_QT_TRANSLATION = re.compile(r"translations/(qt\w*?)_([a-z]{2}(?:_[A-Z]{2})?)\.qm$")


def unwanted(dest: str) -> bool:
    """Whether a file the Qt hooks collected (its path inside the bundle) stays out."""
    path = PurePath(dest).as_posix()
    match = _QT_TRANSLATION.search(path)
    if match:
        lang = match.group(2)
        return match.group(1) != "qtbase" or not any(
            lang == wanted or lang == wanted.split("_")[0] for wanted in LANGUAGES
        )
    return bool(_UNWANTED_RE.search(path))


def version(root: Path) -> str:
    """``app.__version__`` read from the file (the build does not import the app)."""
    text = (root / "app" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__ = "([^"]+)"', text, re.M)
    if not match:
        raise ValueError("app/__init__.py has no __version__")
    return match.group(1)


def package_data(root: Path) -> list[Path]:
    """Files inside app/ that are not Python: the icon, other resources."""
    return sorted(p for p in (root / "app" / "resources").rglob("*") if p.is_file())


def info_plist(version_text: str) -> dict:
    return {
        "CFBundleName": NAME,
        "CFBundleDisplayName": NAME,
        "CFBundleShortVersionString": version_text,
        "CFBundleVersion": version_text,
        "NSBluetoothAlwaysUsageDescription": BLUETOOTH_USAGE,
        "NSBluetoothPeripheralUsageDescription": BLUETOOTH_USAGE,  # macOS before 10.15
        "NSHighResolutionCapable": True,
        "LSMinimumSystemVersion": "11.0",
    }
