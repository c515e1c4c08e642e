#!/usr/bin/env bash
# A disk that fills while nmt writes, made with a file-size limit (ulimit -f,
# SIGXFSZ ignored, so a write past it fails with EFBIG as on a full disk):
# training stops with exit 1 and a message naming the file, the previous
# checkpoint and best model are left byte for byte, no temporary file stays,
# and once there is room --resume goes on to the weights of a run that never
# failed. Plain model writes (nmt average) and translations (-o) keep the old
# file the same way.
set -u
nmt=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../cli/assert.sh"
source "$here/training_task.sh"
enter_scratch_dir

write_training_task
options+=(--early-stopping perplexity)  # every epoch saves the best model

# with_file_limit KIB COMMAND...: COMMAND may write files of at most KIB KiB.
with_file_limit() {
  local kib=$1; shift
  (trap '' XFSZ; ulimit -f "$kib"; exec "$@")
}
temporaries() { compgen -G "*.tmp.*"; }

"$nmt" train "${options[@]}" -m ref.nmt --max-epochs 3 2> ref.log || fail "uninterrupted run: $(tail -n 3 ref.log)"
"$nmt" train "${options[@]}" -m run.nmt --max-epochs 1 2> run.log || fail "first epoch: $(tail -n 3 run.log)"
cp run.nmt.checkpoint checkpoint.before
cp run.nmt model.before
model_kib=$(( $(stat -c %s run.nmt) / 1024 ))
checkpoint_kib=$(( $(stat -c %s run.nmt.checkpoint) / 1024 ))

# Room for the model but not for the checkpoint.
expect_exit 1 "checkpoint write on a full disk" -- with_file_limit $(( (model_kib + checkpoint_kib) / 2 )) \
  "$nmt" train "${options[@]}" -m run.nmt --max-epochs 3 --resume
expect_contains "the message names the checkpoint" "$stderr" "run.nmt.checkpoint: write failed"
expect_contains "the message says the checkpoint holds" "$stderr" "the previous checkpoint is unchanged"
cmp -s run.nmt.checkpoint checkpoint.before || fail "the previous checkpoint changed"
[ -z "$(temporaries)" ] || fail "temporary files left after a failed checkpoint: $(temporaries)"

# Room for neither: the best model's write fails first.
expect_exit 1 "model write on a full disk" -- with_file_limit $(( model_kib / 2 )) \
  "$nmt" train "${options[@]}" -m run.nmt --max-epochs 3 --resume
expect_contains "the message names the model" "$stderr" "run.nmt: write failed"
expect_contains "the message says the model holds" "$stderr" "the previous best model is unchanged"
"$nmt" info run.nmt > /dev/null || fail "the best model no longer loads"
cmp -s run.nmt.checkpoint checkpoint.before || fail "the checkpoint changed when the model write failed"
[ -z "$(temporaries)" ] || fail "temporary files left after a failed model write: $(temporaries)"

# With room again, the run goes on as if nothing had happened.
"$nmt" train "${options[@]}" -m run.nmt --max-epochs 3 --resume 2>> run.log || fail "resume: $(tail -n 3 run.log)"
python3 "$here/same_weights.py" ref.nmt.checkpoint run.nmt.checkpoint || fail "resumed weights differ"
python3 "$here/same_weights.py" ref.nmt run.nmt || fail "resumed best model differs"

# nmt average and nmt translate -o keep the old file.
cp model.before averaged.nmt
expect_exit 1 "average on a full disk" -- with_file_limit $(( model_kib / 2 )) \
  "$nmt" average -o averaged.nmt run.nmt ref.nmt
expect_contains "average names its output" "$stderr" "averaged.nmt"
cmp -s averaged.nmt model.before || fail "nmt average changed its output on a failed write"
for _ in $(seq 2000); do echo "uno dos tres casa perro gato"; done > long.src
echo "an earlier translation" > out.tgt
expect_exit 1 "translate on a full disk" -- with_file_limit 8 "$nmt" translate -m run.nmt -i long.src -o out.tgt
expect_contains "translate names its output" "$stderr" "out.tgt"
expect_equal "the earlier translation is kept" "$(cat out.tgt)" "an earlier translation"
[ -z "$(temporaries)" ] || fail "temporary files left at the end: $(temporaries)"
finish
