#!/usr/bin/env bash
# Runs the README's two commands as a new user would: in a clean Debian 12
# root made with debootstrap, from a git clone of this repository's main
# branch, with nothing else beside it. Prints the wall time of each command.
# Not part of the test suite: it takes a quarter of an hour and needs root.
#
#   sudo bash tools/fresh-root-run.sh [root-dir] [branch]
#
# The root uses the same Debian archive as this machine's apt sources.
set -euo pipefail
trap 'echo "fresh-root-run: failed at line $LINENO" >&2' ERR
repo=$(cd "$(dirname "$0")/.." && pwd)
root=${1:-/var/tmp/corotidy-fresh-root}
branch=${2:-main}
[ "$(id -u)" -eq 0 ] || { echo "fresh-root-run: needs root (debootstrap, chroot, mount)" >&2; exit 2; }

if ! command -v debootstrap >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
fi

# The archive this machine reaches: the first Debian URI in its apt sources.
mirror=$(grep -hoE '(URIs:|deb) +https?://[^ ]+/debian/?( |$)' \
           /etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list 2>/dev/null |
         grep -oE 'https?://[^ ]+' | head -n1 || true)
mirror=${mirror:-http://deb.debian.org/debian}

cleanup() {
  for m in dev/pts dev proc sys; do
    mountpoint -q "$root/$m" 2>/dev/null && umount -l "$root/$m" || true
  done
}
trap cleanup EXIT

cleanup
rm -rf "$root"
echo "== debootstrap bookworm into $root from $mirror =="
debootstrap --variant=minbase bookworm "$root" "$mirror" >/dev/null
cat >"$root/etc/apt/sources.list" <<EOF
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb ${mirror%/debian*}/debian-security bookworm-security main
EOF
cp /etc/resolv.conf "$root/etc/resolv.conf"
mount -t proc proc "$root/proc"
mount --rbind /sys "$root/sys"
mount --rbind /dev "$root/dev"

# A new user has git (to clone) and nothing else.
chroot "$root" /usr/bin/env DEBIAN_FRONTEND=noninteractive bash -c \
  'apt-get update -qq && apt-get install -y -qq --no-install-recommends git ca-certificates >/dev/null'
git clone -q --branch "$branch" "file://$repo" "$root/root/corotidy"

# Runs one README command in the clone; prints its last lines and wall time.
run_readme_command() {
  local cmd=$1 log=$2 start end status=0
  start=$(date +%s)
  chroot "$root" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    bash -c "cd /root/corotidy && $cmd" >"$log" 2>&1 || status=$?
  end=$(date +%s)
  echo "== \$ $cmd   (exit $status, wall time $((end - start)) s; full log: $log) =="
  tail -n 15 "$log"
  return $status
}

logs=$(mktemp -d)
run_readme_command "bash tools/setup.sh" "$logs/setup.log"
run_readme_command "bash tools/test.sh" "$logs/test.log"
