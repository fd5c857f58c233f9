#!/usr/bin/env sh
# Installs this Encore build for one user (default) or system-wide:
#   ./install.sh                    -> ~/.local/lib/encore, ~/.local/bin/encore, ~/.local/share/...
#   PREFIX=/usr/local ./install.sh  -> system-wide (run as root)
#   ./install.sh --uninstall        -> removes what install.sh put there (same PREFIX)
# Needs libVLC from the system (Debian/Ubuntu: sudo apt-get install libvlc5 vlc-plugin-base).
set -eu
HERE="$(cd "$(dirname "$0")" && pwd)"
PREFIX="${PREFIX:-$HOME/.local}"
APP_DIR="$PREFIX/lib/encore"
BIN="$PREFIX/bin/encore"
SIZES="16 22 24 32 48 64 128 256 512"

refresh_caches() {
  if command -v update-desktop-database >/dev/null 2>&1; then
    update-desktop-database -q "$PREFIX/share/applications" 2>/dev/null || true
  fi
  if command -v gtk-update-icon-cache >/dev/null 2>&1; then
    gtk-update-icon-cache -q -t "$PREFIX/share/icons/hicolor" 2>/dev/null || true
  fi
}

if [ "${1:-}" = "--uninstall" ]; then
  rm -rf "$APP_DIR"
  rm -f "$BIN" "$PREFIX/share/applications/encore.desktop" \
        "$PREFIX/share/metainfo/org.encore.Encore.metainfo.xml" \
        "$PREFIX/share/icons/hicolor/scalable/apps/encore.svg"
  for n in $SIZES; do rm -f "$PREFIX/share/icons/hicolor/${n}x${n}/apps/encore.png"; done
  refresh_caches
  echo "Encore removed from $PREFIX (your library database and settings are kept)."
  exit 0
fi

if [ ! -x "$HERE/encore/encore" ]; then
  echo "install.sh: $HERE/encore/encore is missing; run install.sh from the unpacked archive." >&2
  exit 1
fi
mkdir -p "$PREFIX/lib" "$PREFIX/bin" "$PREFIX/share/applications" "$PREFIX/share/metainfo"
rm -rf "$APP_DIR.new"
cp -R "$HERE/encore" "$APP_DIR.new"
rm -rf "$APP_DIR"
mv "$APP_DIR.new" "$APP_DIR"
ln -sf "$APP_DIR/encore" "$BIN"
# The desktop entry names the installed binary by its full path: ~/.local/bin is often not on
# the PATH a desktop session starts programs with.
sed -e "s|^Exec=encore|Exec=$BIN|" -e "s|^TryExec=encore|TryExec=$BIN|" \
  "$HERE/share/applications/encore.desktop" > "$PREFIX/share/applications/encore.desktop"
cp "$HERE/share/metainfo/org.encore.Encore.metainfo.xml" "$PREFIX/share/metainfo/"
for n in $SIZES; do
  mkdir -p "$PREFIX/share/icons/hicolor/${n}x${n}/apps"
  cp "$HERE/share/icons/hicolor/${n}x${n}/apps/encore.png" "$PREFIX/share/icons/hicolor/${n}x${n}/apps/"
done
mkdir -p "$PREFIX/share/icons/hicolor/scalable/apps"
cp "$HERE/share/icons/hicolor/scalable/apps/encore.svg" "$PREFIX/share/icons/hicolor/scalable/apps/"
refresh_caches

echo "Encore installed: $BIN (menu entry and icon under $PREFIX/share)."
if ! (command -v ldconfig >/dev/null 2>&1 && ldconfig -p 2>/dev/null | grep -q 'libvlc\.so\.5'); then
  echo "Note: libVLC was not found. Install it, e.g. sudo apt-get install libvlc5 vlc-plugin-base" >&2
fi
case ":$PATH:" in
  *":$PREFIX/bin:"*) ;;
  *) echo "Note: $PREFIX/bin is not on your PATH; start Encore from the menu or as $BIN." ;;
esac
