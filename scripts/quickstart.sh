#!/usr/bin/env bash
# The main job end to end on a real corpus: install, build, build the Spanish-
# English Bible corpus from Debian's SWORD modules, train subword models, and
# tokenize the corpus.
#
#   ./scripts/quickstart.sh [--quick] [--work DIR]
#
# --quick   a smaller subword vocabulary, for a first look in a minute or two
# --work    where corpus, models and outputs go (default: ./work)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work="$root/work"
vocab_size=8000
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) vocab_size=4000 ;;
    --work) work=$2; shift ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "quickstart: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

step() { printf '\n== %s\n' "$*"; }

step "1/4 installing packages and building (Release)"
"$root/scripts/install_deps.sh" diatheke sword-text-web sword-text-sparv
"$root/scripts/build.sh"
nmt="${BUILD_DIR:-$root/build}/cli/nmt"

step "2/4 building the Spanish-English Bible corpus"
"$root/scripts/prepare_bible.sh" --out "$work/bible"
corpus="$work/bible"

step "3/4 training a joint SentencePiece model ($vocab_size pieces)"
mkdir -p "$work/model"
"$nmt" vocab --input "$corpus/train.es" "$corpus/train.en" --vocab-size "$vocab_size" \
  --character-coverage 1.0 --model-prefix "$work/model/spm"

step "4/4 tokenizing the corpus"
for split in train valid test; do
  for lang in es en; do
    "$nmt" tokenize -m "$work/model/spm.model" -i "$corpus/$split.$lang" -o "$work/model/$split.tok.$lang"
  done
done
echo "first test sentence, tokenized:"
head -n 1 "$work/model/test.tok.es"
head -n 1 "$work/model/test.tok.en"
echo
echo "done: corpus in $corpus, subword model and tokenized text in $work/model"
