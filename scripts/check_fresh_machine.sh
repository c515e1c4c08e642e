#!/usr/bin/env bash
# Proves the README's set-up on a fresh machine: runs ./scripts/test.sh (and,
# with --quickstart, ./scripts/quickstart.sh --quick) in a clone of the current
# commit inside a minimal Debian bookworm root, then prints how long each phase
# took. Needs root (chroot, mount) and Debian's archive.
#
#   scripts/check_fresh_machine.sh [--quickstart] [--refresh]
#
# --quickstart  also run ./scripts/quickstart.sh --quick in the root
# --refresh     bootstrap the root anew instead of using the cached one
#
# The bootstrapped root (mmdebstrap --variant=minbase) is cached as a tarball
# in $NMT_FRESH_CACHE (default /var/cache/nmt-fresh-root) and bootstrapped anew
# when older than 30 days; the project's packages are installed afresh every
# run, in a throwaway copy of it. Exits 1 when a check fails or the archive
# cannot be reached.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
suite=bookworm
variant=minbase
cache=${NMT_FRESH_CACHE:-/var/cache/nmt-fresh-root}
tarball="$cache/$suite-$variant.tar"
quickstart=0
refresh=0
arguments=("$@")
while [ $# -gt 0 ]; do
  case "$1" in
    --quickstart) quickstart=1 ;;
    --refresh) refresh=1 ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "check_fresh_machine: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "check_fresh_machine: needs root (chroot, mount)" >&2; exit 2; }
  exec sudo "$0" "${arguments[@]}"
fi
if ! command -v mmdebstrap >/dev/null; then
  echo "installing mmdebstrap"
  # A machine whose package lists were never fetched needs them first.
  apt-get install -y -qq --no-install-recommends mmdebstrap >/dev/null 2>&1 ||
    { apt-get update -qq && apt-get install -y -qq --no-install-recommends mmdebstrap >/dev/null; } ||
    { echo "check_fresh_machine: cannot install mmdebstrap (is Debian's archive reachable?)" >&2; exit 1; }
fi

started=$EPOCHSECONDS
mkdir -p "$cache"
tmp=$(mktemp -d /var/tmp/nmt-fresh.XXXXXX)
root="$tmp/root"
log="$tmp/check.log"
mkdir "$root"
: >"$log"
kept_log="$cache/check-$(date +%Y%m%d-%H%M%S)-$$.log"

cleanup() {
  local status=$? mount
  [ -z "${new:-}" ] || rm -f "$new"  # a cache tarball cut short
  # Ours and, when it was cut short, mmdebstrap's: everything under $tmp, deepest first.
  awk -v tmp="$tmp/" 'index($2, tmp) == 1 { print $2 }' /proc/self/mounts | sort -r |
    while IFS= read -r mount; do umount "$mount" 2>/dev/null || umount -l "$mount"; done
  # Kept per run (runs may overlap), the ten newest.
  cp "$log" "$kept_log"
  find "$cache" -maxdepth 1 -name 'check-*.log' -printf '%T@ %p\n' | sort -rn | tail -n +11 |
    cut -d' ' -f2- | xargs -r rm -f
  # rm must never reach the host's /dev or /proc through a mount left behind.
  if grep -q " $tmp/" /proc/self/mounts; then
    echo "check_fresh_machine: $tmp is still mounted; left it in place" >&2
  else
    rm -rf --one-file-system "$tmp"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Every line of the log carries the seconds since the start, so phases can be
# timed from what the scripts print.
stamp() {
  local line
  while IFS= read -r line || [ -n "$line" ]; do
    printf '[%5ds] %s\n' $((EPOCHSECONDS - started)) "$line"
  done
}

# The archive was out of reach when a download failed before anything was
# built in the phase that failed (log lines from $phase_start on).
network_error() {
  local phase_log
  phase_log=$(tail -n +"$phase_start" "$log")
  grep -q -E '^\[ *[0-9]+s\] \[ *[0-9]+%\]' <<<"$phase_log" && return
  grep -m1 -E "Temporary failure resolving|Could not resolve|Could not connect|Failed to fetch|\
Unable to connect|Connection timed out|Network is unreachable|No route to host|Cannot initiate the connection" <<<"$phase_log" |
    sed -E 's/^\[ *[0-9]+s\] +//'
}
phase_start=1
new_phase() { phase_start=$(($(wc -l <"$log") + 1)); }

fail() {
  local reason
  reason=$(network_error || true)
  if [ -n "$reason" ]; then
    echo "check_fresh_machine: cannot reach the Debian archive ($reason); log: $kept_log" >&2
  else
    echo "check_fresh_machine: $* failed; the log's last lines (all of it: $kept_log):" >&2
    tail -n 40 "$log" | sed 's/^/  /' >&2
  fi
  exit 1
}

if [ "$refresh" -eq 1 ] || [ -z "$(find "$tarball" -mtime -30 2>/dev/null)" ]; then
  echo "== bootstrapping a $suite $variant root, cached in $tarball"
  # Into the throwaway root itself, so that whatever an interrupted mmdebstrap
  # leaves mounted or written lies under $tmp.
  TMPDIR="$tmp" mmdebstrap --variant="$variant" --mode=root "$suite" "$root" 2>&1 | stamp >>"$log" ||
    fail "mmdebstrap"
  new="$cache/$suite-$variant.new.tar"
  tar -C "$root" --one-file-system -cf "$new" .
  mv "$new" "$tarball"
  new=""
  root_source="bootstrapped"
else
  root_source="cached $(date -r "$tarball" +%F)"
  tar -C "$root" -xpf "$tarball"
fi
cp -L /etc/resolv.conf "$root/etc/resolv.conf"
mount -t proc proc "$root/proc"
mount -t sysfs sysfs "$root/sys"
mount --rbind /dev "$root/dev"
mount --make-rslave "$root/dev"

# A plain clone of the commit: no uncommitted files, nothing from beside the repository.
commit=$(git -C "$repo" rev-parse HEAD)
git clone -q --no-checkout "$repo" "$root/nmt"
git -C "$root/nmt" fetch -q "$repo" HEAD
git -C "$root/nmt" -c advice.detachedHead=false checkout -q --detach FETCH_HEAD
root_seconds=$((EPOCHSECONDS - started))

# A fresh machine's root shell: none of this machine's environment (compiler
# launchers, build folders) leaks in.
in_root() {
  chroot "$root" /usr/bin/env -i HOME=/root TERM=dumb ${JOBS:+JOBS=$JOBS} \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin sh -c "cd /nmt && $1"
}
# shellcheck disable=SC2016 # dpkg-query, not the shell, expands ${Status}
installed_packages() {
  chroot "$root" dpkg-query -W -f='${Status}\n' | grep -c "install ok installed"
}
apt_finished() {  # when apt last wrote its logs in the root
  stat -c %Y "$root/var/log/apt/history.log" "$root/var/log/dpkg.log" 2>/dev/null | sort -n | tail -n 1
}
seconds_at() {  # the log's stamp on the first line matching $1
  grep -m1 -E "^\[ *[0-9]+s\] $1" "$log" | sed -E 's/^\[ *([0-9]+)s\].*/\1/'
}
cpu_seconds() {  # user+sys of the children, from `times` written to $1 by this very shell
  tail -n 1 "$1" | awk '{ split($1, u, "m"); split($2, s, "m"); printf "%d\n", u[1] * 60 + u[2] + s[1] * 60 + s[2] }'
}
duration() { printf '%dm%02ds' $(($1 / 60)) $(($1 % 60)); }

echo "== ./scripts/test.sh in a fresh $suite root ($root_source), commit ${commit:0:12}"
packages_before=$(installed_packages)
test_started=$EPOCHSECONDS
times >"$tmp/times.before"
new_phase
in_root ./scripts/test.sh 2>&1 | stamp >>"$log" || fail "./scripts/test.sh"
test_finished=$EPOCHSECONDS
times >"$tmp/times.after"
test_cpu_seconds=$(($(cpu_seconds "$tmp/times.after") - $(cpu_seconds "$tmp/times.before")))
packages_installed=$(($(installed_packages) - packages_before))
install_finished=$(apt_finished)
[ "$install_finished" -ge "$test_started" ] || install_finished=$test_started
ctest_started=$((started + $(seconds_at "Test project")))
passed_line=$(grep -E "tests passed" "$log" | tail -n 1 | sed -E 's/^\[ *[0-9]+s\] //')

if [ "$quickstart" -eq 1 ]; then
  echo "== ./scripts/quickstart.sh --quick in the same root"
  packages_before=$(installed_packages)
  quickstart_started=$EPOCHSECONDS
  new_phase
  in_root "./scripts/quickstart.sh --quick" 2>&1 | stamp >>"$log" || fail "./scripts/quickstart.sh --quick"
  quickstart_seconds=$((EPOCHSECONDS - quickstart_started))
  quickstart_packages=$(($(installed_packages) - packages_before))
fi

echo "== all passed in $(duration $((EPOCHSECONDS - started))) (clean $suite $variant root, commit ${commit:0:12})"
printf '  %-10s %7s  %s\n' \
  root "$(duration "$root_seconds")" "$root_source root, clone of the commit" \
  packages "$(duration $((install_finished - test_started)))" "$packages_installed packages installed by ./scripts/test.sh" \
  build "$(duration $((ctest_started - install_finished)))" "configure and build (Release)" \
  tests "$(duration $((test_finished - ctest_started)))" "$passed_line" \
  cpu "$(duration "$test_cpu_seconds")" "CPU time (user+sys) of ./scripts/test.sh"
if [ "$quickstart" -eq 1 ]; then
  printf '  %-10s %7s  %s\n' quickstart "$(duration "$quickstart_seconds")" \
    "--quick, $quickstart_packages more packages; $(grep -E '^\[ *[0-9]+s\] training: ' "$log" | tail -n 1 | sed -E 's/^\[ *[0-9]+s\] //')"
  tail -n +"$phase_start" "$log" | grep -E '^\[ *[0-9]+s\] +(BLEU|chrF)' | sed -E 's/^\[ *[0-9]+s\] +/  /'
fi
