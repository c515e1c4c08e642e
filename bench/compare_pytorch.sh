#!/usr/bin/env bash
# nmt against the same model in PyTorch (bench/pytorch/seq2seq_baseline.py), on
# the Bible corpus, same data, sizes, batch, optimizer and threads, one run at a
# time. Prints a table of ratios (nmt / PyTorch). Where the CPU runs bf16
# natively, nmt also trains a bf16 model for the same minutes and translates
# in bf16 too.
#
#   bench/compare_pytorch.sh [--minutes M] [--threads N] [--attention A] [--work DIR]
#
# --minutes M    training time of each system (default 10); BLEU is compared at it
# --threads N    threads of both systems (default 2)
# --attention A  none, dot or general: the Luong attention of both models (default dot)
# --work DIR     where the corpus, models and outputs go (default work/compare)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work="$root/work/compare"
minutes=10
threads=2
attention=dot
while [ $# -gt 0 ]; do
  case "$1" in
    --minutes|--threads|--attention|--work)
      [ $# -ge 2 ] || { echo "compare_pytorch: $1 needs a value" >&2; exit 2; } ;;
  esac
  case "$1" in
    --minutes) minutes=$2; shift ;;
    --threads) threads=$2; shift ;;
    --attention)
      case "$2" in
        none|dot|general) attention=$2 ;;
        *) echo "compare_pytorch: --attention must be none, dot or general, not '$2'" >&2; exit 2 ;;
      esac
      shift ;;
    --work) work=$2; shift ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "compare_pytorch: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
step() { printf '\n== %s\n' "$*" >&2; }

"$root/scripts/install_deps.sh" diatheke sword-text-web sword-text-sparv python3-torch libopenblas0-openmp bc time
case "$(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3)" in
  *openblas-openmp*) ;;
  *) echo "compare_pytorch: libblas.so.3 is not OpenBLAS (OpenMP); PyTorch would be unfairly slow" >&2; exit 1 ;;
esac
# OpenBLAS picks its kernels from CPUID; a CPU it does not know gets slower
# kernels than it could run. Seen: a Xeon with AMX in a virtual machine taken
# for a Prescott (generic kernels, sgemm at a quarter of the speed), and an
# AMD EPYC with AVX-512 (Zen 4) given the AVX2 Haswell kernels, with which
# PyTorch trained the recipe below at 4,554 target tokens/s against 6,279
# with the SkylakeX ones. Name the best kernel set the CPU can run then.
blas_core=$(OPENBLAS_VERBOSE=2 /usr/bin/python3 -c 'import torch; torch.ones(4, 4) @ torch.ones(4, 4)' 2>&1 |
  sed -n 's/^Core: //p' | head -n 1)
case "$blas_core" in
  SkylakeX|Cooperlake|SapphireRapids) ;;
  *)
    if grep -qw avx512f /proc/cpuinfo; then export OPENBLAS_CORETYPE=SkylakeX
    elif grep -qw avx2 /proc/cpuinfo; then
      case "$blas_core" in Haswell|Zen) ;; *) export OPENBLAS_CORETYPE=Haswell ;; esac
    fi
    [ -z "${OPENBLAS_CORETYPE:-}" ] ||
      echo "compare_pytorch: OpenBLAS took this CPU for ${blas_core:-an unknown core}; using its $OPENBLAS_CORETYPE kernels" >&2 ;;
esac
"$root/scripts/build.sh" >/dev/null
nmt="${BUILD_DIR:-$root/build}/cli/nmt"
torch_nmt="/usr/bin/python3 $root/bench/pytorch/seq2seq_baseline.py"
mkdir -p "$work"
"$root/scripts/prepare_bible.sh" --out "$work/bible" >&2
data="$work/bible"

step "subword model and ids"
[ -s "$work/spm.model" ] || "$nmt" vocab --input "$data/train.es" "$data/train.en" --vocab-size 8000 \
  --character-coverage 1.0 --model-prefix "$work/spm" 2>/dev/null
for f in train.es train.en test.es; do
  "$nmt" tokenize --ids -m "$work/spm.model" -i "$data/$f" -o "$work/$f.ids"
done
vocab=$(wc -l < "$work/spm.vocab")
# nmt train's default recipe, spelled out so that both systems get it: sizes,
# dropout, batch and learning rate (no validation data, so nmt's plateau decay
# never acts; PyTorch's rate is constant too).
sizes="--embedding-size 256 --hidden-size 256 --layers 1 --dropout 0.1 --batch-size 32 --learning-rate 0.005"

# peak RSS in MiB of a command: /usr/bin/time's %M is KiB
timed() { local out=$1; shift; /usr/bin/time -f '%M' -o "$out.rss" "$@"; }
mib() { echo $(( $(tail -n 1 "$1.rss") / 1024 )); }

step "training nmt for $minutes minutes ($threads threads, attention $attention)"
rm -f "$work/nmt.nmt" "$work/nmt.nmt.checkpoint"
timed "$work/nmt.train" "$nmt" train --train-src "$data/train.es" --train-tgt "$data/train.en" \
  --source-vocab "$work/spm.model" --target-vocab "$work/spm.model" -m "$work/nmt.nmt" $sizes \
  --attention "$attention" --max-epochs 0 --max-minutes "$minutes" --threads "$threads" --display-seconds 60 \
  2> "$work/nmt.train.log"
# the final line's rate: training alone, validation and saving left out
nmt_tok=$(grep -o '([0-9]* tgt tok/s' "$work/nmt.train.log" | tail -n 1 | tr -dc '0-9')

# bf16 runs only where oneDNN finds AVX512-BF16 or AMX; nmt refuses it elsewhere.
bf16=no
printf '' | "$nmt" translate -m "$work/nmt.nmt" --precision bf16 --quiet 2>/dev/null && bf16=yes
if [ $bf16 = yes ]; then
  step "training nmt in bf16 for $minutes minutes ($threads threads, attention $attention)"
  rm -f "$work/bf16.nmt" "$work/bf16.nmt.checkpoint"
  timed "$work/bf16.train" "$nmt" train --train-src "$data/train.es" --train-tgt "$data/train.en" \
    --source-vocab "$work/spm.model" --target-vocab "$work/spm.model" -m "$work/bf16.nmt" $sizes \
    --attention "$attention" --max-epochs 0 --max-minutes "$minutes" --threads "$threads" --display-seconds 60 \
    --precision bf16 2> "$work/bf16.train.log"
  bf16_tok=$(grep -o '([0-9]* tgt tok/s' "$work/bf16.train.log" | tail -n 1 | tr -dc '0-9')
fi

step "training PyTorch for $minutes minutes ($threads threads, attention $attention)"
timed "$work/torch.train" $torch_nmt train --src "$work/train.es.ids" --tgt "$work/train.en.ids" --vocab "$vocab" \
  --model "$work/torch.pt" $sizes --attention "$attention" --minutes "$minutes" --threads "$threads" \
  > "$work/torch.train.json"
torch_tok=$(/usr/bin/python3 -c "import json,sys; print(round(json.load(open(sys.argv[1]))['target_tokens_per_second']))" "$work/torch.train.json")

# score NAME FILE: a score of the test translation (2 decimals)
score() {
  "$nmt" bleu -r "$data/test.en" -i "$2" -m bleu chrf -f json -w 2 | /usr/bin/python3 -c "
import json, sys
scores = json.load(sys.stdin)
scores = scores if isinstance(scores, list) else [scores]
print(next(s['score'] for s in scores if s['name'].startswith(sys.argv[1])))" "$1"
}
ratio() { echo "scale=2; $1 / $2" | bc; }

declare -A sps mem bleu chrf
lines=$(wc -l < "$data/test.es")
step "lexical shortlist from the training corpus"
"$nmt" shortlist -m "$work/nmt.nmt" --src "$data/train.es" --tgt "$data/train.en" -o "$work/nmt.shortlist" --quiet
# nmt's variants: the f32 full-vocabulary search, then each speed-up alone and together.
variants=(nmt short int8 int8short)
declare -A variant_options=([nmt]="" [short]="--shortlist $work/nmt.shortlist" [int8]="--precision int8"
                            [int8short]="--precision int8 --shortlist $work/nmt.shortlist"
                            [bf16]="--precision bf16" [bf16short]="--precision bf16 --shortlist $work/nmt.shortlist")
declare -A variant_names=([short]="shortlist" [int8]="int8" [int8short]="int8 + shortlist" [bf16]="bf16"
                          [bf16short]="bf16 + shortlist")
[ $bf16 = no ] || variants+=(bf16 bf16short)
for beam in 1 5; do
  step "translating the test books ($lines lines), beam $beam"
  for variant in "${variants[@]}"; do
    start=$(date +%s.%N)
    # shellcheck disable=SC2086  # the options are words
    timed "$work/$variant.beam$beam" "$nmt" translate -m "$work/nmt.nmt" -i "$data/test.es" \
      -o "$work/$variant.beam$beam.en" --beam-size "$beam" --threads "$threads" --quiet ${variant_options[$variant]}
    sps[$variant$beam]=$(echo "scale=1; $lines / ($(date +%s.%N) - $start)" | bc)
    mem[$variant$beam]=$(mib "$work/$variant.beam$beam")
  done
  timed "$work/torch.beam$beam" $torch_nmt translate --model "$work/torch.pt" --src "$work/test.es.ids" \
    --out "$work/torch.beam$beam.ids" --beam-size "$beam" --threads "$threads" > "$work/torch.beam$beam.json"
  sps[torch$beam]=$(/usr/bin/python3 -c "import json,sys; print(round(json.load(open(sys.argv[1]))['sentences_per_second'], 1))" "$work/torch.beam$beam.json")
  mem[torch$beam]=$(mib "$work/torch.beam$beam")
  "$nmt" detokenize --ids -m "$work/spm.model" -i "$work/torch.beam$beam.ids" -o "$work/torch.beam$beam.en"
  if [ $bf16 = yes ]; then  # the bf16-trained model, translated in f32
    "$nmt" translate -m "$work/bf16.nmt" -i "$data/test.es" -o "$work/bf16trained.beam$beam.en" --beam-size "$beam" \
      --threads "$threads" --quiet
  fi
  for system in "${variants[@]}" torch $([ $bf16 = no ] || echo bf16trained); do
    bleu[$system$beam]=$(score BLEU "$work/$system.beam$beam.en")
    chrf[$system$beam]=$(score chrF "$work/$system.beam$beam.en")
  done
done

step "LSTM forward+backward against the matmul rate"
lstm_ratio=$("${BUILD_DIR:-$root/build}/bench/lstm/bench_lstm" --threads "$threads" | grep -o 'fwd+bwd [0-9.]*' | tail -n 1)
isa=$("${BUILD_DIR:-$root/build}/bench/train/bench_train" --threads "$threads" --batch 32 --hidden 256 --layers 1 \
  --attention "$attention" --source-length 30 --target-length 30 --repeats 5 | tee "$work/bench_train.txt" | grep -o 'ISA [a-z0-9_]*')
step_ratio=$(grep -o 'ratio whole step / matmul: [0-9.]*' "$work/bench_train.txt" | grep -o '[0-9.]*$')
if [ $bf16 = yes ]; then
  "${BUILD_DIR:-$root/build}/bench/train/bench_train" --threads "$threads" --batch 32 --hidden 256 --layers 1 \
    --attention "$attention" --source-length 30 --target-length 30 --repeats 5 --precision bf16 > "$work/bench_train_bf16.txt"
  bf16_step_ratio=$(grep -o 'ratio whole step / matmul: [0-9.]*' "$work/bench_train_bf16.txt" | grep -o '[0-9.]*$')
fi

{
echo
echo "nmt vs PyTorch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)') (OpenBLAS ${OPENBLAS_CORETYPE:-$blas_core}) | $threads threads | $isa | attention $attention | $minutes minutes of training each"
printf '%-34s %12s %12s %8s\n' "" "nmt" "PyTorch" "ratio"
printf '%-34s %12s %12s %8s\n' "training target tokens/s" "$nmt_tok" "$torch_tok" "$(ratio "$nmt_tok" "$torch_tok")"
printf '%-34s %12s %12s %8s\n' "peak memory in training (MiB)" "$(mib "$work/nmt.train")" "$(mib "$work/torch.train")" "$(ratio "$(mib "$work/nmt.train")" "$(mib "$work/torch.train")")"
if [ $bf16 = yes ]; then
  printf '%-34s %12s %12s %8s\n' "  bf16: training target tokens/s" "$bf16_tok" "$torch_tok" "$(ratio "$bf16_tok" "$torch_tok")"
  printf '%-34s %12s %12s %8s\n' "  bf16: peak memory in training" "$(mib "$work/bf16.train")" "$(mib "$work/torch.train")" "$(ratio "$(mib "$work/bf16.train")" "$(mib "$work/torch.train")")"
fi
for beam in 1 5; do
  printf '%-34s %12s %12s %8s\n' "translation sentences/s, beam $beam" "${sps[nmt$beam]}" "${sps[torch$beam]}" "$(ratio "${sps[nmt$beam]}" "${sps[torch$beam]}")"
  printf '%-34s %12s %12s %8s\n' "peak memory translating, beam $beam" "${mem[nmt$beam]}" "${mem[torch$beam]}" "$(ratio "${mem[nmt$beam]}" "${mem[torch$beam]}")"
  printf '%-34s %12s %12s\n' "test BLEU / chrF2, beam $beam" "${bleu[nmt$beam]} / ${chrf[nmt$beam]}" "${bleu[torch$beam]} / ${chrf[torch$beam]}"
  [ $bf16 = no ] || printf '%-34s %12s\n' "  bf16-trained model: BLEU / chrF2" "${bleu[bf16trained$beam]} / ${chrf[bf16trained$beam]}"
  for variant in "${variants[@]:1}"; do
    printf '%-34s %12s %12s %8s\n' "  ${variant_names[$variant]}: sentences/s" "${sps[$variant$beam]}" "${sps[torch$beam]}" "$(ratio "${sps[$variant$beam]}" "${sps[torch$beam]}")"
    printf '%-34s %12s\n' "  ${variant_names[$variant]}: BLEU / chrF2" "${bleu[$variant$beam]} / ${chrf[$variant$beam]}"
  done
done
echo "nmt LSTM forward+backward / matmul: ${lstm_ratio#fwd+bwd }; whole training step / matmul: $step_ratio$([ $bf16 = no ] || echo "; bf16 whole training step / bf16 matmul: $bf16_step_ratio")"
} | tee "$work/table.txt"
