# Shared by scripts/demo and scripts/test: find Python >= 3.12 and keep .venv in step with requirements.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

find_python() {
  local candidate
  for candidate in python3.13 python3.12 /root/.pyenv/versions/3.13.*/bin/python3.13 \
      /root/.pyenv/versions/3.12.*/bin/python3.12 /usr/bin/python3 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
        "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
      command -v "$candidate"
      return 0
    fi
  done
  echo "Onramp needs Python 3.12 or newer (Django 6). None was found: install python3.12 (or 3.13)," >&2
  echo "or put it on PATH, and run this again." >&2
  return 1
}

# Install the given requirements file into .venv, only when it changed since the last install.
ensure_venv() {
  local requirements="$1" python stamp
  if [ ! -x .venv/bin/python ]; then
    python="$(find_python)"
    echo "Creating .venv with $python"
    "$python" -m venv .venv
  fi
  stamp=".venv/.installed-$(cat requirements*.txt | sha256sum | cut -c1-16)-$(basename "$requirements")"
  if [ ! -f "$stamp" ]; then
    echo "Installing $requirements into .venv"
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$requirements" 2>&1 |
      grep -v "is ignored" || true
    .venv/bin/python -c "import django" # fail loudly if the install did not work
    touch "$stamp"
  fi
}

apt_install() {
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  [ -n "${APT_UPDATED:-}" ] || { $SUDO apt-get update -qq; APT_UPDATED=1; }
  $SUDO apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-upgrade "$@"
}
