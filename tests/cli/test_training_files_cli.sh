#!/usr/bin/env bash
# What nmt train leaves behind besides the model: the JSON log, kept
# checkpoints, the configuration inside the model, and its learning curves.
set -u
nmt=$1
here=$(cd "$(dirname "$0")" && pwd)
source "$here/assert.sh"
enter_scratch_dir

write_toy_corpus 7
printf 'uno dos\ngato\ncasa perro\n' > valid.src
printf 'one two\ncat\nhouse dog\n' > valid.tgt
small="--embedding-size 16 --hidden-size 32 --layers 1 --vocab-size 30 --batch-size 16 --threads 1 --learning-rate 0.001 --lr-decay none"
train=(--train-src train.src --train-tgt train.tgt --valid-src valid.src --valid-tgt valid.tgt -m m.nmt $small)

expect_exit 0 "train" -- "$nmt" train "${train[@]}" --max-steps 30 --valid-every 10 --display-seconds 0 \
  --keep-checkpoints 2 --log-json log.jsonl
# Checkpoints at every validation (10, 20, 30) and at the first epoch's end
# (between 20 and 30: some 25 batches of 16 of the 400 pairs); the last two are kept.
kept=$(ls m.nmt.step-*.checkpoint | sed 's/m.nmt.step-\([0-9]*\).checkpoint/\1/' | sort -n | tr '\n' ' ')
set -- $kept
[ $# -eq 2 ] && [ "$2" = 30 ] && [ "$1" -gt 20 ] && [ "$1" -lt 30 ] || fail "kept checkpoints at steps: $kept"
cmp -s m.nmt.step-30.checkpoint m.nmt.checkpoint || fail "the newest kept checkpoint differs from m.nmt.checkpoint"

/usr/bin/env python3 - log.jsonl <<'PY' || fail "JSON log"
import json, sys
records = [json.loads(line) for line in open(sys.argv[1])]
train = [r for r in records if r["type"] == "train"]
valid = [r for r in records if r["type"] == "valid"]
assert len(train) == 30, len(train)  # --display-seconds 0: a progress record every step
assert [r["step"] for r in valid] == [10, 20, 30], valid
for r in train:
    assert set(r) == {"type", "step", "epoch", "loss", "perplexity", "learning_rate", "gradient_norm",
                      "target_tokens_per_second", "elapsed_seconds"}, r
    assert r["perplexity"] > 1 and r["target_tokens_per_second"] > 0 and r["learning_rate"] == 0.001
assert train[-1]["epoch"] == 2 and train[0]["epoch"] == 1
assert all(0 <= r["bleu"] <= 100 and isinstance(r["best"], bool) for r in valid)
assert valid[0]["best"]
PY

# The effective configuration travels inside the model and the checkpoint.
"$nmt" train "${train[@]}" --max-steps 30 --valid-every 10 --keep-checkpoints 2 --log-json log.jsonl \
  --display-seconds 0 --dump-config > dumped.yml
for file in m.nmt m.nmt.checkpoint; do
  for key in "train-src: train.src" "hidden-size: 32" "keep-checkpoints: 2" "max-steps: 30"; do
    grep -aqF "$key" "$file" || fail "$file lacks '$key' of the training configuration"
  done
done
grep -q "hidden-size: 32" dumped.yml || fail "--dump-config lacks hidden-size"

# Resuming appends to the log and, at --max-steps already, trains no further.
lines=$(wc -l < log.jsonl)
expect_exit 0 "resume at max steps" -- "$nmt" train "${train[@]}" --max-steps 30 --resume --log-json log.jsonl
expect_contains "nothing more trained" "$stderr" "reached --max-steps 30 | step 30"
expect_exit 0 "resume further" -- "$nmt" train "${train[@]}" --max-steps 35 --resume --log-json log.jsonl \
  --display-seconds 0
[ "$(wc -l < log.jsonl)" -gt "$lines" ] || fail "resumed run did not append to the JSON log"
expect_contains "stopped line counts training time" "$stderr" "of training ("

# The learning curves, where matplotlib is installed.
if /usr/bin/python3 -c "import matplotlib" 2>/dev/null; then
  expect_exit 0 "plot" -- /usr/bin/python3 "$here/../../scripts/plot_training.py" log.jsonl -o curves.png
  [ "$(head -c 8 curves.png | od -An -tx1 | tr -d ' ')" = "89504e470d0a1a0a" ] || fail "curves.png is not a PNG"
  printf 'not json\n' > bad.jsonl
  expect_exit 1 "plot of a bad log" -- /usr/bin/python3 "$here/../../scripts/plot_training.py" bad.jsonl
  expect_contains "bad log message" "$stderr" "bad.jsonl:1: not a JSON object"
else
  echo "matplotlib not installed (python3-matplotlib): plot_training.py not checked"
fi
finish
