#!/usr/bin/env bash
# The generated completion, driven as a user would: an interactive bash and an interactive zsh on
# a real pseudo-terminal, typing `rcon pu<TAB>` and `rcon put --fano<TAB>`, must complete to
# `put` and `--fanout`. Run after `mvn -B package`; installs zsh with apt-get if missing.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
bash_script=$top/packaging/target/docs/completion/rcon
zsh_shim=$top/packaging/src/deb/console/zsh/_rcon
[ -f "$bash_script" ] || { echo "completion-test: build first: mvn -B -DskipTests package" >&2; exit 1; }
if ! command -v zsh >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq zsh >/dev/null
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$zsh_shim" "$work/_rcon"

# drive SHELL SETUP: types SETUP, then the two completions, and prints what the terminal showed.
drive() {
  python3 - "$@" <<'PY'
import os, pty, select, sys, time
shell, setup = sys.argv[1], sys.argv[2]
pid, fd = pty.fork()
if pid == 0:
    argv = ["zsh", "-f", "-i"] if shell == "zsh" else ["bash", "--norc", "--noprofile", "-i"]
    os.execvpe(argv[0], argv, {"TERM": "dumb", "PATH": "/usr/bin:/bin", "HOME": os.environ["WORK"]})
seen = b""
def read_for(seconds):
    global seen
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        r, _, _ = select.select([fd], [], [], 0.1)
        if r:
            try:
                seen += os.read(fd, 4096)
            except OSError:
                return
def type_and_wait(text, expect, seconds=10):
    global seen
    start = len(seen)
    os.write(fd, text.encode())
    end = time.monotonic() + seconds
    while time.monotonic() < end and expect.encode() not in seen[start:]:
        read_for(0.2)
    return expect.encode() in seen[start:]
ok = type_and_wait(setup + "; echo ready-$((6*7))\r", "ready-42", 20)
ok = ok and type_and_wait("rcon pu\t", "put ")
ok = ok and type_and_wait(" --fano\t", "--fanout ")
os.write(fd, b"\x15exit\r")
read_for(0.5)
os.kill(pid, 9)
os.waitpid(pid, 0)
sys.stdout.write(seen.decode(errors="replace"))
sys.exit(0 if ok else 1)
PY
}

export WORK=$work
for shell in bash zsh; do
  if [ "$shell" = bash ]; then
    setup="PS1='> '; source $bash_script; rcon() { :; }"
  else
    setup="PS1='> '; export RCON_BASH_COMPLETION=$bash_script; fpath=($work \$fpath); autoload -U compinit && compinit -u -d $work/zcompdump; rcon() { :; }"
  fi
  if out=$(drive "$shell" "$setup" 2>&1); then
    echo "completion-test: $shell completes rcon's subcommands and options"
  else
    echo "completion-test: $shell did not complete 'rcon pu<TAB>' to put and '--fano<TAB>' to --fanout; the terminal showed:" >&2
    printf '%s\n' "$out" | tr -d '\r' | tail -20 >&2
    exit 1
  fi
done
