#!/usr/bin/env bash
# Fleet benchmark: wall time and peak memory (RSS) of the console running `true` and `hostname`
# on 100 and 1000 hosts at fanout 64 and 256. One agent listens on 0.0.0.0 inside a private
# network namespace this script creates, where 127.0.0.1..127.0.3.232 are 1000 distinct hosts;
# no traffic leaves the namespace. Needs root, ip (iproute2) and GNU time; run after
# `mvn -B -DskipTests package`. Prints a markdown table; RUNS=N repeats each cell (median kept).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
runs=${RUNS:-3}
[ "$(id -u)" -eq 0 ] || { echo "fleet.sh: must run as root (it makes a network namespace)" >&2; exit 1; }
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
[ -f "$top/console/target/rcon.jar" ] || { echo "fleet.sh: build first: mvn -B -DskipTests package" >&2; exit 1; }

ns=rcon-bench-$$
work=$(mktemp -d)
agent=
cleanup() {
  [ -n "$agent" ] && kill "$agent" 2>/dev/null && wait "$agent" 2>/dev/null
  ip netns del "$ns" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
ip netns add "$ns"
ip netns exec "$ns" ip link set lo up

hosts_100="127.0.0.[1-100]"
hosts_1000="127.0.0.[1-255],127.0.[1-2].[0-255],127.0.3.[0-232]"
# One agent stands in for every host, so it holds each host's own derived key.
"$top/bin/rcon" keygen --name bench -o "$work/key" >/dev/null
"$top/bin/rcon" authorize --key "$work/key" "$hosts_1000" >"$work/authorized_keys"
chmod 600 "$work/authorized_keys"
cat >"$work/agent.json" <<JSON
{"listen": ["0.0.0.0:5022"], "authorized_keys": "$work/authorized_keys",
 "max_sessions": 4096, "max_unauthenticated": 4096, "max_unauthenticated_per_peer": 4096,
 "max_unauthenticated_per_network": 4096, "penalty_failures": 100000, "handshake_timeout_ms": 30000,
 "audit_file": "$work/audit.jsonl"}
JSON
ip netns exec "$ns" "$top/bin/rcon-agent" --config "$work/agent.json" >"$work/agent.out" 2>"$work/agent.log" &
agent=$!
for _ in $(seq 1 100); do grep -q listening "$work/agent.out" && break; sleep 0.1; done
grep -q listening "$work/agent.out" || { cat "$work/agent.log" >&2; exit 1; }

# Warm the agent's JIT so that the first cell does not pay for it.
ip netns exec "$ns" "$top/bin/rcon" -H "$hosts_1000" --key "$work/key" --fanout 256 -b -- true >/dev/null 2>&1

echo "| command | hosts | fanout | wall time (s) | console peak RSS (MiB) | result |"
echo "|---|---|---|---|---|---|"
for cmd in true hostname; do
  for n in 100 1000; do
    list=$([ "$n" = 100 ] && echo "$hosts_100" || echo "$hosts_1000")
    for fanout in 64 256; do
      samples=()
      for _ in $(seq 1 "$runs"); do
        ip netns exec "$ns" /usr/bin/time -f '%e %M' -o "$work/time" \
          "$top/bin/rcon" -H "$list" --key "$work/key" --fanout "$fanout" -b -- "$cmd" >/dev/null 2>"$work/err" || true
        samples+=("$(cat "$work/time")")
      done
      median=$(printf '%s\n' "${samples[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
      result=$(grep -o '[0-9]* ok, [0-9]* failed' "$work/err" | head -1)
      awk -v c="$cmd" -v n="$n" -v f="$fanout" -v r="$result" '{printf "| %s | %s | %s | %.2f | %.0f | %s |\n", c, n, f, $1, $2/1024, r}' <<<"$median"
    done
  done
done
echo
echo "Machine: $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo) RAM," \
  "$(awk -F': ' '/model name/{print $2; exit}' /proc/cpuinfo), $(java -version 2>&1 | head -1)"
