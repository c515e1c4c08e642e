# Small assertions for the CLI test scripts (sourced). Each failure is counted
# and reported; the script exits non-zero at the end if any failed.
failures=0

# Runs the rest of the test in a fresh folder ($work), removed at exit.
enter_scratch_dir() {
  work=$(mktemp -d) || exit 1
  trap 'rm -rf "$work"' EXIT
  cd "$work" || exit 1
}

fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

# expect_exit CODE DESCRIPTION -- COMMAND...   (stderr captured in $stderr)
expect_exit() {
  local want=$1 what=$2; shift 3
  local err_file; err_file=$(mktemp)
  "$@" >/dev/null 2>"$err_file"
  local got=$?
  stderr=$(cat "$err_file"); rm -f "$err_file"
  [ "$got" = "$want" ] || fail "$what: exit $got, expected $want (stderr: $stderr)"
}

expect_contains() {  # expect_contains DESCRIPTION HAYSTACK NEEDLE
  case "$2" in *"$3"*) ;; *) fail "$1: '$3' not in: $2" ;; esac
}

expect_equal() {  # expect_equal DESCRIPTION GOT WANT
  [ "$2" = "$3" ] || fail "$1: got '$2', expected '$3'"
}

# write_toy_corpus SEED: train.src/train.tgt, 400 word-for-word Spanish-English
# pairs of 1-3 words, the same for the same seed.
write_toy_corpus() {
  awk -v seed="$1" 'BEGIN { srand(seed); split("uno dos tres casa perro gato", s); split("one two three house dog cat", t);
    for (i = 0; i < 400; i++) { a = ""; b = ""; n = 1 + int(rand() * 3);
      for (j = 0; j < n; j++) { k = 1 + int(rand() * 6); a = a (j ? " " : "") s[k]; b = b (j ? " " : "") t[k] }
      print a > "train.src"; print b > "train.tgt" } }'
}

finish() {
  if [ "$failures" -ne 0 ]; then echo "$failures check(s) failed" >&2; exit 1; fi
  echo "all checks passed"
}
