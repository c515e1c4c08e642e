#!/usr/bin/env bash
# Data-parallel training on MPI: test_data_parallel.sh NMT MPIRUN
#  - 2 ranks with a global batch B reach the weights of 1 process with batch B
#    (SGD, so a gradient counted twice or normalized wrongly shows; Adam with
#    gradient accumulation);
#  - a checkpoint of a 2-rank run resumes on 2 ranks (bit for bit) and on 1;
#  - SIGTERM to mpirun: one checkpoint, every rank exits, resume continues;
#  - a rank killed ends the job within seconds (the launcher's message); a
#    rank stopped (hanging) ends it within the --collective-timeout;
#  - other commands refuse to run as several ranks.
# Tolerances: SGD's updates are linear in the gradient, whose sum over 2 ranks
# differs from one process's only in rounding, so the weights agree to a few
# float32 ulps (seen: 6e-8) and the test allows 1e-6. Adam divides by the
# root of the second moment, which turns last-bit differences of a tiny
# gradient into visible ones (seen: 5e-6 after 20 steps); the test allows
# 1e-4, still far below what one wrong update moves (the learning rate, 1e-3).
set -u
nmt=$(realpath "$1")
mpirun=$2
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../cli/assert.sh"
source "$here/../faults/training_task.sh"
set -m  # mpirun in its own process group, as from a terminal
enter_scratch_dir
# Test machines run as root, which Open MPI refuses without these.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
# Under the sanitizer build: Open MPI's own allocations left at exit are
# suppressed (tests/sanitizer/openmpi.supp says why); the full unwinder lets
# the suppressions see the frames of the Open MPI libraries the fast one
# loses.
if [ -n "${ASAN_OPTIONS:-}" ]; then
  export ASAN_OPTIONS="$ASAN_OPTIONS:fast_unwind_on_malloc=0"
  export LSAN_OPTIONS="suppressions=$here/../sanitizer/openmpi.supp:print_suppressions=0"
fi
# Two ranks on however many cores; ranks talk over shared memory only.
launch=("$mpirun" --oversubscribe --bind-to none --mca btl self,vader -np)

write_training_task
options+=(--dropout 0 --display-seconds 0.2)

# started LOG PID: waits until the job PID logs a training step (at most 60 s).
started() {
  for _ in $(seq 600); do
    grep -q "| step " "$1" && return 0
    kill -0 "$2" 2>/dev/null || { fail "the job ended before its first step: $(tail -n 5 "$1")"; return 1; }
    sleep 0.1
  done
  fail "no training step logged in 60 s: $(tail -n 5 "$1")"
}

# compare A B TOLERANCE WHAT
compare() {
  python3 "$here/close_weights.py" "$1" "$2" "$3" > compare.txt || fail "$4: $(cat compare.txt)"
  echo "$4: $(head -n 1 compare.txt)"
}

sgd=(--optimizer sgd --learning-rate 0.5 --clip-norm 0 --max-steps 20)
"$nmt" train "${options[@]}" "${sgd[@]}" -m one.nmt 2> one.log || fail "1 process, SGD: $(tail -n 3 one.log)"
"${launch[@]}" 2 "$nmt" train "${options[@]}" "${sgd[@]}" -m two.nmt 2> two.log || fail "2 ranks, SGD: $(tail -n 5 two.log)"
expect_contains "2 ranks say so" "$(cat two.log)" "2 ranks (2 on this machine), 1 threads each"
[ "$(grep -c "validation at step" two.log)" -eq 1 ] || fail "rank 0 alone validates and logs: $(cat two.log)"
compare one.nmt.checkpoint two.nmt.checkpoint 1e-6 "SGD, 20 steps, 2 ranks vs 1 process"

# Validating every 10 steps, a run stopped at step 10 has the history of one
# that goes on: a resumed run must then reach the same weights.
adam=(--accumulate 2 --valid-every 10)
rm -f one.nmt* two.nmt*
"$nmt" train "${options[@]}" "${adam[@]}" --max-steps 20 -m one.nmt 2> one.log || fail "1 process, Adam: $(tail -n 3 one.log)"
"${launch[@]}" 2 "$nmt" train "${options[@]}" "${adam[@]}" --max-steps 20 -m two.nmt 2> two.log || fail "2 ranks, Adam: $(tail -n 5 two.log)"
compare one.nmt.checkpoint two.nmt.checkpoint 1e-4 "Adam, accumulate 2, 20 steps, 2 ranks vs 1 process"

# Resume: 10 steps on 2 ranks, then 10 more on 2 ranks, and on 1.
"${launch[@]}" 2 "$nmt" train "${options[@]}" "${adam[@]}" --max-steps 10 -m half.nmt 2> half.log ||
  fail "2 ranks, 10 steps: $(tail -n 5 half.log)"
cp half.nmt.checkpoint half1.nmt.checkpoint
cp half.nmt half1.nmt
"${launch[@]}" 2 "$nmt" train "${options[@]}" "${adam[@]}" --max-steps 20 --resume -m half.nmt 2>> half.log ||
  fail "resume on 2 ranks: $(tail -n 5 half.log)"
python3 "$here/../faults/same_weights.py" two.nmt.checkpoint half.nmt.checkpoint ||
  fail "resumed on 2 ranks: not the weights of the uninterrupted 2-rank run"
"$nmt" train "${options[@]}" "${adam[@]}" --max-steps 20 --resume -m half1.nmt 2> half1.log || fail "resume on 1: $(tail -n 3 half1.log)"
compare two.nmt.checkpoint half1.nmt.checkpoint 1e-4 "2-rank checkpoint resumed on 1 process"

# Stopping: SIGUSR1 to mpirun reaches the ranks at once; SIGTERM (and
# Ctrl-C) reaches them odls_base_sigkill_timeout seconds later (1 by
# default), and SIGKILL as long after that. Either way: one checkpoint, every
# rank exits, and the run resumes from it.
long=(--max-epochs 1000 --checkpoint-minutes 0 --lr-decay none)
for signal in USR1 TERM; do
  rm -f stop.nmt*
  "${launch[@]}" 2 --mca odls_base_sigkill_timeout 5 "$nmt" train "${options[@]}" "${long[@]}" -m stop.nmt 2> stop.log &
  pid=$!
  started stop.log $pid
  kill -$signal $pid
  for _ in $(seq 600); do kill -0 $pid 2>/dev/null || break; sleep 0.1; done
  kill -0 $pid 2>/dev/null && { kill -9 -$pid; fail "SIG$signal: mpirun still runs after 60 s"; }
  wait $pid
  expect_contains "SIG$signal: rank 0 says why it stopped" "$(tail -n 12 stop.log)" "stopped: interrupted"
  [ "$(grep -c "stopped: interrupted" stop.log)" -eq 1 ] || fail "SIG$signal: one rank reports: $(cat stop.log)"
  "$nmt" info stop.nmt.checkpoint > /dev/null || fail "SIG$signal: no loadable checkpoint"
  step=$(sed -n 's/.*stopped: interrupted | step \([0-9]*\).*/\1/p' stop.log)
  "${launch[@]}" 2 "$nmt" train "${options[@]}" "${long[@]}" --max-steps $((step + 5)) --resume -m stop.nmt 2>> stop.log ||
    fail "SIG$signal: resume: $(tail -n 5 stop.log)"
  grep -q "resuming from stop.nmt.checkpoint: epoch [0-9]*, step $step\$" stop.log ||
    fail "SIG$signal: did not resume at step $step: $(grep resuming stop.log)"
done

# ranks_of PID: the rank processes mpirun PID started.
ranks_of() { pgrep -P "$1" -f "nmt train"; }
# The process of rank $2 under launcher $1 (Open MPI names it in the environment).
rank_pid() {
  local p
  for p in $(ranks_of "$1"); do
    tr '\0' '\n' < "/proc/$p/environ" 2>/dev/null | grep -qx "OMPI_COMM_WORLD_RANK=$2" && echo "$p"
  done
}
# A rank killed.
"${launch[@]}" 2 "$nmt" train "${options[@]}" "${long[@]}" -m killed.nmt 2> killed.log &
pid=$!
started killed.log $pid
killed_at=$SECONDS
kill -KILL "$(ranks_of $pid | tail -n 1)"
for _ in $(seq 300); do kill -0 $pid 2>/dev/null || break; sleep 0.1; done
kill -0 $pid 2>/dev/null && { kill -9 -$pid; fail "killed rank: the job still runs after 30 s"; }
wait $pid
status=$?
[ $status -ne 0 ] || fail "killed rank: mpirun exits 0"
expect_contains "killed rank: the launcher says which" "$(cat killed.log)" "exited on signal 9"
echo "a killed rank ended the job in $((SECONDS - killed_at)) s (exit $status)"

# A rank that hangs (stopped): the others' watchdog ends the job. Rank 1: the
# others wait for rank 0 without the watchdog while it validates (see
# distributed.h), so a stopped rank 0 is noticed only at the next step.
"${launch[@]}" 2 "$nmt" train "${options[@]}" "${long[@]}" --collective-timeout 3 -m hung.nmt 2> hung.log &
pid=$!
started hung.log $pid
stopped_at=$SECONDS
rank1=$(rank_pid $pid 1)
[ -n "$rank1" ] || fail "hung rank: no process of rank 1 among $(ranks_of $pid | tr '\n' ' ')"
kill -STOP "${rank1:-$(ranks_of $pid | tail -n 1)}"
for _ in $(seq 300); do kill -0 $pid 2>/dev/null || break; sleep 0.1; done
kill -0 $pid 2>/dev/null && { pkill -CONT -P $pid; kill -9 -$pid; fail "hung rank: the job still runs after 30 s"; }
wait $pid
[ $? -ne 0 ] || fail "hung rank: mpirun exits 0"
expect_contains "hung rank: the watchdog says what it waited for" "$(cat hung.log)" "for the other ranks in"
echo "a hung rank ended the job in $((SECONDS - stopped_at)) s"
"$nmt" info hung.nmt.checkpoint > /dev/null 2>&1 || [ ! -e hung.nmt.checkpoint ] ||
  fail "hung rank: the checkpoint left behind does not load"

expect_exit 2 "translate as 2 ranks" -- "${launch[@]}" 2 "$nmt" translate -m one.nmt -i valid.src
expect_contains "translate as 2 ranks: says why" "$stderr" "only nmt train works on several"
finish
