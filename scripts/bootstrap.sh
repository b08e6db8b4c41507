#!/usr/bin/env bash
# Sourced by run-desk and run-tests: makes sure the system packages and the project's
# virtualenv (.venv) exist. Safe to run again; it only installs what is missing.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${HOTLINE_VENV:-$ROOT/.venv}"

need_apt=()
command -v python3 >/dev/null || need_apt+=(python3)
python3 -c 'import venv, ensurepip' 2>/dev/null || need_apt+=(python3-venv)
# read the lists once: `cmd | grep -q` under pipefail fails when grep quits early (SIGPIPE)
fonts="$(fc-list 2>/dev/null || true)"
libs="$(ldconfig -p 2>/dev/null || true)"
grep -qi 'Noto Sans CJK\|WenQuanYi' <<<"$fonts" || need_apt+=(fonts-noto-cjk)
for lib in libEGL.so.1 libxkbcommon.so.0 libfontconfig.so.1 libdbus-1.so.3 libGL.so.1 libxcb-cursor.so.0 libxkbcommon-x11.so.0; do
  grep -q "$lib" <<<"$libs" || need_apt+=("$lib")
done
if [ "${HOTLINE_NEEDS_POSTGRES:-0}" = 1 ] && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null; then
  need_apt+=(postgresql)
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  # map library file names to Debian package names
  pkgs=()
  for p in "${need_apt[@]}"; do
    case "$p" in
      libEGL.so.1) pkgs+=(libegl1) ;;
      libGL.so.1) pkgs+=(libgl1) ;;
      libxkbcommon.so.0) pkgs+=(libxkbcommon0) ;;
      libxkbcommon-x11.so.0) pkgs+=(libxkbcommon-x11-0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-xkb1 libxcb-shape0 libxcb-randr0) ;;
      libfontconfig.so.1) pkgs+=(libfontconfig1) ;;
      libdbus-1.so.3) pkgs+=(libdbus-1-3) ;;
      libxcb-cursor.so.0) pkgs+=(libxcb-cursor0) ;;
      *) pkgs+=("$p") ;;
    esac
  done
  echo "bootstrap: installing system packages: ${pkgs[*]}" >&2
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${pkgs[@]}" >/dev/null
fi

stamp="$VENV/.hotline-installed"
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
fi
if [ ! -f "$stamp" ] || [ "$ROOT/pyproject.toml" -nt "$stamp" ]; then
  echo "bootstrap: installing the project into $VENV (log: $VENV/install.log)" >&2
  if ! "$VENV/bin/python" -m pip install -e "$ROOT[test]" >"$VENV/install.log" 2>&1; then
    tail -n 30 "$VENV/install.log" >&2
    echo "bootstrap: pip install failed (full log: $VENV/install.log)" >&2
    exit 1
  fi
  touch "$stamp"
fi
export PATH="$VENV/bin:$PATH"
