#!/usr/bin/env bash
# Install everything PeerReview needs on a Debian or Ubuntu machine with Python 3.11+, idempotently.
#   scripts/setup.sh          the app (Qt's system libraries, fonts, a virtual environment in .venv)
#   scripts/setup.sh --test   the same, plus the test tools (pytest, pytest-qt, hypothesis, pdftoppm, Xvfb,
#                             LibreOffice to open the Word reports as a reader would)
set -euo pipefail
cd "$(dirname "$0")/.."

extras=""
debs=(python3-venv libegl1 libgl1 libfontconfig1 libfreetype6 libglib2.0-0 libdbus-1-3 libxkbcommon0
      libxkbcommon-x11-0 libx11-xcb1 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
      libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 fonts-dejavu-core)
if [ "${1:-}" = "--test" ]; then
  extras="[test]"
  debs+=(poppler-utils xvfb libreoffice-writer-nogui)
fi

missing=()
for pkg in "${debs[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "Installing system packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

python3 - <<'PY'
import sys
if sys.version_info < (3, 11):
    sys.exit(f"PeerReview needs Python 3.11 or newer; this machine has {sys.version.split()[0]}.")
PY
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip >/dev/null
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".${extras}"
