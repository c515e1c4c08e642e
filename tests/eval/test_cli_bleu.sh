#!/bin/sh
# `nmt bleu` end to end: sacreBLEU 2.4.3's outputs for confidence intervals,
# several systems, paired tests and options (sacrebleu_cli/), the defaults, exit
# codes, and error messages that name the file (and line) or the option.
# Usage: test_cli_bleu.sh NMT_BINARY TESTDATA_DIR
set -u
nmt=$1
data=$2
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0

fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# expect STATUS PATTERN -- command...: exit status and a stderr/stdout pattern.
expect() {
  want_status=$1; pattern=$2; shift 3
  "$@" >"$work/out" 2>"$work/err"
  status=$?
  [ "$status" -eq "$want_status" ] || fail "$* -> exit $status, wanted $want_status: $(cat "$work/err")"
  grep -q -- "$pattern" "$work/out" "$work/err" || fail "$* -> no '$pattern' in: $(cat "$work/out" "$work/err")"
}

version=$("$nmt" --version | sed 's/^nmt //')
# sacreBLEU's outputs name its version; ours names nmt's.
ours() {
  sed "s/version:2\.4\.3/version:nmt-$version/g; s/v:2\.4\.3/v:nmt-$version/g;
       s/\"version\": \"2\.4\.3\"/\"version\": \"nmt-$version\"/; s/\"v\": \"2\.4\.3\"/\"v\": \"nmt-$version\"/" "$1"
}

# sacreBLEU's own output for each case (its arguments are paths relative to
# the test data, as the outputs name the systems).
while read -r name args; do
  # shellcheck disable=SC2086 # the arguments are plain words
  (cd "$data" && "$nmt" bleu $args) >"$work/out" 2>"$work/err" || fail "$name: $(cat "$work/err")"
  ours "$here/sacrebleu_cli/$name.out" | cmp -s - "$work/out" ||
    fail "$name differs from sacreBLEU's output: $(ours "$here/sacrebleu_cli/$name.out" | diff - "$work/out")"
done <"$here/sacrebleu_cli/cases.txt"

case=$data/basic_partial
# sacreBLEU's default output is JSON; -f text gives the line.
expect 0 '"name": "BLEU",' -- "$nmt" bleu "$case/ref.0.txt" -i "$case/hyp.txt"
head -n 1 "$work/out" | grep -qx '{' || fail "default output is not a JSON object: $(cat "$work/out")"
expect 0 "^BLEU|nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:nmt-$version = 49.7 87.2/62.9/45.2/37.0 (BP = 0.903 ratio = 0.907 hyp_len = 39 ref_len = 43)$" -- \
  "$nmt" bleu "$case/ref.0.txt" -i "$case/hyp.txt" -f text
SACREBLEU_FORMAT=text "$nmt" bleu "$case/ref.0.txt" -i "$case/hyp.txt" | cmp -s - "$work/out" ||
  fail "SACREBLEU_FORMAT=text does not give the text line"
# -r, several references after one -r, hypothesis from stdin, multi-letter short options
"$nmt" bleu -r "$case/ref.0.txt" -w 2 -m bleu chrf -tok 13a -lc -f text <"$case/hyp.txt" >"$work/out" 2>&1 ||
  fail "stdin hypothesis: $(cat "$work/out")"
grep -q "chrF2|nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:nmt-.* = " "$work/out" || fail "chrF line: $(cat "$work/out")"
grep -q "case:lc" "$work/out" || fail "-lc not applied: $(cat "$work/out")"
multi=$data/multi_ref_2
expect 0 "nrefs:2.* = 59.4 " -- "$nmt" bleu -i "$multi/hyp.txt" -r "$multi/ref.0.txt" "$multi/ref.1.txt" -f text
expect 0 "nrefs:2.* = 59.4 " -- "$nmt" bleu "$multi/ref.0.txt" -r "$multi/ref.1.txt" -i "$multi/hyp.txt" -f text
# -tok=none and --tokenize=none spell the same option
"$nmt" bleu "$case/ref.0.txt" -i "$case/hyp.txt" -tok=none -f text >"$work/a" &&
  "$nmt" bleu "$case/ref.0.txt" -i "$case/hyp.txt" --tokenize none -f text >"$work/b" && cmp -s "$work/a" "$work/b" &&
  grep -q "tok:none" "$work/a" || fail "-tok=none: $(cat "$work/a")"

# -V prints nmt's version where sacreBLEU prints its own.
expect 0 "^nmt bleu $version$" -- "$nmt" bleu -V
expect 0 "^nmt bleu $version$" -- "$nmt" bleu --version

# Sentence level: one line per segment, text whatever the format.
lines=$("$nmt" bleu "$case/ref.0.txt" -i "$case/hyp.txt" -sl | grep -c "^BLEU|.*eff:yes")
[ "$lines" -eq 4 ] || fail "sentence level printed $lines lines"

# The bootstrap seed comes from SACREBLEU_SEED, as in sacreBLEU.
expect 0 "nrefs:1|bs:1000|seed:12345|case:mixed" -- "$nmt" bleu "$case/ref.0.txt" -i "$case/hyp.txt" -ci -f text
SACREBLEU_SEED=7 "$nmt" bleu "$case/ref.0.txt" -i "$case/hyp.txt" -ci -f text >"$work/seed7" 2>&1
grep -q "bs:1000|seed:7|" "$work/seed7" || fail "SACREBLEU_SEED=7: $(cat "$work/seed7")"
cmp -s "$work/out" "$work/seed7" && fail "another seed gave the same resamples"
SACREBLEU_SEED=none "$nmt" bleu "$case/ref.0.txt" -i "$case/hyp.txt" -ci -f text >"$work/none" 2>&1
grep -q "bs:1000|seed:none|" "$work/none" || fail "SACREBLEU_SEED=none: $(cat "$work/none")"
expect 1 "SACREBLEU_SEED: must be a non-negative integer or 'none', not 'x'" -- \
  env SACREBLEU_SEED=x "$nmt" bleu "$case/ref.0.txt" -i "$case/hyp.txt" -ci

# Errors: one line, non-zero exit, naming the file (and line).
bad=$data/line_count_mismatch
expect 1 "hyp.txt has 1 lines but .*ref.0.txt has 2" -- "$nmt" bleu "$bad/ref.0.txt" -i "$bad/hyp.txt"
grep -q "ref.0.txt:2:" "$work/err" || fail "mismatch names no line: $(cat "$work/err")"
expect 1 "missing.txt.*cannot open" -- "$nmt" bleu "$work/missing.txt" -i "$bad/hyp.txt"
printf 'ok line\nbad \377 byte\n' >"$work/bad.txt"
printf 'a\nb\n' >"$work/two.txt"
expect 1 "bad.txt:2: invalid UTF-8" -- "$nmt" bleu "$work/two.txt" -i "$work/bad.txt"
: >"$work/empty.txt"
expect 1 "empty.txt: empty file" -- "$nmt" bleu "$work/empty.txt" -i "$work/empty.txt"
expect 1 "empty.txt has 0 lines but .*two.txt has 2" -- "$nmt" bleu "$work/two.txt" -i "$work/empty.txt"
expect 1 "two.txt has 2 lines but .*empty.txt has 0" -- "$nmt" bleu "$work/empty.txt" -i "$work/two.txt"
printf 'a\tb\nc\n' >"$work/tabs.txt"
expect 1 "<stdin>:1: a tab: sacreBLEU would read tab-separated systems" -- sh -c "\"$nmt\" bleu \"$work/two.txt\" <\"$work/tabs.txt\""
expect 0 "nrefs:1" -- "$nmt" bleu "$work/two.txt" -i "$work/tabs.txt"  # a file's tabs are text

# Bad usage: exit 2 with the reason.
expect 2 "unknown tokenizer 'xx' (choose none, 13a, intl or char)" -- "$nmt" bleu "$work/two.txt" -i "$work/two.txt" -tok xx
expect 2 "tokenizer 'ja-mecab' is not available in nmt (choose none, 13a, intl or char)" -- \
  "$nmt" bleu "$work/two.txt" -i "$work/two.txt" -tok ja-mecab
expect 2 "smooth-method 'foo' is not one of: none, floor, add-k, exp" -- "$nmt" bleu "$work/two.txt" -i "$work/two.txt" -s foo
expect 2 "metrics ter: TER is not supported by nmt bleu" -- "$nmt" bleu "$work/two.txt" -i "$work/two.txt" -m bleu ter
expect 2 "invalid choice 'bertscore'" -- "$nmt" bleu "$work/two.txt" -i "$work/two.txt" -m bertscore
expect 2 "TER is not supported" -- "$nmt" bleu "$work/two.txt" -i "$work/two.txt" --ter-normalized
expect 2 "no reference files" -- "$nmt" bleu -i "$work/two.txt"
expect 2 "no reference files" -- "$nmt" bleu -i "$work/two.txt" "$work/two.txt"  # -i takes every file after it
expect 2 "built-in test sets are not available" -- "$nmt" bleu -t wmt14 -l en-de -i "$work/two.txt"
expect 2 "approximate randomization is not supported" -- "$nmt" bleu "$work/two.txt" -i "$work/two.txt" "$case/hyp.txt" -par
expect 2 "num-refs: tab-separated references" -- "$nmt" bleu "$work/two.txt" -i "$work/two.txt" -nr 2
expect 2 "reads UTF-8 only" -- "$nmt" bleu "$work/two.txt" -i "$work/two.txt" -e latin-1
expect 0 "nrefs:1" -- "$nmt" bleu "$work/two.txt" -i "$work/two.txt" -e UTF-8 --force -q -nc -j 2
expect 2 "only one metric can be used in sentence-level mode" -- "$nmt" bleu "$work/two.txt" -i "$work/two.txt" -sl -m bleu chrf
expect 2 "paired tests require multiple input systems" -- "$nmt" bleu "$work/two.txt" -i "$work/two.txt" --paired-bs
expect 2 "use paired tests" -- "$nmt" bleu "$case/ref.0.txt" -i "$case/hyp.txt" "$case/ref.0.txt" -ci
expect 2 "given twice as a system" -- "$nmt" bleu "$case/ref.0.txt" -i "$case/hyp.txt" "$case/hyp.txt"
expect 2 "LaTeX table is not supported" -- "$nmt" bleu "$case/ref.0.txt" -i "$case/hyp.txt" "$case/ref.0.txt" -f latex
expect 2 "chrF character order must be 1..6" -- "$nmt" bleu "$work/two.txt" -i "$work/two.txt" -m chrf -cc 7
expect 0 "tokenize arg (=13a)" -- "$nmt" bleu --help
grep -q "json|text|latex (=json)" "$work/out" || fail "--help does not show the JSON default"

[ "$failures" -eq 0 ] && echo "all nmt bleu CLI checks passed"
exit "$failures"
