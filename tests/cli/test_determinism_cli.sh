#!/usr/bin/env bash
# The same input gives the same bytes: a training run repeated with the same
# seed and thread count ends in bit for bit the same model and checkpoint, and
# translation (greedy and beam) and scoring with 2 threads equal 1 thread.
set -u
nmt=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
source "$here/assert.sh"
enter_scratch_dir

write_toy_corpus 3
printf 'uno dos\ngato\ncasa perro\n' > valid.src
printf 'one two\ncat\nhouse dog\n' > valid.tgt
options=(--train-src train.src --train-tgt train.tgt --valid-src valid.src --valid-tgt valid.tgt
         --embedding-size 32 --hidden-size 48 --vocab-size 30 --batch-size 16 --valid-every 50
         --early-stopping perplexity --threads 2)
for run in a b; do
  "$nmt" train "${options[@]}" --max-steps 250 --seed 11 -m $run.nmt 2> $run.log || fail "training run $run: $(tail -n 3 $run.log)"
done
python3 "$here/../faults/same_weights.py" a.nmt b.nmt || fail "two runs with the same seed: best models differ"
python3 "$here/../faults/same_weights.py" a.nmt.checkpoint b.nmt.checkpoint || fail "two runs: checkpoints differ"
"$nmt" train "${options[@]}" --max-steps 50 --seed 12 -m c.nmt 2> c.log || fail "training with another seed: $(tail -n 3 c.log)"
python3 "$here/../faults/same_weights.py" a.nmt c.nmt > /dev/null && fail "the comparison found no difference to another run"

# Sentences of every length the model saw, so batches hold many lengths.
{ cat train.src; cat valid.src; } | head -n 300 > input.src
head -n 300 train.tgt > input.tgt
for beam in 1 4; do
  for threads in 1 2; do
    "$nmt" translate -m a.nmt -i input.src -o out.b$beam.t$threads --beam-size $beam --threads $threads --quiet ||
      fail "translate beam $beam, $threads threads"
  done
  cmp -s out.b$beam.t1 out.b$beam.t2 || fail "beam $beam: 2 threads translate differently from 1"
  # A model that says nothing would pass the comparison trivially.
  [ "$(grep -c . out.b$beam.t1)" -ge 250 ] || fail "beam $beam: $(grep -c . out.b$beam.t1) of 300 lines translated"
done
for threads in 1 2; do
  "$nmt" score -m a.nmt --src input.src --tgt input.tgt -o scores.t$threads --threads $threads 2>/dev/null ||
    fail "score with $threads threads"
done
cmp -s scores.t1 scores.t2 || fail "2 threads score differently from 1"
finish
