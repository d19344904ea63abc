#!/usr/bin/env bash
# bin/rcon's class-data archive, as a user meets it: a burst of first runs records one archive
# (one lock, one dump), later runs load picocli from it and print nothing more than without it,
# RCON_CDS=0 leaves it alone, a HOME with a space works, and (as root) an archive, a cache
# directory or a HOME that another user owns or could write is never loaded or written to.
# Run after `mvn -B package`.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
rcon=$top/bin/rcon
[ -f "$top/console/target/rcon.jar" ] || { echo "launcher-test: build first: mvn -B -DskipTests package" >&2; exit 1; }
unset RCON_CDS RCON_JAVA_OPTS JAVA_TOOL_OPTIONS XDG_CACHE_HOME
# Under the user's own HOME: bin/rcon trusts no cache below a directory others may write (/tmp).
work=$(mktemp -d -p "$HOME" launcher-test.XXXXXX)
cleanup() {
  pkill -f -- "-XX:DumpLoadedClassList=$work" 2>/dev/null || true
  pkill -f -- "-XX:SharedClassListFile=$work" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "launcher-test: $*" >&2; exit 1; }

# source HOME [ENV...]: where picocli's main class came from, as the JVM's class-load log says.
source_of_picocli() {
  local home=$1; shift
  env HOME="$home" "$@" RCON_JAVA_OPTS="-Xlog:class+load=info" "$rcon" --version \
    | sed -n 's/.*picocli.CommandLine source: //p' | head -1
}
# await HOME: until no recording runs under HOME (its lock gone), at most 120 s.
await() {
  for _ in $(seq 1 600); do
    ls "$1"/.cache/rcon/*.lock >/dev/null 2>&1 || return 0
    sleep 0.2
  done
  fail "the archive under $1 was still being recorded after 120 s"
}
# picocli_from_jar HOME: how many of picocli's classes a run read from the jar, not the archive
# (our lambdas implementing picocli's interfaces once kept 34 of them out of it).
picocli_from_jar() {
  env HOME="$1" RCON_JAVA_OPTS="-Xlog:class+load=info" "$rcon" --version \
    | grep 'picocli\.' | grep -vc 'source: shared objects file' || true
}
archives() { ls "$1"/.cache/rcon/*.jsa 2>/dev/null | wc -l || true; }

home="$work/home with space"
mkdir -m 700 "$home"
for _ in 1 2 3 4; do HOME=$home "$rcon" --version >/dev/null & done
wait
await "$home"
[ "$(archives "$home")" = 1 ] || fail "expected one archive after a burst of first runs but found $(archives "$home")"
cache=$home/.cache/rcon
[ "$(stat -c %a "$cache")" = 700 ] || fail "expected the cache directory 0700 but it is $(stat -c %a "$cache")"
[ -z "$(ls "$cache" | grep -v '\.jsa$' || true)" ] || fail "the recording left files behind: $(ls "$cache")"
[ "$(source_of_picocli "$home")" = "shared objects file" ] || fail "picocli was not loaded from the archive"
[ "$(picocli_from_jar "$home")" = 0 ] || fail "$(picocli_from_jar "$home") of picocli's classes were read from the jar"
[ "$(source_of_picocli "$home" RCON_CDS=0)" != "shared objects file" ] || fail "RCON_CDS=0 still loaded the archive"
with=$(HOME=$home "$rcon" --version 2>&1)
without=$(HOME=$home RCON_CDS=0 "$rcon" --version 2>&1)
[ "$with" = "$without" ] || fail "a run from the archive printed '$with' where one without printed '$without'"
echo "launcher-test: one archive from a burst of first runs (HOME with a space), loaded silently, skipped with RCON_CDS=0"

# A new jar replaces the archive of its own JVM only: another JVM's stays, or alternating JDKs
# (JAVA_HOME set in some shells) would record again at every switch. A copied jar, as a release
# lays it out (bin/rcon beside bin/rcon.jar), in a HOME of its own.
release=$work/release
mkdir -p "$release/bin" && cp "$top/bin/rcon" "$top/console/target/rcon.jar" "$release/bin/"
home2=$work/home2
mkdir -m 700 "$home2"
HOME=$home2 "$release/bin/rcon" --version >/dev/null
await "$home2"
first=$(ls "$home2"/.cache/rcon/*.jsa)
other=$home2/.cache/rcon/rcon-1-2-3-4-5-6-7-8-static.jsa
: >"$other"
touch -d '1 minute ago' "$release/bin/rcon.jar"
HOME=$home2 "$release/bin/rcon" --version >/dev/null
await "$home2"
[ ! -e "$first" ] || fail "the archive of the jar's earlier version was kept"
[ -e "$other" ] || fail "recording for this JVM removed another JVM's archive"
[ "$(archives "$home2")" = 2 ] || fail "expected this JVM's new archive and the other's but found $(ls "$home2"/.cache/rcon)"
echo "launcher-test: a new jar replaces its own JVM's archive and leaves another JVM's"

# Found however it is started: through a link in another directory (as /usr/bin/rcon may be),
# a link to that link, a path relative to the working directory, and a name found on PATH; the
# launcher resolves links itself only when $0 is one.
links=$work/links
mkdir "$links"
ln -s "$rcon" "$links/rcon"
ln -s "$links/rcon" "$links/rcon2"
want=$(HOME=$home "$rcon" --version)
[ "${want#rcon }" != "$want" ] || fail "bin/rcon --version printed: $want"
for way in "$links/rcon" "$links/rcon2"; do
  [ "$(HOME=$home "$way" --version)" = "$want" ] || fail "$way did not find its jar"
done
[ "$(cd "$top/bin" && HOME=$home ./rcon --version)" = "$want" ] || fail "./rcon did not find its jar"
[ "$(cd "$top" && HOME=$home PATH="$top/bin:$PATH" rcon --version)" = "$want" ] \
  || fail "rcon on PATH did not find its jar"
echo "launcher-test: found through a link, a link to a link, a relative path and PATH"

# Ctrl-\ (SIGQUIT) prints no thread dump into what the console writes on stdout: a one-shot
# against a port that accepts and never answers waits out its connect timeout meanwhile.
python3 -c 'import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(4)
print(s.getsockname()[1], flush=True); time.sleep(20)' >"$work/port" &
listener=$!
for _ in $(seq 1 100); do [ -s "$work/port" ] && break; sleep 0.1; done
key=$work/quit.key
HOME=$home "$rcon" keygen --name quit -o "$key" >/dev/null
HOME=$home "$rcon" --host "127.0.0.1:$(cat "$work/port")" --key "$key" --connect-timeout 4s -- true \
  >"$work/quit.out" 2>/dev/null &
oneshot=$!
sleep 2
kill -QUIT "$oneshot"
wait "$oneshot" || true
kill "$listener" 2>/dev/null || true
! grep -q 'thread dump' "$work/quit.out" || fail "Ctrl-\\ printed a thread dump: $(head -3 "$work/quit.out")"
echo "launcher-test: SIGQUIT prints no thread dump on stdout"

if [ "$(id -u)" = 0 ]; then
  chown nobody "$cache"/*.jsa
  [ "$(source_of_picocli "$home")" != "shared objects file" ] || fail "an archive owned by nobody was loaded"
  chown root "$cache"/*.jsa
  chmod 770 "$cache"
  [ "$(source_of_picocli "$home")" != "shared objects file" ] || fail "an archive in a group-writable directory was loaded"
  chmod 700 "$cache"
  chown nobody "$home"
  [ "$(source_of_picocli "$home")" != "shared objects file" ] || fail "an archive under a HOME owned by nobody was loaded"
  theirs=$work/theirs
  mkdir -m 700 "$theirs" && chown nobody "$theirs"
  HOME=$theirs "$rcon" --version >/dev/null
  await "$theirs"
  [ -z "$(ls -A "$theirs")" ] || fail "root wrote into a HOME owned by nobody: $(ls -A "$theirs")"
  echo "launcher-test: an archive, a cache directory or a HOME that another user owns or may write is never used"
fi
