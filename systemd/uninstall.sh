#!/bin/sh
# Removes what install.sh installed. Run as root.
#
#   uninstall.sh [--purge-keys]
#
# Stops and disables the service, removes the unit, its drop-in, /usr/share/rcon,
# /usr/sbin/rcon-agent, /etc/rcon/agent.json, the class-data archives in /var/cache/rcon-agent
# and /var/cache/rcon-agent-restricted and the system user 'rcon'.
# /etc/rcon/authorized_keys is kept unless --purge-keys is given.
set -eu
purge=no
for arg in "$@"; do
  case $arg in
    --purge-keys) purge=yes ;;
    -h|--help) sed -n '2,10s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) echo "uninstall.sh: unknown option '$arg' (see uninstall.sh --help)" >&2; exit 2 ;;
  esac
done
[ "$(id -u)" -eq 0 ] || { echo "uninstall.sh: must run as root" >&2; exit 1; }

if systemctl list-unit-files rcon-agent.service >/dev/null 2>&1 && [ -e /etc/systemd/system/rcon-agent.service ]; then
  systemctl disable --now --quiet rcon-agent || true
  echo "stopped    rcon-agent (and disabled it)"
fi
for f in /etc/systemd/system/rcon-agent.service.d/restricted.conf /etc/systemd/system/rcon-agent.service \
         /usr/share/rcon/rcon-agent.jar /usr/sbin/rcon-agent /etc/rcon/agent.json; do
  if [ -e "$f" ]; then rm -f "$f"; echo "removed    $f"; fi
done
rmdir /etc/systemd/system/rcon-agent.service.d /usr/share/rcon 2>/dev/null || true
# The class-data archives the unit's start step recorded (CacheDirectory=, which systemd keeps).
for d in /var/cache/rcon-agent /var/cache/rcon-agent-restricted; do
  if [ -e "$d" ]; then rm -rf "$d"; echo "removed    $d"; fi
done
systemctl daemon-reload
echo "ran        systemctl daemon-reload"
if [ "$purge" = yes ]; then
  if [ -e /etc/rcon/authorized_keys ]; then rm -f /etc/rcon/authorized_keys; echo "removed    /etc/rcon/authorized_keys"; fi
  # The lock every key change takes, and a change's staging file a crash left behind.
  rm -f /etc/rcon/.authorized_keys.rcon-lock /etc/rcon/.authorized_keys.rcon-new
  rmdir /etc/rcon 2>/dev/null || true
elif [ -e /etc/rcon/authorized_keys ]; then
  echo "kept       /etc/rcon/authorized_keys (remove it with --purge-keys)"
fi
if getent passwd rcon >/dev/null; then
  userdel rcon
  echo "removed    system user rcon"
fi
