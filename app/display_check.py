"""Before the window opens on Linux: can Qt's X11 platform plugin load here? (issue 22)

Qt's xcb plugin (``platforms/libqxcb.so``) needs a family of X11 libraries that many desktops
lack (Debian and Ubuntu commonly miss ``libxcb-cursor0``).  Without them Qt prints a few lines
and aborts the process.  This check runs first: it asks the dynamic loader (``ldd``) which of
the plugin's libraries do not resolve and, when some do not, says in one line which they are
and how to install them on this distribution.  On Wayland it lets Qt use its wayland plugin
instead.

The plugin is looked up where Qt itself looks (``QCoreApplication.libraryPaths()``: the
``QT_PLUGIN_PATH`` entries and Qt's plugin folder) and then beside PySide6, so the same check
works in the venv and in the frozen bundle (packaging/).  No QGuiApplication is created here.

``python -m app.display_check`` runs it alone (``make demo`` does, before the window).
"""

from __future__ import annotations

import ctypes
import os
import re
import subprocess
import sys
from collections.abc import Callable, Mapping, MutableMapping
from pathlib import Path

#: exit code when the window cannot open for want of system libraries
EXIT_NO_DISPLAY_LIBS = 3

# soname → (Debian/Ubuntu, Fedora, Arch) package.  The Debian names are the ones issue 22 found
# missing on a fresh Debian 12 desktop; the others are the distributions' packages of the same
# upstream libraries (xcb-util-cursor, xcb-util-wm for icccm, xcb-util-renderutil …).
PACKAGES: dict[str, tuple[str, str, str]] = {
    "libxcb-cursor.so.0": ("libxcb-cursor0", "xcb-util-cursor", "xcb-util-cursor"),
    "libxcb-icccm.so.4": ("libxcb-icccm4", "xcb-util-wm", "xcb-util-wm"),
    "libxcb-image.so.0": ("libxcb-image0", "xcb-util-image", "xcb-util-image"),
    "libxcb-keysyms.so.1": ("libxcb-keysyms1", "xcb-util-keysyms", "xcb-util-keysyms"),
    "libxcb-render-util.so.0": ("libxcb-render-util0", "xcb-util-renderutil", "xcb-util-renderutil"),
    "libxcb-util.so.1": ("libxcb-util1", "xcb-util", "xcb-util"),
    "libxcb-randr.so.0": ("libxcb-randr0", "libxcb", "libxcb"),
    "libxcb-shape.so.0": ("libxcb-shape0", "libxcb", "libxcb"),
    "libxcb-xinerama.so.0": ("libxcb-xinerama0", "libxcb", "libxcb"),
    "libxcb-xkb.so.1": ("libxcb-xkb1", "libxcb", "libxcb"),
    "libxcb-shm.so.0": ("libxcb-shm0", "libxcb", "libxcb"),
    "libxcb-sync.so.1": ("libxcb-sync1", "libxcb", "libxcb"),
    "libxcb-xfixes.so.0": ("libxcb-xfixes0", "libxcb", "libxcb"),
    "libxcb-render.so.0": ("libxcb-render0", "libxcb", "libxcb"),
    "libxcb-xinput.so.0": ("libxcb-xinput0", "libxcb", "libxcb"),
    "libxcb.so.1": ("libxcb1", "libxcb", "libxcb"),
    "libxkbcommon-x11.so.0": ("libxkbcommon-x11-0", "libxkbcommon-x11", "libxkbcommon-x11"),
    "libxkbcommon.so.0": ("libxkbcommon0", "libxkbcommon", "libxkbcommon"),
    "libX11-xcb.so.1": ("libx11-xcb1", "libX11-xcb", "libx11"),
    "libX11.so.6": ("libx11-6", "libX11", "libx11"),
    "libGL.so.1": ("libgl1", "libglvnd-glx", "libglvnd"),
    "libEGL.so.1": ("libegl1", "libglvnd-egl", "libglvnd"),
    "libOpenGL.so.0": ("libopengl0", "libglvnd-opengl", "libglvnd"),
    "libfontconfig.so.1": ("libfontconfig1", "fontconfig", "fontconfig"),
    "libfreetype.so.6": ("libfreetype6", "freetype", "freetype2"),
    "libdbus-1.so.3": ("libdbus-1-3", "dbus-libs", "dbus"),
    "libglib-2.0.so.0": ("libglib2.0-0", "glib2", "glib2"),
    "libwayland-client.so.0": ("libwayland-client0", "libwayland-client", "wayland"),
    "libwayland-cursor.so.0": ("libwayland-cursor0", "libwayland-cursor", "wayland"),
    "libwayland-egl.so.1": ("libwayland-egl1", "libwayland-egl", "wayland"),
}

#: the install command of each distribution family (index into PACKAGES' tuples)
INSTALL = {
    "debian": (0, "sudo apt install"),
    "fedora": (1, "sudo dnf install"),
    "arch": (2, "sudo pacman -S"),
}

_NOT_FOUND = re.compile(r"^\s*(\S+)\s+=>\s+not found", re.MULTILINE)
_DLERROR = re.compile(r"([^:\s/]+\.so[.\d]*): cannot open shared object file")


def distro_family(os_release: str) -> str | None:
    """``debian``, ``fedora`` or ``arch`` from the text of /etc/os-release (ID, then ID_LIKE),
    or None for another distribution."""
    fields = dict(
        (k, v.strip().strip("\"'"))
        for k, _, v in (line.partition("=") for line in os_release.splitlines())
        if _ == "="
    )
    ids = [fields.get("ID", ""), *fields.get("ID_LIKE", "").split()]
    for name in ids:
        name = name.lower()
        if name in ("debian", "ubuntu"):
            return "debian"
        if name in ("fedora", "rhel", "centos"):
            return "fedora"
        if name in ("arch", "archlinux"):
            return "arch"
    return None


def read_os_release() -> str:
    for path in ("/etc/os-release", "/usr/lib/os-release"):
        try:
            return Path(path).read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
    return ""


def plugin_folders() -> list[Path]:
    """Where Qt looks for plugins (``QT_PLUGIN_PATH``, Qt's own plugin folder, the frozen
    bundle's), then PySide6's ``Qt/plugins``: no QGuiApplication needed."""
    folders: list[Path] = []
    try:
        from PySide6.QtCore import QCoreApplication, QLibraryInfo

        folders += [Path(p) for p in QCoreApplication.libraryPaths()]
        folders.append(Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)))
    except ImportError:  # pragma: no cover - PySide6 is a dependency
        pass
    try:
        import PySide6

        folders.append(Path(PySide6.__file__).resolve().parent / "Qt" / "plugins")
    except ImportError:  # pragma: no cover
        pass
    return list(dict.fromkeys(folders))


def find_plugin(name: str, folders: list[Path] | None = None) -> Path | None:
    """The platform plugin ``libq<name>.so`` Qt would load, or None."""
    for folder in plugin_folders() if folders is None else folders:
        path = folder / "platforms" / f"libq{name}.so"
        if path.is_file():
            return path
    return None


def _ldd(path: Path) -> str | None:
    """``ldd``'s report of ``path`` (None when there is no ldd)."""
    try:
        done = subprocess.run(["ldd", str(path)], capture_output=True, text=True, timeout=20, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout + done.stderr


def _loads(path: Path) -> str | None:
    """None when the dynamic loader can load ``path`` in this process, else its error."""
    try:
        ctypes.CDLL(str(path))
    except OSError as exc:
        return str(exc)
    return None


def missing_libraries(
    plugin: Path,
    ldd: Callable[[Path], str | None] = _ldd,
    loads: Callable[[Path], str | None] = _loads,
) -> list[str]:
    """The shared libraries ``plugin`` needs that do not resolve here (empty: it loads).

    ``ldd`` names every missing one at once; the loader has the last word (a library another
    way already provides is not reported), and names the first missing one where there is no
    ``ldd`` (musl, a trimmed container)."""
    report = ldd(plugin)
    named = list(dict.fromkeys(_NOT_FOUND.findall(report or "")))
    if report is not None and not named:
        return []
    error = loads(plugin)
    if error is None:
        return []
    if named:
        return named
    first = _DLERROR.search(error)
    return [first.group(1)] if first else [error]


def install_hint(missing: list[str], family: str | None) -> str:
    """How to install what is missing on this distribution family (all three when another)."""
    known = [m for m in missing if m in PACKAGES]
    if not known:
        return "Install the packages of your distribution that provide them"

    def command(name: str) -> str:
        index, install = INSTALL[name]
        return f"{install} {' '.join(dict.fromkeys(PACKAGES[m][index] for m in known))}"

    unknown = [m for m in missing if m not in PACKAGES]
    rest = f" (and the package that provides {', '.join(unknown)})" if unknown else ""
    if family in INSTALL:
        return f"Install them with: {command(family)}{rest}"
    names = {"debian": "Debian/Ubuntu", "fedora": "Fedora", "arch": "Arch"}
    each = "; ".join(f"{names[name]}: {command(name)}" for name in INSTALL)
    return f"Install the packages that provide them ({each}){rest}"


def problem_message(missing: list[str], family: str | None) -> str:
    return (
        "packbench: the window cannot open: Qt's X11 platform plugin (xcb) needs "
        f"{', '.join(missing)}, not installed on this system. {install_hint(missing, family)}. "
        "The commands (packbench --help) work without a window."
    )


def platform_name(environ: Mapping[str, str]) -> str:
    """The platform plugin ``QT_QPA_PLATFORM`` asks for (its first choice, without options)."""
    return environ.get("QT_QPA_PLATFORM", "").split(";")[0].split(":")[0].strip()


def prepare_display(
    environ: MutableMapping[str, str] | None = None,
    *,
    platform: str = sys.platform,
    folders: list[Path] | None = None,
    ldd: Callable[[Path], str | None] = _ldd,
    loads: Callable[[Path], str | None] = _loads,
    os_release: Callable[[], str] = read_os_release,
) -> str | None:
    """None when the window can open (having chosen Wayland where X11's libraries are missing
    and Wayland is there: ``QT_QPA_PLATFORM=wayland`` in ``environ``), else the one-line
    message that says what to install."""
    env = os.environ if environ is None else environ
    if not platform.startswith("linux") or platform_name(env) not in ("", "xcb"):
        return None  # offscreen, wayland, eglfs … asked for, or not Linux: Qt's own business
    if not env.get("DISPLAY"):
        return None  # no X server: Qt uses Wayland if there is one (nothing here to check)
    plugin = find_plugin("xcb", folders)
    if plugin is None:
        return None  # a Qt without the plugin: Qt says so itself
    missing = missing_libraries(plugin, ldd, loads)
    if not missing:
        return None
    if env.get("WAYLAND_DISPLAY") and platform_name(env) == "":
        wayland = find_plugin("wayland", folders)
        if wayland is not None and not missing_libraries(wayland, ldd, loads):
            env["QT_QPA_PLATFORM"] = "wayland"  # X11's libraries are missing, Wayland's are not
            return None
    return problem_message(missing, distro_family(os_release()))


def main() -> int:
    problem = prepare_display()
    if problem:
        print(problem, file=sys.stderr)
        return EXIT_NO_DISPLAY_LIBS
    return 0


if __name__ == "__main__":
    sys.exit(main())
