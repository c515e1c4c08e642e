#!/usr/bin/env bash
# Data-parallel training throughput: nmt train's default recipe on the Bible
# corpus for a fixed number of steps with 1, 2, ... MPI ranks on this machine,
# the cores shared evenly among the ranks. Prints target tokens/s, the speed-up
# over one process, the scaling efficiency and the share of time in the
# gradient sums, for a global batch kept at the recipe's (strong scaling) and
# for one that grows with the ranks (weak scaling, the batch per rank kept).
#
#   bench/train/mpi_scaling.sh [--ranks "1 2"] [--steps N] [--threads T] [--work DIR]
#
# --ranks "R..."  rank counts to run (default "1 2")
# --steps N       optimizer steps per run (default 300)
# --threads T     cores to use in all (default: all); each rank gets T / R
# --work DIR      corpus, subword model and logs (default work/mpi_scaling)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
ranks_list="1 2"
steps=300
threads=$(nproc)
work="$root/work/mpi_scaling"
while [ $# -gt 0 ]; do
  case "$1" in
    --ranks|--steps|--threads|--work) [ $# -ge 2 ] || { echo "mpi_scaling: $1 needs a value" >&2; exit 2; } ;;
  esac
  case "$1" in
    --ranks) ranks_list=$2; shift ;;
    --steps) steps=$2; shift ;;
    --threads) threads=$2; shift ;;
    --work) work=$2; shift ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "mpi_scaling: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
nmt="${BUILD_DIR:-$root/build}/cli/nmt"
[ -x "$nmt" ] || { echo "mpi_scaling: build nmt first (scripts/build.sh)" >&2; exit 1; }
command -v mpirun >/dev/null || { echo "mpi_scaling: no mpirun (apt-get install openmpi-bin)" >&2; exit 1; }
mkdir -p "$work"
"$root/scripts/prepare_bible.sh" --out "$work/bible" >&2
[ -s "$work/spm.model" ] || "$nmt" vocab --input "$work/bible/train.es" "$work/bible/train.en" --vocab-size 8000 \
  --model-prefix "$work/spm" 2>/dev/null
[ "$(id -u)" -ne 0 ] || export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
batch=$("$nmt" train --help | sed -n 's/.*--batch-size arg (=\([0-9]*\)).*/\1/p')

# run RANKS BATCH: prints "tokens/s sum_seconds run_seconds parameters"
run() {
  local ranks=$1 batch_size=$2 log="$work/r$1-b$2.log"
  rm -f "$work/model.nmt"*
  mpirun --oversubscribe --bind-to none -np "$ranks" "$nmt" train \
    --train-src "$work/bible/train.es" --train-tgt "$work/bible/train.en" \
    --source-vocab "$work/spm.model" --target-vocab "$work/spm.model" -m "$work/model.nmt" \
    --batch-size "$batch_size" --max-steps "$steps" --threads $((threads / ranks)) --checkpoint-minutes 0 \
    --display-seconds 1000 2> "$log" || { echo "mpi_scaling: $ranks ranks failed, see $log" >&2; tail -n 5 "$log" >&2; exit 1; }
  local rate sums total parameters
  rate=$(sed -n 's/.*stopped: .*(\([0-9]*\) tgt tok\/s;.*/\1/p' "$log")
  sums=$(sed -n 's/.* ranks: \([0-9.]*\) s of this run.s \([0-9.]*\) s in the gradient sums.*/\1/p' "$log")
  total=$(sed -n 's/.* ranks: [0-9.]* s of this run.s \([0-9.]*\) s in the gradient sums.*/\1/p' "$log")
  parameters=$(sed -n 's/.*| \([0-9]*\) parameters$/\1/p' "$log")
  echo "$rate ${sums:-0} ${total:-1} $parameters"
}

echo "nmt train default recipe, Bible es-en, $steps steps, $threads cores in all, $(nproc) on this machine"
printf '%-8s %-6s %-14s %9s %12s %9s %11s %13s\n' scaling ranks threads/rank batch "tgt tok/s" speed-up efficiency "in sums"
for scaling in strong weak; do
  base=""
  for ranks in $ranks_list; do
    b=$batch
    [ "$scaling" = weak ] && b=$((batch * ranks))
    read -r rate sums total parameters < <(run "$ranks" "$b")
    [ -n "$base" ] || base=$rate
    speedup=$(echo "scale=2; $rate / $base" | bc)
    efficiency=$(echo "scale=0; 100 * $rate / $base" | bc)  # the same cores in every run
    share=$(echo "scale=1; 100 * $sums / $total" | bc)
    printf '%-8s %-6s %-14s %9s %12s %8sx %10s%% %12s%%\n' "$scaling" "$ranks" $((threads / ranks)) "$b" "$rate" \
      "$speedup" "$efficiency" "$share"
  done
done
echo "oneDNN ISA: $(grep -h -o 'oneDNN ISA: [a-z0-9_]*' "$work"/r*-b*.log | head -n 1 | cut -d' ' -f3)"
echo "parameters: $parameters ($((parameters * 4 / 1048576)) MiB of gradients summed per step)"
