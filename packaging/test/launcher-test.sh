#!/usr/bin/env bash
# bin/rcon's class-data archive, as a user meets it: a burst of first runs records one archive
# (one lock, one dump), later runs load picocli from it, RCON_CDS=0 leaves it alone, and an
# archive or cache directory that another user owns is never loaded (run as root for that part).
# Run after `mvn -B package`.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
rcon=$top/bin/rcon
[ -f "$top/console/target/rcon.jar" ] || { echo "launcher-test: build first: mvn -B -DskipTests package" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOME=$work XDG_CACHE_HOME=$work/cache
cache=$work/cache/rcon
fail() { echo "launcher-test: $*" >&2; exit 1; }

# picocli's main class, as the JVM's class-load log says where it came from.
picocli_source() {
  RCON_JAVA_OPTS="-Xlog:class+load=info" "$rcon" --version | sed -n 's/.*picocli.CommandLine source: //p' | head -1
}
# Until the recording is done (its lock gone), at most 120 s.
await_recording() {
  for _ in $(seq 1 600); do
    ls "$cache"/*.lock >/dev/null 2>&1 || return 0
    sleep 0.2
  done
  fail "the archive was still being recorded after 120 s"
}

for _ in 1 2 3 4; do "$rcon" --version >/dev/null & done
wait
await_recording
archives=$(ls "$cache"/*.jsa 2>/dev/null | wc -l)
[ "$archives" = 1 ] || fail "expected one archive after a burst of first runs but found $archives: $(ls -la "$cache")"
[ "$(stat -c %a "$cache")" = 700 ] || fail "expected the cache directory 0700 but it is $(stat -c %a "$cache")"
[ -z "$(ls "$cache" | grep -v '\.jsa$' || true)" ] || fail "the recording left files behind: $(ls "$cache")"
[ "$(picocli_source)" = "shared objects file" ] || fail "picocli was not loaded from the archive but from: $(picocli_source)"
[ "$(RCON_CDS=0 picocli_source)" != "shared objects file" ] || fail "RCON_CDS=0 still loaded the archive"
echo "launcher-test: one archive from a burst of first runs, loaded by the next run, skipped with RCON_CDS=0"

if [ "$(id -u)" = 0 ]; then
  chown nobody "$cache"/*.jsa
  [ "$(picocli_source)" != "shared objects file" ] || fail "an archive owned by nobody was loaded"
  chown root "$cache"/*.jsa
  chown nobody "$cache"
  [ "$(picocli_source)" != "shared objects file" ] || fail "an archive in a directory owned by nobody was loaded"
  await_recording
  [ "$(ls "$cache"/*.jsa | wc -l)" = 1 ] || fail "a run recorded into a directory owned by nobody"
  echo "launcher-test: an archive, or a cache directory, owned by another user is never loaded"
fi
