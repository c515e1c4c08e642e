#!/usr/bin/env bash
# SIGKILL a training run at random moments and in the middle of checkpoint
# writes (caught with an inotify watch on the temporary file), resuming after
# each kill. After every kill a loadable checkpoint exists (once the first was
# written) and at most one temporary file per output is left; the next write
# removes it. Resumed to the end, the run's best model and last checkpoint hold
# bit for bit the weights, optimizer state and training position of an
# uninterrupted run with the same seed and threads.
#
#   test_kill_resume.sh NMT        (FAULT_SEED=N repeats a run's kill moments)
set -u
nmt=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../cli/assert.sh"
source "$here/training_task.sh"
command -v inotifywait >/dev/null || { echo "needs inotifywait (Debian package inotify-tools)" >&2; exit 1; }
seed=${FAULT_SEED:-$$}
RANDOM=$seed
echo "kill moments from FAULT_SEED=$seed"
enter_scratch_dir

write_training_task
# 40 short epochs (a validation and a checkpoint at each end) and a checkpoint
# every 0.24 s within an epoch.
options+=(--max-epochs 40 --checkpoint-minutes 0.004)

started=$(date +%s%N)
"$nmt" train "${options[@]}" -m ref.nmt 2> ref.log || fail "uninterrupted run: $(tail -n 3 ref.log)"
# Random kill moments up to 0.95 s, or an eighth of the uninterrupted run
# where that is shorter (at least 0.1 s): a fast machine, too, must see 10 or
# more kills before the run is done.
max_sleep_ms=$(( ($(date +%s%N) - started) / 8000000 ))
[ $max_sleep_ms -le 900 ] || max_sleep_ms=900
[ $max_sleep_ms -ge 100 ] || max_sleep_ms=100

temporaries() { compgen -G "run.nmt.tmp.*"; compgen -G "run.nmt.checkpoint.tmp.*"; }

kills=0 in_write=0 write_attempts=0 finished=0 had_checkpoint=0
for round in $(seq 16); do
  resume=()
  [ -e run.nmt.checkpoint ] && resume=(--resume)
  "$nmt" train "${options[@]}" -m run.nmt "${resume[@]}" 2>> run.log &
  pid=$!
  if [ $((round % 3)) -eq 0 ] && [ $write_attempts -lt 6 ]; then
    # The moment a checkpoint's temporary file appears.
    write_attempts=$((write_attempts + 1))
    # The writer is stopped at once and killed only if its temporary is still
    # there (the write under way); on a fast disk the rename may win the race,
    # and the next checkpoint is tried instead, up to 8 of them (then it is
    # killed anyway, so that a fast machine does not train to the end here).
    (trap 'kill $watch 2>/dev/null; exit 0' TERM  # and leave no inotifywait behind
     for _ in $(seq 8); do
       inotifywait -q -q -e create --include '^(\./)?run\.nmt\.checkpoint\.tmp\.' . &
       watch=$!
       wait $watch || exit 0
       kill -STOP $pid 2>/dev/null || exit 0
       if compgen -G "run.nmt.checkpoint.tmp.*" > /dev/null; then kill -9 $pid; exit 0; fi
       kill -CONT $pid
     done
     kill -9 $pid 2>/dev/null) &
    watcher=$!
  else
    sleep_ms=$((50 + RANDOM % max_sleep_ms))
    sleep "$((sleep_ms / 1000)).$(printf '%03d' $((sleep_ms % 1000)))"
    kill -9 $pid 2>/dev/null
  fi
  { wait $pid; } 2>/dev/null  # no "Killed" notice
  status=$?
  [ -z "${watcher:-}" ] || { kill $watcher 2>/dev/null; wait $watcher 2>/dev/null; watcher=; }
  if [ $status -eq 0 ]; then finished=1; break; fi
  [ $status -eq 137 ] || fail "round $round: exit $status without a kill: $(tail -n 3 run.log)"
  kills=$((kills + 1))
  left=$(temporaries | wc -l)
  compgen -G "run.nmt.checkpoint.tmp.*" >/dev/null && in_write=$((in_write + 1))
  [ "$left" -le 2 ] || fail "round $round: $left temporary files pile up: $(temporaries)"
  if [ -e run.nmt.checkpoint ]; then
    had_checkpoint=1
    "$nmt" info run.nmt.checkpoint > /dev/null 2> info.err || fail "round $round: checkpoint not loadable: $(cat info.err)"
  elif [ $had_checkpoint -eq 1 ]; then
    fail "round $round: the checkpoint is gone"
  fi
done
echo "$kills kills, $in_write in the middle of a checkpoint write"
[ $kills -ge 10 ] || fail "only $kills kills before the run finished (want 10 or more)"
[ $in_write -ge 1 ] || fail "no kill landed in a checkpoint write in $write_attempts tries"

if [ $finished -eq 0 ]; then
  "$nmt" train "${options[@]}" -m run.nmt --resume 2>> run.log || fail "final resume: $(tail -n 3 run.log)"
fi
expect_contains "the resumed run ends where the uninterrupted one did" "$(tail -n 1 run.log)" "reached --max-epochs 40 | step"
python3 "$here/same_weights.py" ref.nmt run.nmt || fail "best model differs from the uninterrupted run's"
python3 "$here/same_weights.py" ref.nmt.checkpoint run.nmt.checkpoint ||
  fail "last checkpoint differs from the uninterrupted run's"
[ -z "$(temporaries)" ] || fail "temporary files left at the end: $(temporaries)"
finish
