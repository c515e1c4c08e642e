#!/usr/bin/env bash
# nmt translate --precision int8 and bf16 as a user runs it: on toy models
# (attention, and no attention with a two-layer bidirectional encoder) each
# keeps every line in order and translates (nearly) every line as f32 does,
# greedy and beam 5, with and without a shortlist; nmt train --precision bf16
# trains a model that translates as well. bf16 where the CPU lacks it is a
# clear error (checked here with oneDNN held to AVX2), auto falls back to f32,
# an unknown precision is bad usage.
set -u
nmt=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
source "$here/assert.sh"
enter_scratch_dir

write_toy_corpus 4
head -n 100 train.src > input.src
head -n 100 train.tgt > input.tgt
# 800 steps: the models then translate nearly all of these lines right (checked
# below). Half-trained, their choices are near ties that any rounding flips,
# and agreement with f32 would measure the training run, not the precision.
common=(--train-src train.src --train-tgt train.tgt --embedding-size 32 --hidden-size 48 --vocab-size 30
        --batch-size 16 --max-steps 800 --max-epochs 0 --threads 1)
"$nmt" train "${common[@]}" -m dot.nmt 2> train.log || fail "train: $(tail -n 3 train.log)"
"$nmt" train "${common[@]}" -m plain.nmt --attention none --layers 2 --bidirectional-encoder 2> train2.log ||
  fail "train without attention: $(tail -n 3 train2.log)"
"$nmt" shortlist -m dot.nmt --src train.src --tgt train.tgt -o list.txt --best 5 --frequent 3 2> /dev/null ||
  fail "shortlist"

# Lines (of 100) that two translations share.
same_lines() { paste -d '\t' "$1" "$2" | awk -F '\t' '$1 == $2' | wc -l; }

# bf16 runs where oneDNN finds AVX512-BF16 or AMX; elsewhere it must refuse.
precisions=(int8)
if "$nmt" translate -m dot.nmt -i input.src -o /dev/null --quiet --precision bf16 2> bf16.err; then
  precisions+=(bf16)
else
  expect_contains "bf16 refused where the CPU lacks it" "$(cat bf16.err)" "bf16 needs a CPU with AVX512-BF16 or AMX"
fi
export ONEDNN_MAX_CPU_ISA=AVX2
expect_exit 1 "bf16 on a CPU without it" -- "$nmt" translate -m dot.nmt -i input.src --precision bf16
expect_contains "bf16 refusal: message" "$stderr" "oneDNN found avx2"
expect_exit 1 "bf16 training on a CPU without it" -- "$nmt" train "${common[@]}" -m never.nmt --precision bf16
[ ! -e never.nmt ] || fail "a refused bf16 training wrote a model"
"$nmt" translate -m dot.nmt -i input.src -o auto.tgt --quiet --precision auto || fail "auto without bf16"
"$nmt" translate -m dot.nmt -i input.src -o f32.tgt --quiet || fail "f32 without bf16"
expect_equal "auto is f32 without bf16" "$(cat auto.tgt)" "$(cat f32.tgt)"
unset ONEDNN_MAX_CPU_ISA

for model in dot plain; do
  for beam in 1 5; do
    "$nmt" translate -m $model.nmt -i input.src -o f32.tgt -b $beam --quiet || fail "$model beam $beam f32"
    [ "$(same_lines f32.tgt input.tgt)" -ge 90 ] ||
      fail "$model beam $beam translates too few lines right to compare: $(diff f32.tgt input.tgt | head -n 4)"
    for precision in "${precisions[@]}"; do
      "$nmt" translate -m $model.nmt -i input.src -o low.tgt -b $beam --quiet --precision $precision ||
        fail "$model beam $beam $precision"
      expect_equal "$model beam $beam $precision: every line" "$(wc -l < low.tgt)" 100
      same=$(same_lines f32.tgt low.tgt)
      [ "$same" -ge 95 ] ||
        fail "$model beam $beam: $precision translates only $same of 100 lines as f32: $(diff f32.tgt low.tgt | head -n 4)"
    done
  done
done
"$nmt" translate -m dot.nmt -i input.src -o f32.tgt --quiet --shortlist list.txt || fail "f32 --shortlist"
for precision in "${precisions[@]}"; do
  "$nmt" translate -m dot.nmt -i input.src -o low.tgt --quiet --shortlist list.txt --precision $precision ||
    fail "$precision --shortlist"
  same=$(same_lines f32.tgt low.tgt)
  [ "$same" -ge 95 ] || fail "$precision with a shortlist translates only $same of 100 lines as f32"
done

if [[ " ${precisions[*]} " == *" bf16 "* ]]; then
  # A model trained in bf16 translates its training sentences as well as the
  # f32 one (the toy corpus is learnt almost by heart in 800 steps).
  "$nmt" train "${common[@]}" -m bf16.nmt --precision bf16 2> train3.log || fail "bf16 train: $(tail -n 3 train3.log)"
  expect_contains "bf16 training logs its precision" "$(cat train3.log)" "precision: bf16"
  "$nmt" translate -m bf16.nmt -i input.src -o bf16.tgt --quiet || fail "translate the bf16-trained model"
  "$nmt" translate -m dot.nmt -i input.src -o f32.tgt --quiet
  f32_right=$(same_lines f32.tgt input.tgt)
  bf16_right=$(same_lines bf16.tgt input.tgt)
  [ "$bf16_right" -ge $((f32_right - 10)) ] ||
    fail "the bf16-trained model gets $bf16_right of 100 training lines right, the f32 one $f32_right"
  echo "lines right: f32 $f32_right, bf16 $bf16_right"
fi

expect_exit 2 "an unknown precision" -- "$nmt" translate -m dot.nmt -i input.src --precision f16
expect_contains "unknown precision: message" "$stderr" "f16"
finish
