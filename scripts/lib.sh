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

# supervise NAME LOG COMMAND...: run COMMAND (output to LOG) and run it again whenever it dies,
# saying so on stderr with the end of LOG. Meant to run in the background; TERM, INT (the terminal's Ctrl-C reaches it too) or HUP stops it and COMMAND.
# COMMAND gets a session of its own: it is not hit by the terminal's Ctrl-C, and what it leaves
# behind when it dies (a Celery worker's pool and beat processes) is killed with it.
supervise() {
  local name="$1" log="$2" status
  shift 2
  # Globals, not locals: bash runs the trap outside the function's variables.
  SUPERVISE_STOPPING=
  # Its own process group, or the process itself when the signal comes before it could make one.
  trap 'SUPERVISE_STOPPING=1; kill -TERM -- "-$SUPERVISED_PID" 2>/dev/null || kill -TERM "$SUPERVISED_PID"' TERM INT HUP
  while [ -z "$SUPERVISE_STOPPING" ]; do
    setsid "$@" >>"$log" 2>&1 &
    SUPERVISED_PID=$!
    echo "$name started (pid $SUPERVISED_PID, log: $log)."
    { wait "$SUPERVISED_PID" && status=0 || status=$?; } 2>/dev/null # bash's own "Killed" notice: ours follows
    if [ -n "$SUPERVISE_STOPPING" ]; then
      wait "$SUPERVISED_PID" 2>/dev/null || true # the trap interrupted the wait: let it finish stopping
      return 0
    fi
    kill -KILL -- "-$SUPERVISED_PID" 2>/dev/null || true
    echo "!! $name died (exit status $status) at $(date -u +%H:%M:%S) UTC; restarting it. Last lines of $log:" >&2
    tail -n "${SUPERVISE_LOG_LINES:-15}" "$log" | sed 's/^/!!   /' >&2
    sleep "${SUPERVISE_RESTART_DELAY:-2}"
  done
}
