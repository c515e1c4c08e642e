#!/usr/bin/env bash
# The main job end to end on a real corpus: install, build, build the Spanish-
# English Bible corpus from Debian's SWORD modules, train subword models and an
# LSTM encoder-decoder, translate the held-out test books, print BLEU and chrF.
#
#   ./scripts/quickstart.sh [--minutes N] [--quick] [--threads N] [--work DIR]
#
# --minutes N  training budget in minutes (default 22: about 30 minutes in all
#              on a 2-core machine, build included)
# --quick      3 minutes of training and a smaller subword vocabulary: a first look
# --threads N  threads for training and translation (default: all cores)
# --work DIR   where corpus, models and outputs go (default: ./work)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work="$root/work"
minutes=22
threads=0
vocab_size=8000
valid_every=1000
while [ $# -gt 0 ]; do
  case "$1" in
    --minutes) minutes=$2; shift ;;
    --quick) minutes=3; vocab_size=4000; valid_every=400 ;;
    --threads) threads=$2; shift ;;
    --work) work=$2; shift ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "quickstart: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

step() { printf '\n== %s\n' "$*"; }
started=$(date +%s)

step "1/6 installing packages and building (Release)"
"$root/scripts/install_deps.sh" diatheke sword-text-web sword-text-sparv python3-matplotlib
"$root/scripts/build.sh"
nmt="${BUILD_DIR:-$root/build}/cli/nmt"

step "2/6 building the Spanish-English Bible corpus"
"$root/scripts/prepare_bible.sh" --out "$work/bible"
corpus="$work/bible"

step "3/6 training a joint SentencePiece model ($vocab_size pieces)"
mkdir -p "$work/model"
"$nmt" vocab --input "$corpus/train.es" "$corpus/train.en" --vocab-size "$vocab_size" \
  --character-coverage 1.0 --model-prefix "$work/model/spm"

step "4/6 training the translation model for $minutes minutes"
# A fresh run each time: the previous run's model and checkpoint are replaced.
rm -f "$work/model/es-en.nmt" "$work/model/es-en.nmt.checkpoint" "$work/model/es-en.nmt.step-"*.checkpoint \
  "$work/model/train.jsonl"
train_started=$(date +%s)
"$nmt" train --train-src "$corpus/train.es" --train-tgt "$corpus/train.en" \
  --valid-src "$corpus/valid.es" --valid-tgt "$corpus/valid.en" \
  --source-vocab "$work/model/spm.model" --target-vocab "$work/model/spm.model" \
  -m "$work/model/es-en.nmt" --max-epochs 0 --max-minutes "$minutes" \
  --valid-every "$valid_every" --patience 0 --threads "$threads" --log "$work/model/train.log" \
  --log-json "$work/model/train.jsonl" --keep-checkpoints 5
train_seconds=$(( $(date +%s) - train_started ))

step "5/6 translating the test books (greedy search)"
"$nmt" translate -m "$work/model/es-en.nmt" -i "$corpus/test.es" -o "$work/test.hyp.en" --threads "$threads"
paste -d '\n' <(head -n 3 "$corpus/test.es" | sed 's/^/  es:  /') <(head -n 3 "$corpus/test.en" | sed 's/^/  ref: /') \
  <(head -n 3 "$work/test.hyp.en" | sed 's/^/  nmt: /')

step "6/6 scoring against the reference translation"
"$nmt" bleu "$corpus/test.en" -i "$work/test.hyp.en" -m bleu chrf -f text | tee "$work/test.scores.txt"
/usr/bin/python3 "$root/scripts/plot_training.py" "$work/model/train.jsonl" -o "$work/model/curves.png" \
  --title "nmt quickstart: Spanish-English Bible, $minutes minutes" >/dev/null &&
  echo "learning curves: $work/model/curves.png"
echo
echo "training: ${train_seconds}s; all steps: $(( $(date +%s) - started ))s"
echo "model: $work/model/es-en.nmt (translate more with: $nmt translate -m $work/model/es-en.nmt -i FILE)"
