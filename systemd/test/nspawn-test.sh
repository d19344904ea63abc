#!/usr/bin/env bash
# Proves the service under a real systemd: builds a minimal Debian root with debootstrap, boots
# it with systemd-nspawn, installs the agent inside with install.sh, and drives it from the host
# with the real console (the container shares the host's network: the agent is 127.0.0.1:5022).
#
# Needs root and the built jars (mvn -B -DskipTests package). Every wait is bounded.
# RCON_NSPAWN_CACHE=DIR keeps the debootstrapped root between local runs; CI starts from nothing.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
rcon=$top/bin/rcon
say() { echo "nspawn-test: $*"; }
fail() { echo "nspawn-test: FAIL: $*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || fail "must run as root"
[ -f "$top/agent/target/rcon-agent.jar" ] && [ -f "$top/console/target/rcon.jar" ] || fail "build first: mvn -B -DskipTests package"
if ! command -v debootstrap >/dev/null || ! command -v systemd-nspawn >/dev/null; then
  say "installing debootstrap and systemd-container"
  apt-get update -qq && apt-get install -y -qq debootstrap systemd-container >/dev/null
fi

work=$(mktemp -d /var/tmp/rcon-nspawn.XXXXXX)
root=$work/root
cgroup=/sys/fs/cgroup/systemd/rcon-nspawn-$$
nspawn_pid=
cleanup() {
  set +e
  if [ -n "$nspawn_pid" ] && kill -0 "$nspawn_pid" 2>/dev/null; then
    kill -TERM "$nspawn_pid" 2>/dev/null          # nspawn asks the container's systemd to power off
    timeout 30 tail --pid="$nspawn_pid" -f /dev/null || kill -KILL "$nspawn_pid"
  fi
  if [ -d "$cgroup" ]; then
    for p in $(cat "$cgroup"/cgroup.procs 2>/dev/null); do kill -KILL "$p" 2>/dev/null; done
    find "$cgroup" -depth -type d -exec rmdir {} \; 2>/dev/null
  fi
  rm -rf "$work"
}
trap cleanup EXIT

mirror=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -1)
mirror=${mirror:-$(awk '/^deb /{print $2; exit}' /etc/apt/sources.list 2>/dev/null)}
mirror=${mirror:-http://deb.debian.org/debian}
cache=${RCON_NSPAWN_CACHE:-}
if [ -n "$cache" ] && [ -f "$cache/root.tar" ]; then
  say "root from cache $cache/root.tar"
  mkdir -p "$root" && tar -C "$root" -xf "$cache/root.tar"
else
  say "debootstrap bookworm from $mirror (about 90 s)"
  timeout 900 debootstrap --variant=minbase --include=systemd,systemd-sysv,dbus,procps,openjdk-17-jre-headless \
    bookworm "$root" "$mirror" >"$work/debootstrap.log" 2>&1 || { tail -20 "$work/debootstrap.log" >&2; fail "debootstrap"; }
  if [ -n "$cache" ]; then mkdir -p "$cache" && tar -C "$root" -cf "$cache/root.tar" .; fi
fi
echo rcontest >"$root/etc/hostname"
mkdir -p "$root/root/rcon/systemd"
cp "$top/agent/target/rcon-agent.jar" "$root/root/rcon/"
cp "$top"/systemd/{install.sh,uninstall.sh,rcon-agent.service,restricted.conf,agent.json} "$root/root/rcon/systemd/"
mv "$root/root/rcon/rcon-agent.jar" "$root/root/rcon/systemd/"

say "booting the container"
mkdir -p "$cgroup"
( echo "$BASHPID" >"$cgroup/cgroup.procs"
  exec systemd-nspawn --boot --register=no --keep-unit --quiet -D "$root" -M rcontest </dev/null ) >"$work/console.log" 2>&1 &
nspawn_pid=$!
# The container's init: nspawn's child in a PID namespace of its own. nspawn forks a short-lived
# helper first, also its child; taking the first child found raced with it, and nsenter then
# aimed at a process that was gone (or not yet the container's systemd).
leader=
own_ns=$(readlink /proc/self/ns/pid)
for _ in $(seq 1 150); do
  for p in $(pgrep -P "$nspawn_pid" || true); do
    ns=$(readlink "/proc/$p/ns/pid" 2>/dev/null || true)
    if [ -n "$ns" ] && [ "$ns" != "$own_ns" ]; then leader=$p; break; fi
  done
  [ -n "$leader" ] && break
  sleep 0.2
done
[ -n "$leader" ] || { cat "$work/console.log" >&2; fail "container did not start"; }
ct() { nsenter -t "$leader" -a "$@"; }
# The leader exists before it has become systemd with its bus up (a loaded box shows this as
# "offline"): ask again until it says running or degraded, for at most two minutes.
state=
deadline=$((SECONDS + 180))
while [ "$SECONDS" -lt "$deadline" ]; do
  state=$(timeout 60 nsenter -t "$leader" -a systemctl is-system-running --wait 2>/dev/null || true)
  case $state in running|degraded) break;; esac
  sleep 1
done
say "container systemd is $state"
case $state in running|degraded) ;; *) cat "$work/console.log" >&2; fail "container systemd did not come up ($state)";; esac

say "install.sh, twice"
ct /root/rcon/systemd/install.sh | sed 's/^/  | /'
second=$(ct /root/rcon/systemd/install.sh)
echo "$second" | sed 's/^/  | /'
if echo "$second" | grep -Eq '^(installed|created|enabled|started|restarted|removed|ran)'; then
  fail "a second install.sh changed something"
fi
[ "$(ct stat -c '%U %a' /etc/rcon/authorized_keys)" = "root 600" ] || fail "authorized_keys is not root 0600"
[ "$(ct systemctl is-active rcon-agent)" = active ] || fail "service is not active"

keys=$work/keys && mkdir -m 700 "$keys"
# Enrolment as an operator does it: the line derived for this host, added by install.sh.
"$rcon" keygen --name key1 -o "$keys/key1" >/dev/null
# A hand edit that left the file without its last newline: an append joined the key line to it.
hand='# web01, added by hand'
printf '%s' "$hand" >>"$root/etc/rcon/authorized_keys"
"$rcon" authorize --key "$keys/key1" 127.0.0.1 | ct /root/rcon/systemd/install.sh --key-line - | sed 's/^/  | /'
again=$("$rcon" authorize --key "$keys/key1" 127.0.0.1 | ct /root/rcon/systemd/install.sh --key-line -)
echo "$again" | grep -q '^kept       key ' || fail "install.sh --key-line added the same key twice: $again"
grep -qx "$hand" "$root/etc/rcon/authorized_keys" || fail "install.sh --key-line joined the key line to a last line without its newline"

# run KEY EXPECTED-STATUS COMMAND...: the console on the host against the agent in the container.
run() {
  local key=$1 want=$2 got; shift 2
  set +e; out=$("$rcon" --host 127.0.0.1:5022 --key "$keys/$key" --connect-timeout 5s -n -- "$@" 2>"$work/err"); got=$?; set -e
  [ "$got" = "$want" ] || { cat "$work/err" >&2; fail "'$*' with $key exited $got, expected $want"; }
}
# await_key KEY: until the agent accepts KEY (after a reload), bounded.
await_key() {
  for _ in $(seq 1 20); do
    if "$rcon" --host 127.0.0.1:5022 --key "$keys/$1" --connect-timeout 2s -n -- true 2>/dev/null; then return 0; fi
    sleep 0.25
  done
}
await_agent() {
  for _ in $(seq 1 60); do
    if "$rcon" --host 127.0.0.1:5022 --key "$keys/key1" --connect-timeout 2s -n -- true 2>/dev/null; then return 0; fi
    sleep 0.5
  done
  ct journalctl -u rcon-agent --no-pager | tail -20 >&2
  fail "agent does not answer on 127.0.0.1:5022"
}
# check_terminal DIR: a command on a terminal runs under the unit (JLine's native library, which
# the agent loads for it, extracted into the unit's cache directory DIR, never a shared /tmp).
check_terminal() {
  set +e; out=$("$rcon" --host 127.0.0.1:5022 --key "$keys/key1" --connect-timeout 5s -t -- tty </dev/null 2>"$work/err"); got=$?; set -e
  case "$got $out" in "0 /dev/pts/"*) ;; *) cat "$work/err" >&2; fail "tty on a terminal printed '$out' and exited $got";; esac
  ct sh -c "ls $1/jlinenative-*" >/dev/null 2>&1 || fail "JLine's library is not in $1: $(ct ls -la "$1")"
  if ct sh -c 'ls /tmp/jlinenative-* /var/tmp/jlinenative-*' >/dev/null 2>&1; then fail "JLine's library went to /tmp"; fi
}
# ---- cgroups (attack V9) ------------------------------------------------------------------------
# A command that leaves its process group (setsid) must still die when the command ends: the agent
# runs each command in a cgroup of its own below the unit's (Delegate=yes) and kills the cgroup.
# agent_log: what the running agent logged since it started.
agent_log() {
  ct journalctl --no-pager -o cat _SYSTEMD_INVOCATION_ID="$(ct systemctl show -p InvocationID --value rcon-agent)"
}
check_cgroups() {
  local home line pids pid sid cg status
  line=$(agent_log | grep -m1 '^commands run in ' || true)
  case $line in
    "commands run in cgroups under "*) ;;
    *) agent_log | tail -20 >&2; fail "the agent does not use cgroups under the default unit: '$line'";;
  esac
  home=${line#commands run in cgroups under }; home=${home%% *}
  ct rm -f /tmp/rcon-v9.pids
  # Two escapees, each in a new session: one dies of the TERM, one ignores it and needs the KILL.
  "$rcon" --host 127.0.0.1:5022 --key "$keys/key1" --timeout 3s -n -- \
    "setsid sh -c 'echo \$\$ >>/tmp/rcon-v9.pids; exec sleep 1000' </dev/null >/dev/null 2>&1 &
     setsid sh -c 'trap \"\" TERM; echo \$\$ >>/tmp/rcon-v9.pids; exec sleep 1000' </dev/null >/dev/null 2>&1 &
     wait" >/dev/null 2>"$work/v9.err" &
  local console=$!
  for _ in $(seq 1 50); do [ "$(ct sh -c 'wc -l </tmp/rcon-v9.pids' 2>/dev/null || echo 0)" = 2 ] && break; sleep 0.1; done
  pids=$(ct cat /tmp/rcon-v9.pids 2>/dev/null | tr '\n' ' ')
  [ "$(echo $pids | wc -w)" = 2 ] || fail "the escapees did not start: '$pids'"
  for pid in $pids; do
    sid=$(ct awk '{print $6}' "/proc/$pid/stat")
    [ "$sid" = "$pid" ] || fail "escapee $pid did not leave the command's session (sid $sid)"
    cg=$(ct sed -n 's/^0:://p' "/proc/$pid/cgroup")
    case $cg in */rcon-agent.service/cmd-*) ;; *) fail "escapee $pid is not in a command cgroup: '$cg'";; esac
  done
  set +e; timeout 30 tail --pid="$console" -f /dev/null; wait "$console"; status=$?; set -e
  [ "$status" = 143 ] || { cat "$work/v9.err" >&2; fail "the timed-out command exited $status, expected 143 (TERM)"; }
  for pid in $pids; do
    for _ in $(seq 1 50); do ct test -d "/proc/$pid" || break; sleep 0.1; done
    if ct test -d "/proc/$pid"; then ct ps -ef >&2; fail "escapee $pid survived its command's timeout"; fi
  done
  for _ in $(seq 1 50); do [ -z "$(ct find "$home" -mindepth 1 -maxdepth 1 -name 'cmd-*')" ] && break; sleep 0.1; done
  [ -z "$(ct find "$home" -mindepth 1 -maxdepth 1 -name 'cmd-*')" ] || fail "command cgroups left: $(ct find "$home" -name 'cmd-*')"
  # Each session primes the joins by writing the agent's own pid to its own cgroup.procs (exec/JoinPrimer).
  if agent_log | grep -F 'cannot keep cgroup joins warm'; then fail "the agent could not prime cgroup joins under the unit"; fi
  say "ok: setsid escapees of a timed-out command died with its cgroup ($line)"
}
# The restricted variant's /sys/fs/cgroup is read-only: it must say so and use process groups.
check_cgroups_fallback() {
  local line
  line=$(agent_log | grep -m1 '^commands run in ' || true)
  case $line in "commands run in process groups (cgroup2 at /sys/fs/cgroup"*" is mounted read-only)") ;;
    *) fail "restricted variant: expected the process-group fallback, got '$line'";;
  esac
  say "ok: restricted variant falls back to process groups and says why ($line)"
}
# ---- end of cgroups -----------------------------------------------------------------------------
# check_archive USER DIR: the class-data archive (issue 11) was recorded at start into the unit
# user's 0700 cache directory DIR, and the agent maps it (a JVM maps only an archive it validated
# against its own JDK and the jar).
check_archive() {
  local user=$1 dir=$2 pid got
  pid=$(ct systemctl show -p MainPID --value rcon-agent)
  got=$(ct stat -c '%U %a' "$dir")
  [ "$got" = "$user 700" ] || fail "the archive's directory is '$got', expected '$user 700'"
  got=$(ct stat -c '%U' "$dir/classes.jsa")
  [ "$got" = "$user" ] || fail "the class-data archive is owned by $got, expected $user"
  if ! ct grep -q " $dir/classes.jsa\$" "/proc/$pid/maps"; then
    ct journalctl -u rcon-agent --no-pager -o cat | grep 'class-data' >&2 || true
    fail "the agent ($user) does not map its class-data archive"
  fi
  say "ok: the agent ($user) maps its class-data archive, in a 0700 directory of its user's"
}
# ---- begin: key files at reload (issue 8, attacks V5 and V6) ----------------------------------
# await_journal PATTERN BEFORE: until the unit's journal has more than BEFORE lines with PATTERN.
journal_count() { ct journalctl -u rcon-agent --no-pager -o cat | grep -cF -- "$1" || true; }
await_journal() {
  for _ in $(seq 1 40); do
    [ "$(journal_count "$1")" -gt "$2" ] && return 0
    sleep 0.25
  done
  ct journalctl -u rcon-agent --no-pager | tail -20 >&2
  fail "the journal did not get '$1'"
}
# reload_refused WHY: `systemctl reload` must fail, the journal must say WHY (the check's line)
# and the agent must log that it accepts no key; afterwards key1 is refused and the unit active.
reload_refused() {
  local why=$1 before said
  before=$(journal_count 'reload of authorized keys failed, accepting no key')
  said=$(journal_count "$why")
  if ct systemctl reload rcon-agent 2>"$work/reload.err"; then fail "systemctl reload succeeded although: $why"; fi
  await_journal 'reload of authorized keys failed, accepting no key' "$before"
  await_journal "$why" "$said"
  [ "$(ct systemctl is-active rcon-agent)" = active ] || fail "a failed reload stopped the service"
  run key1 255 true
}
# reload_ok: `systemctl reload` succeeds and key1 gets in again.
reload_ok() {
  local before
  before=$(journal_count 'reloaded authorized keys from')
  ct systemctl reload rcon-agent || fail "systemctl reload failed: $(ct journalctl -u rcon-agent --no-pager -o cat | tail -3)"
  await_journal 'reloaded authorized keys from' "$before"
  run key1 0 true
}
# key_file_checks VARIANT: V6, an operator removes a key and leaves the file 0644: the reload
# fails and says why, and the removed key (and every other) is refused until the mode is fixed;
# then the reload works and the removed key stays out. V5: a file owned by another user is the
# same. Leaves the keys as they were, minus the removed key.
key_file_checks() {
  local variant=$1 f=/etc/rcon/authorized_keys
  "$rcon" keygen --force --name doomed -o "$keys/doomed" >/dev/null && "$rcon" authorize --key "$keys/doomed" 127.0.0.1 >>"$root$f"
  reload_ok
  run doomed 0 true
  grep -v ' doomed$' "$root$f" >"$work/kept" && cat "$work/kept" >"$root$f"
  ct chmod 644 "$f"
  reload_refused "$f: refusing a key file that group or others can read or write (mode rw-r--r--); fix it with: chmod 600 $f"
  run doomed 255 true
  ct chmod 600 "$f"
  reload_ok
  run doomed 255 true
  say "ok ($variant): key removed + mode 0644: reload failed and no key got in; chmod 600: reload works, removed key still out"
  ct chown nobody "$f"
  reload_refused "$f: refusing a key file owned by uid 65534, who could change it; it must belong to root (the user reading it); fix it with: chown root $f"
  ct chown root "$f"
  reload_ok
  say "ok ($variant): keys owned by another user: reload failed and no key got in; chown root: reload works"
}
# ---- end: key files at reload ------------------------------------------------------------------

await_agent
run key1 7 'hostname; exit 7'
[ "$out" = rcontest ] || fail "expected the container's hostname, got '$out'"
say "ok: active, listening, runs commands (output and exit code right)"
check_cgroups
check_archive root /var/cache/rcon-agent
check_terminal /var/cache/rcon-agent

pid=$(ct systemctl show -p MainPID --value rcon-agent)
ct kill -9 "$pid"
for _ in $(seq 1 60); do
  now=$(ct systemctl show -p MainPID --value rcon-agent)
  [ "$now" != 0 ] && [ "$now" != "$pid" ] && [ "$(ct systemctl is-active rcon-agent)" = active ] && break
  sleep 0.5
done
[ "$now" != "$pid" ] && [ "$now" != 0 ] || fail "systemd did not restart the agent after kill -9"
await_agent
say "ok: restarted after kill -9 (pid $pid -> $now)"

printf 'echo first\nsleep 3\necho still-open\n' | "$rcon" --host 127.0.0.1:5022 --key "$keys/key1" >"$work/session.out" 2>&1 &
session=$!
for _ in $(seq 1 50); do grep -q first "$work/session.out" && break; sleep 0.1; done
"$rcon" keygen --name key2 -o "$keys/key2" >/dev/null && "$rcon" authorize --key "$keys/key2" 127.0.0.1 >>"$root/etc/rcon/authorized_keys"
ct systemctl reload rcon-agent
await_key key2
run key2 0 echo key2-works
timeout 30 tail --pid="$session" -f /dev/null
wait "$session" || fail "the session open during reload failed: $(cat "$work/session.out")"
grep -q still-open "$work/session.out" || fail "the session open during reload lost output: $(cat "$work/session.out")"
say "ok: reload picked up a new key while an open session kept working"
key_file_checks default

"$rcon" --host 127.0.0.1:5022 --key "$keys/key1" -n -- 'sleep 300 & sleep 300' >/dev/null 2>&1 &
busy=$!
for _ in $(seq 1 50); do ct pgrep -x sleep >/dev/null && break; sleep 0.1; done
ct systemctl stop rcon-agent
result="$(ct systemctl show -p ActiveState --value rcon-agent) $(ct systemctl show -p Result --value rcon-agent)"
[ "$result" = "inactive success" ] || fail "after stop: '$result', expected 'inactive success'"
if ct pgrep -f 'rcon-agent.jar|sleep 300' >/dev/null; then ct ps -ef >&2; fail "processes of the unit were left behind"; fi
timeout 20 tail --pid="$busy" -f /dev/null || fail "the console of a command running at stop did not end"
say "ok: stop leaves the unit inactive with result success and no process behind"

ct /root/rcon/systemd/install.sh --restricted | sed 's/^/  | /'
await_agent
run key1 0 'id -un'
[ "$out" = rcon ] || fail "restricted variant runs commands as '$out', expected rcon"
run key1 1 'touch /etc/rcon-was-here 2>/dev/null'
run key2 0 'test ! -w /root && test ! -w /usr'
"$rcon" keygen --name key3 -o "$keys/key3" >/dev/null && "$rcon" authorize --key "$keys/key3" 127.0.0.1 >>"$root/etc/rcon/authorized_keys"
ct systemctl reload rcon-agent
await_key key3
run key3 0 true
say "ok: restricted variant runs as rcon, cannot write the system, reloads keys"
check_cgroups_fallback
check_archive rcon /var/cache/rcon-agent-restricted
check_terminal /var/cache/rcon-agent-restricted
# A restricted key's command runs as rcon: it must not reach the root agent's archive (a patched
# archive that maps is root's code once the default unit runs again).
run key3 1 'touch /var/cache/rcon-agent/classes.jsa 2>/dev/null'
key_file_checks restricted
# Back to the default unit, as an operator switches: nothing of the restricted unit's stays.
ct /root/rcon/systemd/install.sh | sed 's/^/  | /'
await_agent
ct test ! -e /run/rcon-agent-keys || fail "switching back to the default unit left the restricted unit's copy of the keys"
ct test ! -e /var/cache/rcon-agent-restricted || fail "switching back to the default unit left the restricted unit's archive"
# The root agent's archive is the one it recorded before the switch, never one rcon could write.
check_archive root /var/cache/rcon-agent

ct /root/rcon/systemd/uninstall.sh | sed 's/^/  | /'
ct test -f /etc/rcon/authorized_keys || fail "uninstall.sh removed the keys"
ct test ! -e /etc/systemd/system/rcon-agent.service || fail "uninstall.sh left the unit"
ct test ! -e /run/rcon-agent-keys || fail "the restricted unit's copy of the keys outlived the service"
ct test ! -e /var/cache/rcon-agent || fail "uninstall.sh left the class-data archive"
ct test ! -e /var/cache/rcon-agent-restricted || fail "uninstall.sh left the restricted unit's class-data archive"
say "ok: uninstall.sh removed the service and kept the keys"

# ---- the Debian packages (issue 12) ---------------------------------------------------------------
# Installed with apt-get as an operator would, then upgraded to a rebuilt package (the same files
# under a higher version, repacked with dpkg-deb) with the config edited and the keys in place,
# then purged.
version=$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' "$top/pom.xml" | head -1)
debs=$root/root/debs && mkdir -p "$debs"
cp "$top/packaging/target/rcon-agent_${version}_all.deb" "$top/packaging/target/rcon_${version}_all.deb" "$debs/"
repack=$work/repack && mkdir -p "$repack"
dpkg-deb -R "$debs/rcon-agent_${version}_all.deb" "$repack/agent"
sed -i "s/^Version: .*/Version: ${version}.1/" "$repack/agent/DEBIAN/control"
dpkg-deb -b --root-owner-group "$repack/agent" "$debs/rcon-agent_${version}.1_all.deb" >/dev/null
install -m 600 "$keys/key1" "$root/root/key1"

say "apt-get install ./rcon-agent_${version}_all.deb ./rcon_${version}_all.deb"
ct sh -c "DEBIAN_FRONTEND=noninteractive apt-get install -y /root/debs/rcon-agent_${version}_all.deb /root/debs/rcon_${version}_all.deb" \
  >"$work/apt.log" 2>&1 || { tail -30 "$work/apt.log" >&2; fail "apt-get install of the packages"; }
[ "$(ct systemctl is-enabled rcon-agent)" = enabled ] || fail "the package did not enable the service"
[ "$(ct stat -c '%U %a' /etc/rcon/authorized_keys)" = "root 600" ] || fail "the package's keys file is not root 0600"
ct getent passwd rcon >/dev/null || fail "the package did not create the rcon user"
await_agent
run key1 0 hostname
[ "$out" = rcontest ] || fail "the packaged agent answered '$out'"
inside=$(ct /usr/bin/rcon --key /root/key1 --host 127.0.0.1 -n -- echo from-the-packaged-console) \
  || fail "the packaged console could not run a command"
[ "$inside" = from-the-packaged-console ] || fail "the packaged console printed '$inside'"
for f in /usr/share/man/man1/rcon.1 /usr/share/man/man1/rcon-put.1 /usr/share/man/man8/rcon-agent.8 \
         /usr/share/bash-completion/completions/rcon /usr/share/zsh/vendor-completions/_rcon \
         /usr/share/doc/rcon-agent/examples/restricted.conf; do
  ct test -s "$f" || fail "the packages did not install $f"
done
"$rcon" keygen --name key4 -o "$keys/key4" >/dev/null
"$rcon" authorize --key "$keys/key4" 127.0.0.1 | ct rcon-agent add-key - | sed 's/^/  | /'
ct systemctl reload rcon-agent
await_key key4
run key4 0 true
say "ok: the packages install, start the agent, answer, and rcon-agent add-key enrolls a key"

ct sed -i 's/"kill_grace_ms": 2000/"kill_grace_ms": 2500/' /etc/rcon/agent.json
before=$(ct systemctl show -p MainPID --value rcon-agent)
ct sh -c "DEBIAN_FRONTEND=noninteractive apt-get install -y /root/debs/rcon-agent_${version}.1_all.deb" \
  >"$work/apt.log" 2>&1 || { tail -30 "$work/apt.log" >&2; fail "apt-get install of the upgrade"; }
[ "$(ct dpkg-query -W -f '${Version}' rcon-agent)" = "${version}.1" ] || fail "the upgrade did not install"
ct grep -q '"kill_grace_ms": 2500' /etc/rcon/agent.json || fail "the upgrade did not keep the edited agent.json"
await_agent
after=$(ct systemctl show -p MainPID --value rcon-agent)
[ "$after" != "$before" ] || fail "the upgrade did not restart the agent"
run key4 0 true
check_archive root /var/cache/rcon-agent
say "ok: an upgrade keeps the edited config and the keys, and restarts the agent ($before -> $after)"

ct sh -c "DEBIAN_FRONTEND=noninteractive apt-get purge -y rcon-agent rcon" >"$work/apt.log" 2>&1 \
  || { tail -30 "$work/apt.log" >&2; fail "apt-get purge"; }
ct test ! -e /etc/rcon || fail "purge left /etc/rcon: $(ct ls -la /etc/rcon)"
ct test ! -e /usr/share/rcon/rcon-agent.jar || fail "purge left the jar"
ct test ! -e /var/cache/rcon-agent || fail "purge left the class-data archive"
if ct pgrep -f rcon-agent.jar >/dev/null; then fail "purge left an agent running"; fi
[ "$(ct systemctl is-active rcon-agent)" != active ] || fail "purge left the service active"
say "ok: purge stops the agent and removes the config and the keys"
say "all checks passed"
