#!/usr/bin/env bash
# Build the Spanish-English Bible corpus (Reina-Valera 1909 / World English
# Bible) from the SWORD modules Debian ships.
#   scripts/prepare_bible.sh [--out DIR] [--force]     (default DIR: data/bible)
# Writes train/valid/test.{es,en} and manifest.txt; reruns are no-ops while
# the files match the manifest. The work is done by bible_corpus.py.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# Install what is missing; sudo only when not already root.
need_packages() {
  local missing=() pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed' \
      || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return
  echo "installing ${missing[*]}"
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  # A fresh system may have no package lists yet.
  "${sudo[@]}" apt-get install -y -q "${missing[@]}" >/dev/null \
    || { "${sudo[@]}" apt-get update -q >/dev/null \
         && "${sudo[@]}" apt-get install -y -q "${missing[@]}" >/dev/null; }
}

need_packages python3 diatheke sword-text-web sword-text-sparv
exec python3 "$here/bible_corpus.py" bible "$@"
