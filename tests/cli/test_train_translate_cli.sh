#!/usr/bin/env bash
# nmt train / translate / bleu as a user runs them, on a tiny corpus.
set -u
nmt=$1
here=$(cd "$(dirname "$0")" && pwd)
source "$here/assert.sh"
enter_scratch_dir

write_toy_corpus 5
printf 'uno dos\ngato\ncasa perro\n' > valid.src
printf 'one two\ncat\nhouse dog\n' > valid.tgt
small="--embedding-size 16 --hidden-size 32 --layers 1 --vocab-size 30 --batch-size 16 --threads 1"

expect_exit 0 "train" -- "$nmt" train --train-src train.src --train-tgt train.tgt --valid-src valid.src \
  --valid-tgt valid.tgt -m m.nmt $small --max-steps 30 --valid-every 15 --log train.log
[ -s m.nmt ] && [ -s m.nmt.checkpoint ] && [ -s m.nmt.spm.model ] || fail "train: model, checkpoint or subword model missing"
expect_contains "log file has validation" "$(cat train.log)" "validation at step 30"

# A second run must not silently overwrite the first one's checkpoint.
expect_exit 1 "existing checkpoint" -- "$nmt" train --train-src train.src --train-tgt train.tgt -m m.nmt $small
expect_contains "existing checkpoint message" "$stderr" "pass --resume"
expect_exit 0 "resume" -- "$nmt" train --train-src train.src --train-tgt train.tgt --valid-src valid.src \
  --valid-tgt valid.tgt -m m.nmt $small --max-steps 40 --valid-every 15 --resume
expect_contains "resume message" "$stderr" "resuming from m.nmt.checkpoint: epoch"
expect_contains "resume reaches max steps" "$stderr" "reached --max-steps 40 | step 40"
case "$stderr" in *"differ from the run"*) fail "resume with a new --max-steps warned: $stderr" ;; esac
expect_exit 0 "resume with another recipe" -- "$nmt" train --train-src train.src --train-tgt train.tgt \
  --valid-src valid.src --valid-tgt valid.tgt -m m.nmt $small --max-steps 40 --valid-every 15 --resume \
  --learning-rate 0.01
expect_contains "changed options are named" "$stderr" "resuming with options that differ from the run that wrote m.nmt.checkpoint: learning-rate 0.01 (was 0.005)"

# Line count and order: empty lines, a very long line, invalid UTF-8.
{ printf 'uno\n\ngato perro\n'; printf 'casa %.0s' $(seq 300); printf '\nbad \xff byte\n\n'; } > input.src
expect_exit 0 "translate" -- "$nmt" translate -m m.nmt -i input.src -o output.tgt --max-length 20
expect_equal "same line count" "$(wc -l < output.tgt)" "$(wc -l < input.src)"
expect_equal "empty line stays empty" "$(sed -n 2p output.tgt)" ""
expect_equal "last empty line stays empty" "$(sed -n 6p output.tgt)" ""
expect_contains "invalid UTF-8 warning names the line" "$stderr" "input.src:5: invalid UTF-8"
expect_exit 0 "translate with a short input limit" -- "$nmt" translate -m m.nmt -i input.src -o cut.tgt --max-input-length 50
expect_contains "over-long line warning names the line" "$stderr" "input.src:4: longer than --max-input-length 50"
expect_equal "same line count with a cut line" "$(wc -l < cut.tgt)" "$(wc -l < input.src)"
expect_exit 1 "strict refuses invalid UTF-8" -- "$nmt" translate -m m.nmt -i input.src --strict
expect_contains "strict message" "$stderr" "input.src:5: invalid UTF-8"
expect_equal "stdin to stdout" "$(printf 'uno\n\ngato perro\n' | "$nmt" translate -m m.nmt --quiet)" "$(head -n 3 output.tgt)"

expect_exit 0 "bleu of a translation" -- "$nmt" bleu -r valid.tgt -i <("$nmt" translate -m m.nmt -i valid.src --quiet)

# Errors.
head -c 1000 m.nmt > truncated.nmt
expect_exit 1 "truncated model" -- "$nmt" translate -m truncated.nmt -i valid.src
expect_contains "truncated model message" "$stderr" "truncated.nmt: checksum mismatch"
expect_exit 1 "missing model" -- "$nmt" translate -m nope.nmt -i valid.src
expect_contains "missing model message" "$stderr" "nope.nmt: cannot open"
head -n 5 train.tgt > short.tgt
expect_exit 1 "line counts differ" -- "$nmt" train --train-src train.src --train-tgt short.tgt -m other.nmt $small
expect_contains "line counts message" "$stderr" "train.src has 400 lines but short.tgt has 5"
expect_exit 1 "resume without checkpoint" -- "$nmt" train --train-src train.src --train-tgt train.tgt -m new.nmt --resume
expect_contains "resume without checkpoint message" "$stderr" "new.nmt.checkpoint: no checkpoint"

# Ctrl-C saves a checkpoint and exits cleanly; --resume continues from it.
"$nmt" train --train-src train.src --train-tgt train.tgt -m int.nmt $small --max-epochs 0 \
  --display-seconds 0.2 2> int.log &
pid=$!
# Interrupt once training has surely started (a progress line is out).
for _ in $(seq 600); do grep -q "| step " int.log 2>/dev/null && break; sleep 0.1; done
grep -q "| step " int.log || fail "no progress line within 60 s: $(cat int.log)"
kill -INT $pid
# It must stop on its own; a hung process is killed and counted as a failure.
for _ in $(seq 600); do kill -0 $pid 2>/dev/null || break; sleep 0.1; done
kill -0 $pid 2>/dev/null && { kill -9 $pid; fail "interrupted run did not stop within 60 s"; }
wait $pid
expect_equal "interrupted run exits 0" "$?" 0
expect_contains "interrupted message" "$(cat int.log)" "stopped: interrupted"
[ -s int.nmt.checkpoint ] && [ -s int.nmt ] || fail "interrupted run left no checkpoint or model"
ls int.nmt.checkpoint.tmp.* >/dev/null 2>&1 && fail "temporary file left behind"

finish
