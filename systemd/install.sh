#!/bin/sh
# Installs rcon-agent as a systemd service on this host. Run as root, from a source tree after
# `mvn -B -DskipTests package` or from a release tarball (rcon-agent.jar beside this script).
#
#   rcon authorize HOST | install.sh [--restricted] [--key-line -]
#
# --key-line - adds the authorized-keys line on stdin (from `rcon authorize HOST` on the console)
# unless a line with its kid is there already, and reloads a running agent. Never as an argument.
#
# Puts the jar in /usr/share/rcon (where the rcon-agent package puts it too), the launcher at
# /usr/sbin/rcon-agent, the config at /etc/rcon/agent.json, an empty authorized-keys file at
# /etc/rcon/authorized_keys (root, 0600), the unit in /etc/systemd/system, creates the system user
# 'rcon' (used by the restricted variant), then enables and starts the service. Running it again
# changes only what is not already right; it never overwrites the config or the keys.
set -eu
here=$(dirname "$(readlink -f "$0")")
restricted=no
key_line=
while [ $# -gt 0 ]; do
  case $1 in
    --restricted) restricted=yes ;;
    --key-line)
      [ $# -ge 2 ] || { echo "install.sh: --key-line needs - (the line on stdin)" >&2; exit 2; }
      # The line holds this host's psk, and every local user can read a command's arguments.
      [ "$2" = - ] || { echo "install.sh: refusing a key line given as an argument: every local user can read a command's arguments (ps, /proc/PID/cmdline), and the line holds this host's key (treat it as seen); pipe it in instead: rcon authorize HOST | install.sh --key-line -" >&2; exit 2; }
      # Every line but blanks and comments: more than one is refused below.
      key_line=$(grep -v '^[[:space:]]*\(#.*\)\{0,1\}$' || true)
      shift ;;
    -h|--help) sed -n '2,14s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) echo "install.sh: unknown option '$1' (see install.sh --help)" >&2; exit 2 ;;
  esac
  shift
done
if [ -n "$key_line" ] && [ "$(printf '%s\n' "$key_line" | wc -l)" -gt 1 ]; then
  # rcon authorize LIST prints a line per host: another host's line here would let root on this
  # host log in there, and leave this host without its own.
  echo "install.sh: --key-line - got more than one key line, and each host takes its own (rcon authorize LIST prints one per host); pipe in one host's line: rcon authorize HOST | install.sh --key-line -" >&2
  exit 2
fi
if [ -n "$key_line" ] && ! printf '%s\n' "$key_line" | grep -Eq '^rcon1 [0-9a-f]{32} [A-Za-z0-9+/]{43}= [^[:cntrl:]]+$'; then
  echo "install.sh: --key-line must be one 'rcon1 KID PSK NAME' line as 'rcon authorize HOST' prints it" >&2
  exit 2
fi
[ "$(id -u)" -eq 0 ] || { echo "install.sh: must run as root" >&2; exit 1; }
command -v systemctl >/dev/null || { echo "install.sh: systemctl not found: this host does not run systemd" >&2; exit 1; }
command -v java >/dev/null || { echo "install.sh: java not found: install a Java 17+ runtime first (e.g. openjdk-17-jre-headless)" >&2; exit 1; }

jar=
for candidate in "$here/rcon-agent.jar" "$here/../agent/target/rcon-agent.jar" "$here/../lib/rcon-agent.jar"; do
  if [ -f "$candidate" ]; then jar=$candidate; break; fi
done
[ -n "$jar" ] || { echo "install.sh: rcon-agent.jar not found beside $here (build with: mvn -B -DskipTests package)" >&2; exit 1; }

changed_unit=no
dropped_restricted=no
changed_jar=no

# put SRC DEST MODE: installs SRC at DEST unless an identical file is there already.
put() {
  if [ -f "$2" ] && cmp -s "$1" "$2"; then
    echo "unchanged  $2"
    return 1
  fi
  install -D -m "$3" -o root -g root "$1" "$2"
  echo "installed  $2"
}

if getent passwd rcon >/dev/null; then
  echo "unchanged  system user rcon"
else
  useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin rcon
  echo "created    system user rcon"
fi

put "$jar" /usr/share/rcon/rcon-agent.jar 0644 && changed_jar=yes
if [ -f "$here/../bin/rcon-agent" ]; then put "$here/../bin/rcon-agent" /usr/sbin/rcon-agent 0755 || true; fi

install -d -m 0755 -o root -g root /etc/rcon
if [ -e /etc/rcon/agent.json ]; then
  echo "kept       /etc/rcon/agent.json (never overwritten)"
else
  install -m 0644 -o root -g root "$here/agent.json" /etc/rcon/agent.json
  echo "installed  /etc/rcon/agent.json"
fi
if [ -e /etc/rcon/authorized_keys ]; then
  echo "kept       /etc/rcon/authorized_keys (never overwritten)"
  case $(stat -c %a /etc/rcon/authorized_keys) in
    600|400) ;;
    *) echo "warning    /etc/rcon/authorized_keys is mode $(stat -c %a /etc/rcon/authorized_keys): the agent refuses it until: chmod 600 /etc/rcon/authorized_keys" >&2 ;;
  esac
else
  install -m 0600 -o root -g root /dev/null /etc/rcon/authorized_keys
  echo "created    /etc/rcon/authorized_keys (empty: pipe in the line 'rcon authorize HOST' prints with --key-line -)"
fi
changed_keys=no
if [ -n "$key_line" ]; then
  kid=$(printf '%s\n' "$key_line" | cut -d' ' -f2)
  if grep -q " $kid " /etc/rcon/authorized_keys; then
    echo "kept       key $kid (already in /etc/rcon/authorized_keys)"
  else
    # The agent's own add-key, not an append: it checks the whole line, holds the keys file's
    # lock against an agent changing keys at the same moment (rcon rotate), and replaces the file
    # whole, where >> joined the line to a last line left without its newline by a hand edit.
    printf '%s\n' "$key_line" | java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -jar /usr/share/rcon/rcon-agent.jar \
      add-key --authorized-keys /etc/rcon/authorized_keys - >/dev/null \
      || { echo "install.sh: the key line was not added to /etc/rcon/authorized_keys (the reason is above)" >&2; exit 1; }
    echo "added      key $kid to /etc/rcon/authorized_keys"
    changed_keys=yes
  fi
fi

put "$here/rcon-agent.service" /etc/systemd/system/rcon-agent.service 0644 && changed_unit=yes
dropin=/etc/systemd/system/rcon-agent.service.d/restricted.conf
if [ "$restricted" = yes ]; then
  put "$here/restricted.conf" "$dropin" 0644 && changed_unit=yes
elif [ -e "$dropin" ]; then
  rm -f "$dropin"
  rmdir /etc/systemd/system/rcon-agent.service.d 2>/dev/null || true
  echo "removed    $dropin (the default, unrestricted variant was asked for)"
  changed_unit=yes
  dropped_restricted=yes
fi

if [ "$changed_unit" = yes ]; then
  systemctl daemon-reload
  echo "ran        systemctl daemon-reload"
fi
if systemctl is-enabled --quiet rcon-agent; then
  echo "unchanged  rcon-agent enabled"
else
  systemctl enable --quiet rcon-agent
  echo "enabled    rcon-agent"
fi
if systemctl is-active --quiet rcon-agent; then
  if [ "$changed_unit" = yes ] || [ "$changed_jar" = yes ]; then
    systemctl restart rcon-agent
    echo "restarted  rcon-agent"
  elif [ "$changed_keys" = yes ]; then
    systemctl reload rcon-agent
    echo "reloaded   rcon-agent (new key)"
  else
    echo "unchanged  rcon-agent running"
  fi
else
  systemctl start rcon-agent
  echo "started    rcon-agent"
fi
# The restricted unit's copy of the keys, owned by rcon, goes with that unit's ExecStopPost; the
# agent was stopped under the default unit, which has none.
if [ "$dropped_restricted" = yes ] && [ -e /run/rcon-agent-keys ]; then
  rm -rf /run/rcon-agent-keys
  echo "removed    /run/rcon-agent-keys (the restricted unit's copy of the keys)"
fi
# The restricted unit's class-data archive, rcon's: the default unit never reads it, and it is stale.
if [ "$dropped_restricted" = yes ] && [ -e /var/cache/rcon-agent-restricted ]; then
  rm -rf /var/cache/rcon-agent-restricted
  echo "removed    /var/cache/rcon-agent-restricted (the restricted unit's class-data archive)"
fi
