#!/bin/sh
# Put Packbench in this user's application menu (no root needed): the .desktop file with the
# path of this folder's program, the icons and the AppStream metainfo under ~/.local/share.
# Run it again after moving the folder; `./install-desktop-entry.sh --remove` takes it out.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
id=io.github.packbench.Packbench
data=${XDG_DATA_HOME:-$HOME/.local/share}

if [ "${1:-}" = "--remove" ]; then
    rm -f "$data/applications/$id.desktop" "$data/metainfo/$id.metainfo.xml"
    find "$data/icons/hicolor" -name "$id.*" -exec rm -f {} + 2>/dev/null || true
    echo "Packbench removed from the application menu."
    exit 0
fi

mkdir -p "$data/applications" "$data/metainfo" "$data/icons"
sed "s|^Exec=packbench|Exec=\"$here/packbench\"|" "$here/share/applications/$id.desktop" \
    > "$data/applications/$id.desktop"
cp "$here/share/metainfo/$id.metainfo.xml" "$data/metainfo/"
cp -R "$here/share/icons/hicolor" "$data/icons/"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$data/applications" || true
echo "Packbench is in the application menu ($data/applications/$id.desktop)."

# USB serial adapters: the user needs access to /dev/ttyUSB* and /dev/ttyACM*
if ! id -nG | tr ' ' '\n' | grep -qx -e dialout -e uucp; then
    echo "For USB cables: sudo usermod -aG dialout ${USER:-$(id -un)} (then log out and in again),"
    echo "or: sudo cp '$here/share/60-packbench-serial.rules' /etc/udev/rules.d/ && sudo udevadm control --reload"
fi
