"""Build the one-folder bundle for this platform: ``make bundle`` on Linux, the same script on the
Windows and macOS runners (.github/workflows/bundles.yml).

    python packaging/build.py

1. compiles translations/*.ts into app/i18n/*.qm (pyside6-lrelease),
2. renders the icons (make_icons.py) and writes THIRD-PARTY-NOTICES.txt (notices.py) into build/,
3. runs PyInstaller on packaging/packbench.spec (dist/packbench/, dist/Packbench.app on macOS),
4. adds the Linux desktop files, and packs the folder: dist/packbench-VERSION-PLATFORM.tar.gz
   (Linux, macOS) or .zip (Windows),
5. reports the size of the folder, of the archive, and the biggest parts.
"""

from __future__ import annotations

import platform
import shutil
import subprocess
import sys
import tarfile
import time
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import bundle_config as cfg  # noqa: E402
from make_icons import make_icons  # noqa: E402
from notices import render as render_notices  # noqa: E402

BUILD, DIST = ROOT / "build", ROOT / "dist"
FOLDER = DIST / "packbench"
PLATFORM = {"linux": "linux", "win32": "windows", "darwin": "macos"}.get(sys.platform, sys.platform)


def step(text: str) -> None:
    print(f"bundle: {text}", flush=True)


def tool(name: str) -> str:
    """A console script of this environment (pyside6-lrelease …)."""
    folder = Path(sys.executable).parent
    for candidate in (folder / name, folder / f"{name}.exe"):
        if candidate.exists():
            return str(candidate)
    found = shutil.which(name)
    if not found:
        raise SystemExit(f"bundle: {name} not found next to {sys.executable}")
    return found


def compile_translations() -> None:
    out = ROOT / "app" / "i18n"
    out.mkdir(exist_ok=True)
    for ts in sorted((ROOT / "translations").glob("*.ts")):
        qm = out / f"{ts.stem}.qm"
        subprocess.run([tool("pyside6-lrelease"), "-silent", str(ts), "-qm", str(qm)], check=True)


def version_file(version: str) -> Path:
    """The Windows version resource, in the text form PyInstaller's EXE(version=…) reads."""
    numbers = tuple((list(map(int, version.split(".")[:3])) + [0, 0, 0, 0])[:4])
    strings = {
        "CompanyName": "Packbench",
        "FileDescription": "Packbench: configure and watch battery-management boards",
        "FileVersion": version,
        "InternalName": "packbench",
        "LegalCopyright": "MIT licence; see LICENSE and THIRD-PARTY-NOTICES.txt",
        "OriginalFilename": "Packbench.exe",
        "ProductName": "Packbench",
        "ProductVersion": version,
    }
    entries = ",\n            ".join(f"StringStruct({k!r}, {v!r})" for k, v in strings.items())
    text = f"""VSVersionInfo(
  ffi=FixedFileInfo(filevers={numbers}, prodvers={numbers}, mask=0x3f, flags=0x0, OS=0x40004,
                    fileType=0x1, subtype=0x0, date=(0, 0)),
  kids=[
    StringFileInfo([StringTable('040904B0', [
            {entries}])]),
    VarFileInfo([VarStruct('Translation', [1033, 1200])])
  ]
)
"""
    path = BUILD / "version_info.txt"
    path.write_text(text, encoding="utf-8")
    return path


def run_pyinstaller() -> None:
    cmd = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
           "--distpath", str(DIST), "--workpath", str(BUILD / "pyinstaller"),
           str(HERE / "packbench.spec")]  # fmt: skip
    subprocess.run(cmd, check=True, cwd=ROOT)


def add_linux_desktop_files() -> None:
    """share/ beside the program: the .desktop file, AppStream metainfo, icons, the udev rule,
    and install-desktop-entry.sh that puts them where the desktop finds them (no root)."""
    share = FOLDER / "share"
    apps, meta = share / "applications", share / "metainfo"
    for folder in (apps, meta):
        folder.mkdir(parents=True, exist_ok=True)
    shutil.copy2(HERE / "linux" / f"{cfg.APP_ID}.desktop", apps)
    shutil.copy2(HERE / "linux" / f"{cfg.APP_ID}.metainfo.xml", meta)
    shutil.copytree(BUILD / "icons" / "hicolor", share / "icons" / "hicolor", dirs_exist_ok=True)
    shutil.copy2(HERE / "linux" / "60-packbench-serial.rules", share)
    script = FOLDER / "install-desktop-entry.sh"
    shutil.copy2(HERE / "linux" / "install-desktop-entry.sh", script)
    script.chmod(0o755)


def archive(version: str) -> Path:
    base = DIST / f"packbench-{version}-{PLATFORM}-{platform.machine().lower() or 'unknown'}"
    top = DIST / "Packbench.app" if sys.platform == "darwin" else FOLDER
    if sys.platform == "win32":
        path = base.with_suffix(".zip")
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
            for f in sorted(top.rglob("*")):
                zf.write(f, f.relative_to(top.parent))
        return path
    path = Path(f"{base}.tar.gz")
    with tarfile.open(path, "w:gz", compresslevel=6) as tf:
        tf.add(top, arcname=top.name)
    return path


def size_of(path: Path) -> int:
    """Bytes in files under ``path``; symbolic links (the bundle has many) count nothing."""
    if path.is_symlink():
        return 0
    if path.is_file():
        return path.stat().st_size
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


def report(archive_path: Path) -> None:
    mb = 1024 * 1024
    step(f"{FOLDER.relative_to(ROOT)}/ is {size_of(FOLDER) / mb:.0f} MB; "
         f"{archive_path.relative_to(ROOT)} is {size_of(archive_path) / mb:.0f} MB")  # fmt: skip
    internal = FOLDER / "_internal"
    if internal.is_dir():
        parts = sorted(((size_of(p), p.name) for p in internal.iterdir()), reverse=True)[:8]
        step("biggest parts: " + ", ".join(f"{name} {size / mb:.0f} MB" for size, name in parts))


def main() -> int:
    started = time.monotonic()
    version = cfg.version(ROOT)
    BUILD.mkdir(exist_ok=True)
    step(f"Packbench {version} for {PLATFORM}")
    compile_translations()
    make_icons(BUILD / "icons", cfg.APP_ID)
    notices = BUILD / "notices" / "THIRD-PARTY-NOTICES.txt"
    notices.parent.mkdir(parents=True, exist_ok=True)
    notices.write_text(render_notices(), encoding="utf-8")
    version_file(version)
    step("PyInstaller …")
    run_pyinstaller()
    if sys.platform == "linux":
        add_linux_desktop_files()
    archive_path = archive(version)
    report(archive_path)
    step(f"built in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
