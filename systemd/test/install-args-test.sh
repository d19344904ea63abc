#!/usr/bin/env bash
# install.sh refuses an authorized-keys line given as an argument, where every local user could
# read it (ps, /proc/PID/cmdline), before it changes anything: it runs here as an unprivileged user,
# so that a regression fails with "must run as root" instead of installing on this machine.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
fail() { echo "install-args-test: FAIL: $*" >&2; exit 1; }
as_user() {
  if [ "$(id -u)" = 0 ]; then setpriv --reuid=65534 --regid=65534 --clear-groups -- "$@"; else "$@"; fi
}
# A copy the unprivileged user can read wherever the tree was cloned (under /root, say).
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
chmod 0755 "$tmp"
install -m 0644 "$here/install.sh" "$tmp/install.sh"
line="rcon1 00112233445566778899aabbccddeeff $(head -c 32 /dev/urandom | base64) ops@laptop"
status=0
err=$(as_user sh "$tmp/install.sh" --key-line "$line" 2>&1 >/dev/null) || status=$?
[ "$status" = 2 ] || fail "install.sh --key-line LINE exited $status, expected 2: $err"
case $err in *"/proc/PID/cmdline"*"--key-line -"*) ;; *) fail "the refusal does not say why and what to do: $err" ;; esac
[ "$(printf '%s\n' "$err" | wc -l)" = 1 ] || fail "the refusal is not one line: $err"
# The lines of two hosts on stdin (rcon authorize 'web[01-02]' | ...): the first was taken.
second="rcon1 ffeeddccbbaa99887766554433221100 $(head -c 32 /dev/urandom | base64) ops@laptop"
status=0
err=$(printf '%s\n%s\n' "$line" "$second" | as_user sh "$tmp/install.sh" --key-line - 2>&1 >/dev/null) || status=$?
[ "$status" = 2 ] || fail "install.sh --key-line - with two lines exited $status, expected 2: $err"
case $err in *"more than one key line"*) ;; *) fail "the refusal of two lines does not say why: $err" ;; esac
status=0
err=$(printf '# web01\n\n%s\n' "$line" | as_user sh "$tmp/install.sh" --key-line - 2>&1 >/dev/null) || status=$?
case $err in *"must run as root"*) ;; *) fail "one line and a comment were not taken ($status): $err" ;; esac
echo "install-args-test: ok: install.sh refuses a key line given as an argument, in one line naming --key-line -,"
echo "install-args-test: ok: and the lines of several hosts on stdin"
# --help prints each script's whole header: uninstall.sh's stopped mid-sentence, before the line
# that says the keys are kept unless --purge-keys is given.
for script in install.sh uninstall.sh; do
  help=$(sh "$here/$script" --help) || fail "$script --help failed"
  header=$(sed -n '2,/^[^#]/p' "$here/$script" | sed '$d' | sed 's/^# \{0,1\}//')
  [ "$help" = "$header" ] || fail "$script --help is not its header:
$help"
done
echo "install-args-test: ok: install.sh --help and uninstall.sh --help print their whole header"
