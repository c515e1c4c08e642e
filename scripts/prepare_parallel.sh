#!/usr/bin/env bash
# Split a user's own line-aligned parallel files into train/valid/test.
#   scripts/prepare_parallel.sh SRC TGT --out DIR [--valid N] [--test N]
#       [--seed S] [--src-lang L] [--tgt-lang L] [--force]
# Files must have equal line counts; pairs with an empty side are dropped and
# the held-out pairs are picked with a fixed seed, so reruns give the same
# bytes. Writes train/valid/test.{L} and manifest.txt via bible_corpus.py.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

if ! command -v python3 >/dev/null; then
  sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get install -y -q python3 >/dev/null \
    || { "${sudo[@]}" apt-get update -q >/dev/null \
         && "${sudo[@]}" apt-get install -y -q python3 >/dev/null; }
fi
exec python3 "$here/bible_corpus.py" parallel "$@"
