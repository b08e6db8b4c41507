#!/usr/bin/env bash
# Builds the one-folder bundle and a .deb for Debian-based desktops (Debian, Ubuntu, Kylin, UOS).
#   packaging/build-linux.sh            → dist/hotline-desk/ and dist/hotline-desk_<version>_<arch>.deb
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/bootstrap.sh"
cd "$ROOT"
python -m pip install -q "pyinstaller>=6.10,<7" >/dev/null
pyinstaller --noconfirm --clean --distpath dist --workpath build packaging/hotline_desk.spec >build/pyinstaller.log 2>&1 \
  || { tail -30 build/pyinstaller.log; exit 1; }

version="$(python -c 'import tomllib;print(tomllib.load(open("pyproject.toml","rb"))["project"]["version"])')"
arch="$(dpkg --print-architecture)"
pkg="build/deb/hotline-desk_${version}_${arch}"
rm -rf "$pkg"
mkdir -p "$pkg/DEBIAN" "$pkg/opt" "$pkg/usr/bin" "$pkg/usr/share/applications"
cp -a dist/hotline-desk "$pkg/opt/hotline-desk"
ln -s /opt/hotline-desk/hotline-desk "$pkg/usr/bin/hotline-desk-gui"
cp packaging/debian/hotline-desk.desktop "$pkg/usr/share/applications/"
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" \
    -e "s/@SIZE@/$(du -sk "$pkg/opt" | cut -f1)/" packaging/debian/control.in >"$pkg/DEBIAN/control"
dpkg-deb --root-owner-group --build "$pkg" "dist/hotline-desk_${version}_${arch}.deb" >/dev/null
echo "built dist/hotline-desk/ and dist/hotline-desk_${version}_${arch}.deb"
