#!/usr/bin/env bash
# A language-identification corpus for nmt train --task classify: fortunes in
# seven languages from Debian's fortune packages (English, German, Spanish,
# Italian, Russian, Polish, Czech), one per line with its language as label.
#   scripts/prepare_langid.sh --out DIR [--per-language N] [--held-out M]
# Installs the packages when missing; writes DIR/{train,valid,test}.{txt,labels}
# and manifest.txt (see langid_corpus.py).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
languages=(en=fortunes de=fortunes-de es=fortunes-es it=fortunes-it ru=fortunes-ru pl=fortunes-pl cs=fortunes-cs)
packages=(python3)
for pair in "${languages[@]}"; do packages+=("${pair#*=}"); done
"$here/install_deps.sh" "${packages[@]}"
exec python3 "$here/langid_corpus.py" "$@" "${languages[@]}"
