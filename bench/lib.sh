# Sourced by the benchmarks (after they set $top): what more than one of them needs.

# The JVM flags of systemd/rcon-agent.service, read from it into the array unit_flags (read -a
# splits without globbing the CompileCommand patterns).
read_unit_flags() {
  read -ra unit_flags <<<"$(sed -n 's|^ExecStart=/usr/bin/java \(.*\) -cp .*|\1|p' "$top/systemd/rcon-agent.service")"
  # JLine's native library is extracted into the unit's cache directory, the installed agent's
  # (absent here: no terminal, no close-on-exec marks); the benchmarks' own instead.
  local cache=${XDG_CACHE_HOME:-$HOME/.cache}/rcon-bench
  mkdir -p "$cache" && chmod 700 "$cache"
  unit_flags=("${unit_flags[@]/#-Djline.tmpdir=*/-Djline.tmpdir=$cache}")
}

# unit_agent CONFIG: the array unit_agent, the unit's command line with the built jar and CONFIG
# for /etc/rcon/agent.json, so that an agent started by a benchmark runs exactly as under the
# unit (its entry, ServiceMain, loads no command-line parser: 3.5 MB of an idle agent).
# Its class-data archive is recorded as the unit's ExecStartPre records it, in a cache directory of
# the benchmarks' own (the unit's path, /var/cache/rcon-agent, is the installed agent's).
unit_agent() {
  read_unit_flags
  local archive=${XDG_CACHE_HOME:-$HOME/.cache}/rcon-bench/agent-classes.jsa
  mkdir -p "${archive%/*}" && chmod 700 "${archive%/*}"
  java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp "$top/agent/target/rcon-agent.jar" \
    dev.rcon.agent.archive.ClassArchive "$archive" >&2 || true
  unit_flags=("${unit_flags[@]/#-XX:SharedArchiveFile=*/-XX:SharedArchiveFile=$archive}")
  unit_agent=(java "${unit_flags[@]}" -cp "$top/agent/target/rcon-agent.jar" dev.rcon.agent.ServiceMain "$1")
}

# start_unit_agent DIR KEY: a new key KEY, and an agent in the background that accepts it on
# 127.0.0.1 (its authorized keys in KEY.authorized, beside the key, never DIR/authorized_keys:
# compare.sh's sshd reads that one), started as the unit starts it (no signal ignored, as under systemd: a background job
# of a script ignores INT) from DIR/agent.json, its output in DIR/agent.out and DIR/agent.log.
# Sets agent (its pid) and port, or exits when it did not start.
start_unit_agent() {
  local dir=$1 key=$2
  "$top/bin/rcon" keygen --name bench -o "$key" >/dev/null
  "$top/bin/rcon" authorize --key "$key" 127.0.0.1 >"$key.authorized"
  chmod 600 "$key.authorized"
  printf '{"listen": ["127.0.0.1:0"], "authorized_keys": "%s", "audit_file": "%s"}\n' \
    "$key.authorized" "$dir/audit.jsonl" >"$dir/agent.json"
  unit_agent "$dir/agent.json"
  env --default-signal "${unit_agent[@]}" >"$dir/agent.out" 2>"$dir/agent.log" &
  agent=$!
  for _ in $(seq 1 100); do grep -q listening "$dir/agent.out" 2>/dev/null && break; sleep 0.1; done
  port=$(sed -n 's/^listening on .*://p' "$dir/agent.out" | head -1)
  [ -n "$port" ] || { echo "$(basename "$0"): the agent did not start: $(head -c 300 "$dir/agent.log")" >&2; exit 1; }
}

# bin/rcon records its class-data archive in the background on a new jar: time nothing until the
# recording is done (at most 60 s), and say so when there is no archive to start from.
await_class_data_archive() {
  local cache=${XDG_CACHE_HOME:-$HOME/.cache}/rcon
  for _ in $(seq 1 600); do ls "$cache"/*.lock >/dev/null 2>&1 || break; sleep 0.1; done
  ls "$cache"/*.jsa >/dev/null 2>&1 \
    || echo "$(basename "$0"): bin/rcon recorded no class-data archive; its starts are timed without one" >&2
}

# median X...: the middle value (the mean of the two middle ones for an even count).
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR] = $1} END {print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2)}'; }
