#!/usr/bin/env bash
# Fleet benchmark: wall time and peak memory (RSS) of the console running `true` and `hostname`
# on 100 and 1000 hosts at fanout 64 and 256. One agent listens on 0.0.0.0 inside a private
# network namespace this script creates, where 127.0.0.1..127.0.3.232 are 1000 distinct hosts;
# no traffic leaves the namespace. Beside it, in the same namespace and the same run, a
# throwaway sshd stands in for the same hosts for pdsh (-R ssh, same fanouts): the peer's figure
# and the ratio (pdsh time / rcon time, above 1 means rcon is faster). Needs root, ip (iproute2)
# and GNU time (installs pdsh and openssh-server with apt-get if missing); run after
# `mvn -B -DskipTests package`. Prints a markdown table; RUNS=N repeats each cell (median kept).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/bench/lib.sh"
runs=${RUNS:-3}
[ "$(id -u)" -eq 0 ] || { echo "fleet.sh: must run as root (it makes a network namespace)" >&2; exit 1; }
if [ ! -x /usr/bin/time ] || ! command -v pdsh >/dev/null || [ ! -x /usr/sbin/sshd ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time pdsh openssh-server >/dev/null
fi
[ -f "$top/console/target/rcon.jar" ] && [ -f "$top/agent/target/rcon-agent.jar" ] || { echo "fleet.sh: build first: mvn -B -DskipTests package" >&2; exit 1; }

ns=rcon-bench-$$
work=$(mktemp -d)
agent=
sshd=
cleanup() {
  [ -n "$agent" ] && kill "$agent" 2>/dev/null && wait "$agent" 2>/dev/null
  [ -n "$sshd" ] && kill "$sshd" 2>/dev/null && wait "$sshd" 2>/dev/null
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
# As under the unit: its JVM flags, no signal ignored (a background job of a script ignores
# INT, and the agent would then add an env(1) to every command to reset it), and each command in
# a cgroup of its own where this host allows one. nsenter enters the network namespace alone:
# `ip netns exec` also gives a mount namespace without /sys/fs/cgroup, where the agent falls back
# to process groups, which skip the cgroup's work on every command.
unit_agent "$work/agent.json"
nsenter --net="/run/netns/$ns" env --default-signal "${unit_agent[@]}" >"$work/agent.out" 2>"$work/agent.log" &
agent=$!
for _ in $(seq 1 100); do grep -q listening "$work/agent.out" && break; sleep 0.1; done
grep -q listening "$work/agent.out" || { cat "$work/agent.log" >&2; exit 1; }

# The peer: a throwaway sshd on 0.0.0.0:2222 in the namespace, its own keys in $work.
ssh-keygen -q -t ed25519 -N '' -f "$work/host_key"
ssh-keygen -q -t ed25519 -N '' -f "$work/user_key"
cat >"$work/sshd_config" <<SSHD
ListenAddress 0.0.0.0
Port 2222
HostKey $work/host_key
AuthorizedKeysFile $work/user_key.pub
PidFile $work/sshd.pid
StrictModes no
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
# Debian's bash reads ~/.bashrc for a command from sshd unless SHLVL says it is nested; rcon
# runs commands with sh -c and reads no rc file, so neither side pays for the remote user's rc files
# (a .bashrc that ran pyenv init added 0.44 s to every ssh command here).
SetEnv SHLVL=1
MaxStartups 4096
SSHD
mkdir -p /run/sshd
ip netns exec "$ns" /usr/sbin/sshd -D -f "$work/sshd_config" -E "$work/sshd.log" &
sshd=$!
export PDSH_SSH_ARGS_APPEND="-p 2222 -i $work/user_key -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -o BatchMode=yes"
for _ in $(seq 1 50); do ip netns exec "$ns" ssh $PDSH_SSH_ARGS_APPEND root@127.0.0.1 true 2>/dev/null && break; sleep 0.1; done

# pdsh_list LIST: the same hosts in pdsh's range syntax (no commas inside brackets).
pdsh_list() { echo "$1" | sed 's/127\.0\.\[1-2\]\.\[0-255\]/127.0.1.[0-255],127.0.2.[0-255]/'; }

# pdsh_seconds LIST FANOUT CMD: the median wall time of pdsh over RUNS runs.
pdsh_seconds() {
  local samples=()
  for _ in $(seq 1 "$runs"); do
    ip netns exec "$ns" /usr/bin/time -f '%e' -o "$work/ptime" \
      pdsh -R ssh -l root -f "$2" -w "$1" "$3" >/dev/null 2>>"$work/pdsh.err" || true
    samples+=("$(cat "$work/ptime")")
  done
  median "${samples[@]}"
}

# Warm the agent's JIT so that the first cell does not pay for it.
ip netns exec "$ns" "$top/bin/rcon" -H "$hosts_1000" --key "$work/key" --fanout 256 -b -- true >/dev/null 2>&1
await_class_data_archive

echo "| command | hosts | fanout | rcon wall time (s) | console peak RSS (MiB) | result | pdsh -R ssh (s) | ratio (pdsh/rcon) |"
echo "|---|---|---|---|---|---|---|---|"
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
      peer=$(pdsh_seconds "$(pdsh_list "$list")" "$fanout" "$cmd")
      awk -v c="$cmd" -v n="$n" -v f="$fanout" -v r="$result" -v p="$peer" \
        '{printf "| %s | %s | %s | %.2f | %.0f | %s | %.2f | %.1f |\n", c, n, f, $1, $2/1024, r, p, p/$1}' <<<"$median"
    done
  done
done
echo
echo "Agent: $(sed -n 's/^<[0-9]>//; /^commands run in/p' "$work/agent.log" | head -1)."
echo "Machine: $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo) RAM," \
  "$(awk -F': ' '/model name/{print $2; exit}' /proc/cpuinfo), $(java -version 2>&1 | head -1)"
