#!/usr/bin/env bash
# bench/compare.sh: rcon and OpenSSH side by side, in one run, on this machine (run as root).
# A throwaway sshd listens on 127.0.0.1 with its own host key, config and authorized_keys in a
# temporary directory; nothing of the system's ssh is touched, and it is stopped at the end. An
# rcon agent runs beside it with a fresh key. Prints a markdown table: both figures and the
# ratio (peer time / rcon time, so above 1 means rcon is faster). Only 127.0.0.1 is used.
#
#   [BULK_ROUNDS=5] bench/compare.sh [SIZE_MIB]     (bulk size, default 1024; the bulk and copy
#   rows are medians of BULK_ROUNDS interleaved rounds)
#
# Fan-out against pdsh is bench/fleet.sh's job (one agent in a network namespace standing in for
# 1000 hosts); a thousand sshd targets do not fit this box.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/bench/lib.sh"
size_mib=${1:-1024}
[ "$(id -u)" -eq 0 ] || { echo "compare.sh: run as root (it starts a throwaway sshd)" >&2; exit 1; }
need=()
for tool in /usr/sbin/sshd socat hyperfine; do command -v "$tool" >/dev/null || need+=("$tool"); done
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssh-server socat hyperfine >/dev/null
fi
[ -f "$top/console/target/rcon.jar" ] || (cd "$top" && mvn -B -q -DskipTests package)

work=$(mktemp -d)
pids=()
cleanup() {
  # The ssh ControlMaster forks into the background, so it is not among $pids.
  [ -S "$work/cm" ] && ssh -q -o ControlPath="$work/cm" -O exit root@127.0.0.1 2>/dev/null || true
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
chmod 700 "$work"

# --- the throwaway sshd -------------------------------------------------------------------
ssh_port=$((20000 + RANDOM % 20000))
ssh-keygen -q -t ed25519 -N '' -f "$work/host_key"
ssh-keygen -q -t ed25519 -N '' -f "$work/user_key"
cp "$work/user_key.pub" "$work/authorized_keys"
cat >"$work/sshd_config" <<EOF
ListenAddress 127.0.0.1
Port $ssh_port
HostKey $work/host_key
AuthorizedKeysFile $work/authorized_keys
PidFile $work/sshd.pid
StrictModes no
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
# Debian's bash reads ~/.bashrc for a command from sshd unless SHLVL says it is nested; rcon
# runs commands with sh -c and reads no rc file, so neither side pays for the remote user's rc files
# (a .bashrc that ran pyenv init added 0.44 s to every ssh command here).
SetEnv SHLVL=1
Subsystem sftp /usr/lib/openssh/sftp-server
EOF
mkdir -p /run/sshd
/usr/sbin/sshd -D -f "$work/sshd_config" -E "$work/sshd.log" &
pids+=($!)
ssh_opts=(-q -p "$ssh_port" -i "$work/user_key" -o BatchMode=yes -o StrictHostKeyChecking=no
  -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR)
for _ in $(seq 1 50); do ssh "${ssh_opts[@]}" root@127.0.0.1 true 2>/dev/null && break; sleep 0.1; done

# --- the rcon agent -----------------------------------------------------------------------
rcon=$top/bin/rcon
start_unit_agent "$work" "$work/rcon_key"
pids+=($agent)
rcon_port=$port
rcon_cmd=("$rcon" --host "127.0.0.1:$rcon_port" --key "$work/rcon_key" -n --)
"${rcon_cmd[@]}" true
await_class_data_archive
# Idle means idle: the unit's -XX:TrimNativeHeapInterval=5000 has had two passes. After one, the
# same agent read 48 to 53 MB as this script counts them (what C2 freed after its last compile not
# yet given back), after two and after four 46 to 47 MB.
sleep 11

rss_kib() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
agent_idle=$(rss_kib "$agent")
sshd_idle=$(rss_kib "$(cat "$work/sshd.pid")")

# secs CMD...: wall seconds of one run.
secs() { local s e; s=$(date +%s%N); "$@" >/dev/null; e=$(date +%s%N); echo "scale=3; ($e - $s) / 1000000000" | bc; }
mibs() { echo "scale=0; $size_mib / $1" | bc; }
ratio() { echo "scale=2; $1 / $2" | bc; }

bulk="head -c ${size_mib}M /dev/zero"
# An agent runs for months, so its JIT is warm; sshd forks a fresh process per connection and has
# none. One untimed 256 MiB transfer first, so the figure is the steady state, not the agent's
# first seconds of compiling (cold, the first transfer was about 20% slower here).
"${rcon_cmd[@]}" "head -c 256M /dev/zero" >/dev/null
socat_port=$((40000 + RANDOM % 20000))
socat -u "TCP-LISTEN:$socat_port,bind=127.0.0.1,reuseaddr,fork,rcvbuf=131072" OPEN:/dev/null &
pids+=($!)
sleep 0.3

# One transfer each was one sample of a box whose pace moves by a fifth between minutes: three
# runs of the bulk rows disagreed by 1.05 to 1.38 on the same code. BULK_ROUNDS rounds (default
# 5), each running every peer once, the order rotating; each row is the median.
rounds=${BULK_ROUNDS:-5}
bulk_cmds=(rcon ssh gcm socat)
declare -A bulk_t=()
for ((r = 0; r < rounds; r++)); do
  for ((k = 0; k < 4; k++)); do
    c=${bulk_cmds[$(((r + k) % 4))]}
    case $c in
      rcon) t=$(secs "${rcon_cmd[@]}" "$bulk") ;;
      ssh) t=$(secs ssh "${ssh_opts[@]}" root@127.0.0.1 "$bulk") ;;
      gcm) t=$(secs ssh "${ssh_opts[@]}" -c aes128-gcm@openssh.com root@127.0.0.1 "$bulk") ;;
      socat) t=$(secs sh -c "head -c ${size_mib}M /dev/zero | socat -u - TCP:127.0.0.1:$socat_port,sndbuf=131072") ;;
    esac
    bulk_t[$c]+=" $t"
  done
done
t_rcon=$(median ${bulk_t[rcon]}); t_ssh=$(median ${bulk_t[ssh]})
t_gcm=$(median ${bulk_t[gcm]}); t_socat=$(median ${bulk_t[socat]})
echo "bulk seconds per round: rcon${bulk_t[rcon]}; ssh${bulk_t[ssh]}; aes128-gcm${bulk_t[gcm]}; socat${bulk_t[socat]}" >&2

head -c $((size_mib / 2))M /dev/urandom >"$work/payload"
# The same for the agent's side of a put (decrypt, hash, write): the stdout transfer above warms
# none of it, and a fresh agent's first 512 MiB put was 15 to 20% slower than its second.
head -c 128M "$work/payload" >"$work/warm"
"$rcon" put --host "127.0.0.1:$rcon_port" --key "$work/rcon_key" "$work/warm" "$work/warm.bin" >/dev/null
rm -f "$work/warm.bin"
# The copies alternate which goes first; each leaves its file's pages to be written back, which
# the kernel does during the next seconds on these cores, so each round ends with a sync.
put_t=(); scp_t=()
put_once() { put_t+=("$(secs "$rcon" put --host "127.0.0.1:$rcon_port" --key "$work/rcon_key" "$work/payload" "$work/put.bin")"); }
scp_once() {
  scp_t+=("$(secs scp -q -P "$ssh_port" -i "$work/user_key" -o BatchMode=yes -o StrictHostKeyChecking=no \
    -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR "$work/payload" "root@127.0.0.1:$work/scp.bin")")
}
for ((r = 0; r < rounds; r++)); do
  if ((r % 2)); then scp_once; put_once; else put_once; scp_once; fi
  rm -f "$work/put.bin" "$work/scp.bin" && sync
done
t_put=$(median "${put_t[@]}"); t_scp=$(median "${scp_t[@]}")
echo "copy seconds per round: put ${put_t[*]}; scp ${scp_t[*]}" >&2

# interleaved NAME CMD...: each command 15 times, in three rounds of five that rotate which goes
# first, so that the box's pace, which moves by a quarter between minutes on this shared host,
# weighs on each alike (one series of fifteen each, in order, had put rcon's first); prints each
# command's median in ms, in order.
interleaved() {
  local name=$1 round order; shift
  local cmds=("$@")
  for round in 0 1 2; do
    order=("${cmds[@]:round}" "${cmds[@]:0:round}")
    hyperfine -N -w 1 -r 5 --export-json "$work/$name-$round.json" "${order[@]}" >/dev/null
  done
  python3 - "$work/$name" "${cmds[@]}" <<'PY'
import json, statistics, sys
base, cmds = sys.argv[1], sys.argv[2:]
times = {c: [] for c in cmds}
for r in range(3):
    for result in json.load(open(f"{base}-{r}.json"))["results"]:
        times[result["command"]] += result["times"]
print(" ".join("%.0f" % (statistics.median(times[c]) * 1000) for c in cmds))
PY
}
read -r c_rcon c_ssh c_x25519 < <(interleaved cold "$(printf '%q ' "${rcon_cmd[@]}") true" \
  "ssh $(printf '%q ' "${ssh_opts[@]}") root@127.0.0.1 true" \
  "ssh $(printf '%q ' "${ssh_opts[@]}") -o KexAlgorithms=curve25519-sha256 root@127.0.0.1 true")

# As a script runs them: stdin an open pipe that never ends (a CI job, a pipeline), which both
# forward. A console that leaves a thread blocked reading it must not make its exit wait for that.
mkfifo "$work/stdin"
exec 3<>"$work/stdin"
printf '#!/bin/sh\nexec %s true <%q\n' "$(printf '%q ' "$rcon" --host "127.0.0.1:$rcon_port" --key "$work/rcon_key" --)" \
  "$work/stdin" >"$work/rcon-piped"
printf '#!/bin/sh\nexec ssh %s root@127.0.0.1 true <%q\n' "$(printf '%q ' "${ssh_opts[@]}")" "$work/stdin" >"$work/ssh-piped"
chmod +x "$work/rcon-piped" "$work/ssh-piped"
read -r p_rcon p_ssh < <(interleaved piped "$work/rcon-piped" "$work/ssh-piped")
exec 3>&-

# Warm `true` in an open session: ssh through a ControlMaster (each run still starts the ssh
# client: that is how a script uses it), rcon through one session (bench/WarmSession.java).
ssh "${ssh_opts[@]}" -o ControlMaster=yes -o ControlPath="$work/cm" -o ControlPersist=120 -fN root@127.0.0.1
hyperfine -N -w 5 -r 100 --export-json "$work/warm.json" \
  "ssh $(printf '%q ' "${ssh_opts[@]}") -o ControlPath=$work/cm root@127.0.0.1 true" >/dev/null
w_ssh=$(python3 -c "import json;print('%.2f' % (json.load(open('$work/warm.json'))['results'][0]['median']*1000))")
w_rcon=$(java -cp "$top/console/target/rcon.jar" "$top/bench/WarmSession.java" "127.0.0.1:$rcon_port" "$work/rcon_key" 300 \
  | sed -n 's/.*median \([0-9.]*\) ms.*/\1/p')

for _ in $(seq 1 20); do "${rcon_cmd[@]}" true; done
agent_20=$(rss_kib "$agent")

echo "rcon vs OpenSSH on $(hostname), $(nproc) cores, $(date -u +%Y-%m-%d); $(java -version 2>&1 | head -1); $(ssh -V 2>&1)"
echo
echo "| work | OpenSSH (or peer) | rcon | ratio (peer/rcon) |"
echo "|---|---|---|---|"
echo "| ${size_mib} MiB stdout, ssh default cipher (median of $rounds, interleaved) | $(mibs "$t_ssh") MiB/s | $(mibs "$t_rcon") MiB/s | $(ratio "$t_ssh" "$t_rcon") |"
echo "| ${size_mib} MiB stdout, ssh aes128-gcm | $(mibs "$t_gcm") MiB/s | $(mibs "$t_rcon") MiB/s | $(ratio "$t_gcm" "$t_rcon") |"
echo "| ${size_mib} MiB over raw TCP (socat, 128 KiB buffers) | $(mibs "$t_socat") MiB/s | $(mibs "$t_rcon") MiB/s | $(ratio "$t_socat" "$t_rcon") |"
echo "| put $((size_mib / 2)) MiB vs scp (median of $rounds, interleaved) | $(echo "scale=0; $size_mib / 2 / $t_scp" | bc) MiB/s | $(echo "scale=0; $size_mib / 2 / $t_put" | bc) MiB/s | $(ratio "$t_scp" "$t_put") |"
echo "| cold one-shot \`true\`, ssh default kex (median of 15, interleaved) | ${c_ssh} ms | ${c_rcon} ms | $(ratio "$c_ssh" "$c_rcon") |"
echo "| cold one-shot \`true\`, ssh curve25519 | ${c_x25519} ms | ${c_rcon} ms | $(ratio "$c_x25519" "$c_rcon") |"
echo "| cold one-shot \`true\`, stdin an open pipe as in a script (median of 15, interleaved) | ${p_ssh} ms | ${p_rcon} ms | $(ratio "$p_ssh" "$p_rcon") |"
echo "| warm \`true\` in an open session (ssh: ControlMaster, client start included) | ${w_ssh} ms | ${w_rcon} ms | $(ratio "$w_ssh" "$w_rcon") |"
echo "| resident memory idle: sshd listener vs agent | $((sshd_idle / 1024)) MB | $((agent_idle / 1024)) MB | $(ratio "$sshd_idle" "$agent_idle") |"
echo "| agent resident memory after 20 commands | | $((agent_20 / 1024)) MB | |"
