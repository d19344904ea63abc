# Sourced by the benchmarks (after they set $top): what more than one of them needs.

# The JVM flags of systemd/rcon-agent.service, read from it into the array unit_flags, so that an
# agent started by a benchmark runs exactly as under the unit (read -a splits without globbing
# the CompileCommand patterns).
read_unit_flags() {
  read -ra unit_flags <<<"$(sed -n 's|^ExecStart=/usr/bin/java \(.*\) -jar .*|\1|p' "$top/systemd/rcon-agent.service")"
}

# bin/rcon records its class-data archive in the background on a new jar: time nothing until the
# recording is done (at most 60 s), and say so when there is no archive to start from.
await_class_data_archive() {
  local cache=${XDG_CACHE_HOME:-$HOME/.cache}/rcon
  for _ in $(seq 1 600); do ls "$cache"/*.lock >/dev/null 2>&1 || break; sleep 0.1; done
  ls "$cache"/*.jsa >/dev/null 2>&1 \
    || echo "$(basename "$0"): bin/rcon recorded no class-data archive; its starts are timed without one" >&2
}
