# Sourced by the benchmarks (after they set $top): what more than one of them needs.

# The JVM flags of systemd/rcon-agent.service, read from it into the array unit_flags (read -a
# splits without globbing the CompileCommand patterns).
read_unit_flags() {
  read -ra unit_flags <<<"$(sed -n 's|^ExecStart=/usr/bin/java \(.*\) -cp .*|\1|p' "$top/systemd/rcon-agent.service")"
}

# unit_agent CONFIG: the array unit_agent, the unit's command line with the built jar and CONFIG
# for /etc/rcon/agent.json, so that an agent started by a benchmark runs exactly as under the
# unit (its entry, ServiceMain, loads no command-line parser: 3.5 MB of an idle agent).
unit_agent() {
  read_unit_flags
  unit_agent=(java "${unit_flags[@]}" -cp "$top/agent/target/rcon-agent.jar" dev.rcon.agent.ServiceMain "$1")
}

# agent_config DIR KEYS: DIR/agent.json, listening on 127.0.0.1:0 with KEYS and DIR/audit.jsonl.
agent_config() {
  printf '{"listen": ["127.0.0.1:0"], "authorized_keys": "%s", "audit_file": "%s"}\n' "$2" "$1/audit.jsonl" >"$1/agent.json"
}

# bin/rcon records its class-data archive in the background on a new jar: time nothing until the
# recording is done (at most 60 s), and say so when there is no archive to start from.
await_class_data_archive() {
  local cache=${XDG_CACHE_HOME:-$HOME/.cache}/rcon
  for _ in $(seq 1 600); do ls "$cache"/*.lock >/dev/null 2>&1 || break; sleep 0.1; done
  ls "$cache"/*.jsa >/dev/null 2>&1 \
    || echo "$(basename "$0"): bin/rcon recorded no class-data archive; its starts are timed without one" >&2
}
