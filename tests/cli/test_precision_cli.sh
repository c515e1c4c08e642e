#!/usr/bin/env bash
# nmt translate --precision int8 as a user runs it: on toy models (attention,
# and no attention with a two-layer bidirectional encoder) it keeps every line
# in order and translates (nearly) every line as f32 does, greedy and beam 5,
# with and without a shortlist; an unknown precision is bad usage.
set -u
nmt=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
source "$here/assert.sh"
enter_scratch_dir

write_toy_corpus 4
head -n 100 train.src > input.src
common=(--train-src train.src --train-tgt train.tgt --embedding-size 32 --hidden-size 48 --vocab-size 30
        --batch-size 16 --max-steps 200 --threads 1)
"$nmt" train "${common[@]}" -m dot.nmt 2> train.log || fail "train: $(tail -n 3 train.log)"
"$nmt" train "${common[@]}" -m plain.nmt --attention none --layers 2 --bidirectional-encoder 2> train2.log ||
  fail "train without attention: $(tail -n 3 train2.log)"
"$nmt" shortlist -m dot.nmt --src train.src --tgt train.tgt -o list.txt --best 5 --frequent 3 2> /dev/null ||
  fail "shortlist"

# Lines (of 100) that two translations share.
same_lines() { paste -d '\t' "$1" "$2" | awk -F '\t' '$1 == $2' | wc -l; }

for model in dot plain; do
  for beam in 1 5; do
    "$nmt" translate -m $model.nmt -i input.src -o f32.tgt -b $beam --quiet || fail "$model beam $beam f32"
    "$nmt" translate -m $model.nmt -i input.src -o int8.tgt -b $beam --quiet --precision int8 ||
      fail "$model beam $beam int8"
    [ "$(grep -c . f32.tgt)" -ge 90 ] || fail "$model translates too little to compare: $(head -n 3 f32.tgt)"
    expect_equal "$model beam $beam int8: every line" "$(wc -l < int8.tgt)" 100
    same=$(same_lines f32.tgt int8.tgt)
    [ "$same" -ge 95 ] || fail "$model beam $beam: int8 translates only $same of 100 lines as f32: $(diff f32.tgt int8.tgt | head -n 4)"
  done
done
"$nmt" translate -m dot.nmt -i input.src -o f32.tgt --quiet --shortlist list.txt || fail "f32 --shortlist"
"$nmt" translate -m dot.nmt -i input.src -o int8.tgt --quiet --shortlist list.txt --precision int8 ||
  fail "int8 --shortlist"
same=$(same_lines f32.tgt int8.tgt)
[ "$same" -ge 95 ] || fail "int8 with a shortlist translates only $same of 100 lines as f32"

expect_exit 2 "an unknown precision" -- "$nmt" translate -m dot.nmt -i input.src --precision f16
expect_contains "unknown precision: message" "$stderr" "f16"
finish
