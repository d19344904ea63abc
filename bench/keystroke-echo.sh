#!/usr/bin/env bash
# Keystroke echo benchmark: the median round trip of one typed byte through a remote terminal
# (console -> agent -> pty -> cat -> pty -> agent -> console) on loopback. Starts an agent on
# 127.0.0.1 (a free port) with a fresh key in a temporary directory, runs bench/KeystrokeEcho.java
# against it, and cleans up. Run after `mvn -B -DskipTests package`. SAMPLES=N (default 2000).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
[ -f "$top/console/target/rcon.jar" ] && [ -f "$top/agent/target/rcon-agent.jar" ] \
  || { echo "keystroke-echo.sh: build first: mvn -B -DskipTests package" >&2; exit 1; }
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
work=$(mktemp -d)
agent=
cleanup() {
  [ -n "$agent" ] && kill "$agent" 2>/dev/null && wait "$agent" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
# keygen prints no key line (the fleet key never leaves the console); the agent holds the key
# derived for the label it is dialled by, as every enrolled host does.
"$top/bin/rcon" keygen --name bench -o "$work/key" >/dev/null
"$top/bin/rcon" authorize --key "$work/key" 127.0.0.1 >"$work/authorized_keys"
chmod 600 "$work/authorized_keys"
mkfifo "$work/listening"
"$top/bin/rcon-agent" --listen 127.0.0.1:0 --authorized-keys "$work/authorized_keys" --audit-file "$work/audit.jsonl" \
  >"$work/listening" 2>"$work/agent.log" &
agent=$!
read -r line <"$work/listening" || { cat "$work/agent.log" >&2; exit 1; }
port=${line##*:}
"$java" --enable-native-access=ALL-UNNAMED -cp "$top/console/target/rcon.jar" "$top/bench/KeystrokeEcho.java" \
  "127.0.0.1:$port" "$work/key" "${SAMPLES:-2000}"
