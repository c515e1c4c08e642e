#!/bin/sh
# `nmt bleu` end to end: output format, exit codes, and error messages that
# name the file (and line). Usage: test_cli_bleu.sh NMT_BINARY TESTDATA_DIR
set -u
nmt=$1
data=$2
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

case=$data/basic_partial
expect 0 "BLEU|nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:nmt-.* = 49.7 87.2/62.9/45.2/37.0 (BP = 0.903 ratio = 0.907 hyp_len = 39 ref_len = 43)" -- \
  "$nmt" bleu -r "$case/ref.0.txt" -i "$case/hyp.txt"
# hypothesis from stdin, -w 2, chrF, sacreBLEU's multi-letter short options
"$nmt" bleu -r "$case/ref.0.txt" -w 2 -m bleu chrf -tok 13a -lc <"$case/hyp.txt" >"$work/out" 2>&1 ||
  fail "stdin hypothesis: $(cat "$work/out")"
grep -q "chrF2|nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:nmt-.* = " "$work/out" || fail "chrF line: $(cat "$work/out")"
grep -q "case:lc" "$work/out" || fail "-lc not applied: $(cat "$work/out")"
# several references after one -r
case=$data/multi_ref_2
expect 0 "nrefs:2.* = 59.4 " -- "$nmt" bleu -i "$case/hyp.txt" -r "$case/ref.0.txt" "$case/ref.1.txt"

# JSON agrees with the text output.
case=$data/basic_partial
"$nmt" bleu -r "$case/ref.0.txt" -i "$case/hyp.txt" -f json >"$work/json" || fail "json run"
if command -v python3 >/dev/null; then
  python3 - "$work/json" <<'PY' || fail "json content: $(cat "$work/json")"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["name"] == "BLEU" and d["score"] == 49.7, d
assert d["verbose_score"] == "87.2/62.9/45.2/37.0 (BP = 0.903 ratio = 0.907 hyp_len = 39 ref_len = 43)", d
assert d["hyp_len"] == 39 and d["ref_len"] == 43 and d["tok"] == "13a", d
assert abs(d["full_score"] - 49.659215823283134) < 1e-9, d
PY
fi

# Sentence level: one line per segment.
lines=$("$nmt" bleu -r "$case/ref.0.txt" -i "$case/hyp.txt" --sentence-level | grep -c "eff:yes")
[ "$lines" -eq 4 ] || fail "sentence level printed $lines lines"

# Paired bootstrap: a table with a p-value and the bs/seed signature fields.
expect 0 "(p = 0\.[0-9]*)" -- "$nmt" bleu -r "$case/ref.0.txt" -i "$case/hyp.txt" \
  --paired-bootstrap "$case/ref.0.txt" --bootstrap-samples 100 -m bleu chrf
grep -q "nrefs:1|bs:100|seed:12345|case:mixed" "$work/out" || fail "bootstrap signature: $(cat "$work/out")"

# Errors: one line, non-zero exit, naming the file (and line).
case=$data/line_count_mismatch
expect 1 "hyp.txt has 1 lines but .*ref.0.txt has 2" -- "$nmt" bleu -r "$case/ref.0.txt" -i "$case/hyp.txt"
grep -q "ref.0.txt:2:" "$work/err" || fail "mismatch names no line: $(cat "$work/err")"
expect 1 "missing.txt.*cannot open" -- "$nmt" bleu -r "$work/missing.txt" -i "$case/hyp.txt"
printf 'ok line\nbad \377 byte\n' >"$work/bad.txt"
printf 'a\nb\n' >"$work/two.txt"
expect 1 "bad.txt:2: invalid UTF-8" -- "$nmt" bleu -r "$work/two.txt" -i "$work/bad.txt"
: >"$work/empty.txt"
expect 1 "empty.txt: empty file" -- "$nmt" bleu -r "$work/empty.txt" -i "$work/empty.txt"
expect 1 "empty.txt has 0 lines but .*two.txt has 2" -- "$nmt" bleu -r "$work/two.txt" -i "$work/empty.txt"
expect 1 "two.txt has 2 lines but .*empty.txt has 0" -- "$nmt" bleu -r "$work/empty.txt" -i "$work/two.txt"
expect 2 "unknown tokenizer 'xx'" -- "$nmt" bleu -r "$work/two.txt" -i "$work/two.txt" --tokenize xx
expect 2 "unknown smoothing" -- "$nmt" bleu -r "$work/two.txt" -i "$work/two.txt" -s foo
expect 2 "reference" -- "$nmt" bleu -i "$work/two.txt"
expect 0 "tokenize arg (=13a)" -- "$nmt" bleu --help

[ "$failures" -eq 0 ] && echo "all nmt bleu CLI checks passed"
exit "$failures"
