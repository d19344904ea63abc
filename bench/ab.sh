#!/usr/bin/env bash
# Interleaved A/B of two consoles against one warm agent: bulk stdout, put or get.
#
#   bench/ab.sh [stdout|put|get] [ROUNDS] [SIZE]      (defaults: stdout 8 256M)
#
# A and B differ by their console JVM options (A_OPTS, B_OPTS: RCON_JAVA_OPTS, added after
# bin/rcon's own) or by their trees (A_TREE, B_TREE: source trees built with `mvn package`;
# default this one). Runs alternate which side goes first, since on a busy box the second of a
# pair was up to a quarter slower whichever it was; compare the medians, and only within one run.
# The agent runs under the unit's JVM flags and is warmed first by an untimed transfer of the
# same kind, as an agent that has run for a while would be. Network: 127.0.0.1 only.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/bench/lib.sh"
what=${1:-stdout}
rounds=${2:-8}
size=${3:-256M}
case $what in stdout | put | get) ;; *) echo "ab.sh: expected stdout, put or get but got '$what'" >&2; exit 2 ;; esac
case $rounds in '' | *[!0-9]* | 0) echo "ab.sh: ROUNDS must be a positive number, got '$rounds'" >&2; exit 2 ;; esac
a_tree=${A_TREE:-$top}
b_tree=${B_TREE:-$top}
for tree in "$a_tree" "$b_tree"; do
  [ -f "$tree/console/target/rcon.jar" ] || { echo "ab.sh: no console jar in $tree (mvn -B -DskipTests package)" >&2; exit 2; }
done

work=$(mktemp -d)
agent=
cleanup() { [ -n "$agent" ] && kill "$agent" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
chmod 700 "$work"
start_unit_agent "$work" "$work/key"
host=127.0.0.1:$port
[ "$what" = stdout ] || head -c "$size" /dev/urandom >"$work/payload"

# transfer TREE OPTS: one transfer of the chosen kind, its output thrown away.
transfer() {
  local r=$1/bin/rcon
  case $what in
    stdout) RCON_JAVA_OPTS=$2 "$r" --host "$host" --key "$work/key" -n -- "head -c $size /dev/zero" ;;
    put) RCON_JAVA_OPTS=$2 "$r" put --host "$host" --key "$work/key" "$work/payload" "$work/put.bin" ;;
    get) RCON_JAVA_OPTS=$2 "$r" get --host "$host" --key "$work/key" "$work/payload" "$work/got.bin" ;;
  esac >/dev/null
  rm -f "$work/got.bin"
}

export -f transfer
export what host work size
transfer "$a_tree" "${A_OPTS:-}"
transfer "$b_tree" "${B_OPTS:-}"
await_class_data_archive
one() { # SIDE: prints "SIDE wall user sys" of one transfer
  local tree opts
  if [ "$1" = A ]; then tree=$a_tree opts=${A_OPTS:-}; else tree=$b_tree opts=${B_OPTS:-}; fi
  /usr/bin/time -f "$1 %e %U %S" -o "$work/time" bash -c 'transfer "$0" "$1"' "$tree" "$opts"
  tee -a "$work/times" <"$work/time"
}
echo "side wall_s console_user_s console_sys_s ($what of $size, $rounds rounds each)"
for i in $(seq 1 "$rounds"); do
  if ((i % 2)); then one A; one B; else one B; one A; fi
done
for side in A B; do
  awk -v s="$side" '$1 == s {print $2}' "$work/times" | sort -n | awk -v s="$side" '
    {v[NR] = $1} END {m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
      printf "%s median %.3f s (%.2f to %.2f)\n", s, m, v[1], v[NR]}'
done
