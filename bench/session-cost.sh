#!/usr/bin/env bash
# Agent memory per idle session and per running command: one agent under the systemd unit's JVM
# flags on 127.0.0.1, N idle sessions (the line shell reading from a pipe that stays open), then
# N sessions each running `sleep`; prints the resident-set growth per session and the threads
# each adds. Run after `mvn -B -DskipTests package`. N=20 by default; only 127.0.0.1 is used.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/bench/lib.sh"
n=${N:-20}
[ -f "$top/agent/target/rcon-agent.jar" ] || { echo "session-cost.sh: build first: mvn -B -DskipTests package" >&2; exit 1; }
work=$(mktemp -d)
chmod 700 "$work"
agent=
cleanup() {
  pkill -f -- "--key $work/key" 2>/dev/null || true
  [ -n "$agent" ] && kill "$agent" 2>/dev/null && wait "$agent" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
rcon=$top/bin/rcon
start_unit_agent "$work" "$work/key"
r=("$rcon" --host "127.0.0.1:$port" --key "$work/key")
rss() { awk '/VmRSS/ {print $2}' "/proc/$agent/status"; }
threads() { ls "/proc/$agent/task" | wc -l; }
sessions() { grep -c "auth ok" "$work/agent.log" || true; }
# await COUNT: until COUNT sessions have authenticated, then past a native-heap trim.
await() { for _ in $(seq 1 240); do [ "$(sessions)" -ge "$1" ] && break; sleep 0.5; done; sleep 11; }

for _ in 1 2 3; do "${r[@]}" -n -- true; done
await 3
base=$(rss); base_threads=$(threads)
for _ in $(seq 1 "$n"); do (sleep 120 | "${r[@]}" -T >/dev/null 2>&1 &); done
await $((n + 3))
idle=$(rss); idle_threads=$(threads)
for _ in $(seq 1 "$n"); do ("${r[@]}" -n -- sleep 120 >/dev/null 2>&1 &); done
await $((2 * n + 3))
running=$(rss); running_threads=$(threads)

echo "agent idle: $((base / 1024)) MB, $base_threads threads"
echo "per idle session: $(((idle - base) / n)) KB, $(((idle_threads - base_threads) * 10 / n)) tenths of a thread"
echo "per session running one command: $(((running - idle) / n)) KB, $(((running_threads - idle_threads) * 10 / n)) tenths of a thread"
