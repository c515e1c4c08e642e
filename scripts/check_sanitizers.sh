#!/usr/bin/env bash
# The sanitizer and fuzzing checks (README, "Reliability"), in one command:
#  1. builds nmt with Clang, AddressSanitizer + UndefinedBehaviorSanitizer and
#     the libFuzzer targets into ${SANITIZE_BUILD_DIR:-build-sanitize};
#  2. runs the CTest suite under the sanitizers;
#  3. fuzzes each target of tests/fuzz for ${FUZZ_SECONDS:-20} seconds, from a
#     copy of its seed corpus (the checked-in one is never written to),
#     ${FUZZ_JOBS:-all cores} targets at a time.
# Installs Clang, its sanitizer/libFuzzer runtime and OpenMP with apt when
# missing. Exits non-zero on any failure; crashing inputs are kept in
# BUILD/fuzz-artifacts. JOBS: build and test parallelism (default: all cores).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${SANITIZE_BUILD_DIR:-$root/build-sanitize}
case $build in /*) ;; *) build=$root/$build ;; esac
seconds=${FUZZ_SECONDS:-20}
jobs=${JOBS:-$(nproc)}
fuzz_jobs=${FUZZ_JOBS:-$(nproc)}
targets=(fuzz_model_file fuzz_bleu_chrf fuzz_line_reader fuzz_config_file)

phase_times=()
phase_start=$SECONDS
end_phase() {
  phase_times+=("$1 $((SECONDS - phase_start)) s")
  phase_start=$SECONDS
}

# libclang-rt-dev: the sanitizer and libFuzzer runtimes (not a dependency of
# Debian's clang); libomp-dev: Clang's OpenMP; llvm: llvm-symbolizer, for
# file:line in the reports.
"$root/scripts/install_deps.sh" clang libclang-rt-dev libomp-dev llvm
end_phase packages

# tests/sanitizer/sanitizers.env says why each option is there.
set -a
# shellcheck source=tests/sanitizer/sanitizers.env
source "$root/tests/sanitizer/sanitizers.env"
set +a
export OMP_WAIT_POLICY=passive  # as CTest runs the suite (tests/CMakeLists.txt)

echo "== build ($build)"
# A unity build (each target's sources compiled as a few large files): ASan +
# UBSan make every compile slow, and the headers (Boost.Test, oneDNN, spdlog)
# are then parsed once per target rather than once per file. The default
# build (scripts/build.sh) still compiles every file on its own.
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER=clang++ \
  -DNMT_SANITIZE=ON -DNMT_FUZZ=ON -DNMT_BUILD_BENCH=OFF -DCMAKE_UNITY_BUILD=ON >/dev/null
cmake --build "$build" -j "$jobs"
end_phase build

status=0
echo "== ctest under ASan + UBSan"
# install_package builds programs against the installed static libraries with
# the flags nmt.pc and nmtConfig.cmake advertise, which rightly carry no
# sanitizer: instrumented archives cannot link without the sanitizer runtime.
# It checks packaging, which the sanitizers do not change; the default build
# runs it.
(cd "$build" && ctest -j "$jobs" --output-on-failure -E '^install_package$') || status=1
end_phase ctest

echo "== fuzzing: ${#targets[@]} targets, ${seconds} s each, ${fuzz_jobs} at a time"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
artifacts=$build/fuzz-artifacts
mkdir -p "$artifacts"
fuzz() {
  local target=$1
  cp -r "$root/tests/fuzz/corpus/$target" "$work/$target"
  local dict=()
  [ -f "$root/tests/fuzz/$target.dict" ] && dict=(-dict="$root/tests/fuzz/$target.dict")
  # One OpenMP thread: the model target's oneDNN work is tiny, and threads
  # would only compete with the other targets fuzzing beside it.
  # -timeout: an input that runs 10 s is a hang (the slowest seen take ms).
  local rc=0
  OMP_NUM_THREADS=1 "$build/tests/fuzz/$target" -max_total_time="$seconds" -timeout=10 -print_final_stats=1 \
    -artifact_prefix="$artifacts/$target-" "${dict[@]}" "$work/$target" >"$work/$target.log" 2>&1 || rc=$?
  echo "$rc" >"$work/$target.rc"
}
running=0
for target in "${targets[@]}"; do
  fuzz "$target" &
  running=$((running + 1))
  if [ "$running" -ge "$fuzz_jobs" ]; then
    wait -n || true
    running=$((running - 1))
  fi
done
wait
for target in "${targets[@]}"; do
  log=$work/$target.log
  rc=$(cat "$work/$target.rc")
  fuzz_stat() { sed -n "s/^stat::$1: *//p" "$log"; }
  corpus=$(find "$work/$target" -type f | wc -l)
  if [ "$rc" -eq 0 ]; then
    result="no crash"
  else
    result="CRASHED (exit $rc; input kept in $artifacts)"
    status=1
  fi
  printf '%-18s %10s executions %7s exec/s  corpus %4s files  %s\n' "$target" "$(fuzz_stat number_of_executed_units)" \
    "$(fuzz_stat average_exec_per_sec)" "$corpus" "$result"
  if [ "$rc" -ne 0 ]; then
    grep -v '^#\|^INFO:\|^stat::' "$log" | tail -60 | sed 's/^/    /'
  fi
done
end_phase fuzz

echo "== times: ${phase_times[*]}"
[ "$status" -eq 0 ] && echo "sanitizers and fuzzing: all passed" || echo "sanitizers and fuzzing: FAILED"
exit "$status"
