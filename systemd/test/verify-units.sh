#!/usr/bin/env bash
# systemd-analyze verify must print nothing at all for the unit, with and without the restricted
# drop-in (it exits 0 on many mistakes and only warns, so its output is what is checked).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
command -v systemd-analyze >/dev/null || { apt-get update -qq && apt-get install -y -qq systemd >/dev/null; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cp "$here/rcon-agent.service" "$dir/"
check() {
  local out
  out=$(cd "$dir" && SYSTEMD_UNIT_PATH="$dir:" systemd-analyze verify rcon-agent.service 2>&1) || true
  if [ -n "$out" ]; then
    echo "verify-units: FAIL: systemd-analyze verify ($1) printed:" >&2
    echo "$out" >&2
    exit 1
  fi
  echo "verify-units: ok: $1: systemd-analyze verify printed nothing;" \
    "$(cd "$dir" && SYSTEMD_UNIT_PATH="$dir:" systemd-analyze security --offline=yes rcon-agent.service 2>/dev/null | tail -1 | sed 's/^→ //')"
}
check "default unit"
mkdir "$dir/rcon-agent.service.d"
cp "$here/restricted.conf" "$dir/rcon-agent.service.d/"
check "with restricted.conf"
