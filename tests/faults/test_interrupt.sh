#!/usr/bin/env bash
# SIGTERM and SIGINT as a user or a job scheduler sends them. Training saves a
# checkpoint and exits 0, and --resume goes on to the weights of a run never
# interrupted. Translation ends with the signal's status, the earlier output
# file is left as it was and no temporary file stays beside it.
set -u
nmt=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../cli/assert.sh"
source "$here/training_task.sh"
set -m  # background jobs get their own process group and keep SIGINT
enter_scratch_dir

write_training_task
options+=(--max-epochs 8 --display-seconds 0.1)

# wait_for FILE TEXT: until FILE holds TEXT (at most 60 s).
wait_for() {
  for _ in $(seq 600); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
  fail "no '$2' in $1 within 60 s: $(tail -n 3 "$1" 2>/dev/null)"
}
# stops PID: 0 once the process has ended (at most 60 s), else kills it and fails.
ends() {
  for _ in $(seq 600); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$1"
  fail "process $1 did not stop within 60 s"
}

"$nmt" train "${options[@]}" -m ref.nmt 2> ref.log || fail "uninterrupted run: $(tail -n 3 ref.log)"

for signal in TERM INT; do
  rm -f run.nmt*
  "$nmt" train "${options[@]}" -m run.nmt 2> run.log &
  pid=$!
  wait_for run.log "| step "
  kill -s $signal $pid
  ends $pid
  wait $pid
  expect_equal "SIG$signal: training exits 0" "$?" 0
  expect_contains "SIG$signal: the run says why it stopped" "$(cat run.log)" "stopped: interrupted"
  "$nmt" info run.nmt.checkpoint > /dev/null || fail "SIG$signal: no loadable checkpoint"
  "$nmt" train "${options[@]}" -m run.nmt --resume 2>> run.log || fail "SIG$signal: resume: $(tail -n 3 run.log)"
  python3 "$here/same_weights.py" ref.nmt.checkpoint run.nmt.checkpoint || fail "SIG$signal: resumed weights differ"
done

# A translation long enough to be caught in the middle.
yes "uno dos tres casa perro gato" | head -n 60000 > long.src
for signal in TERM INT; do
  echo "an earlier translation" > out.tgt
  "$nmt" translate -m ref.nmt -i long.src -o out.tgt --threads 1 2> translate.log &
  pid=$!
  for _ in $(seq 600); do compgen -G "out.tgt.tmp.*" > /dev/null && [ -s "$(compgen -G "out.tgt.tmp.*" | head -n 1)" ] && break; sleep 0.05; done
  kill -s $signal $pid
  ends $pid
  wait $pid
  status=$?
  [ $status -ne 0 ] || fail "SIG$signal: translation finished before the signal; make long.src longer"
  expect_equal "SIG$signal: translation ends with the signal" "$(kill -l $status)" "$signal"
  expect_equal "SIG$signal: the earlier output is kept" "$(cat out.tgt)" "an earlier translation"
  [ -z "$(compgen -G "out.tgt.tmp.*")" ] || fail "SIG$signal: temporary output left: $(compgen -G "out.tgt.tmp.*")"
done
finish
