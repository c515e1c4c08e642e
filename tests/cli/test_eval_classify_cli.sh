#!/usr/bin/env bash
# nmt eval-classify as a script runs it: the table, the JSON, stdin, and the
# errors for misaligned or empty files.
set -u
nmt=$1
here=$(cd "$(dirname "$0")" && pwd)
source "$here/assert.sh"
enter_scratch_dir

printf 'de\nfr\nfr \nit\nde\n' > ref.txt
printf 'de\nfr\nde\nit\nde\n' > hyp.txt
expect_exit 0 "eval-classify" -- "$nmt" eval-classify -r ref.txt -i hyp.txt
text=$("$nmt" eval-classify -r ref.txt -i hyp.txt)
expect_contains "accuracy" "$text" "accuracy 0.8000 (4 of 5)"
expect_contains "per class: fr recall 1/2" "$text" "fr               1.0000     0.5000     0.6667         2"
expect_contains "confusion: a fr taken for de" "$text" "fr             1   1   0"
json=$("$nmt" eval-classify -r ref.txt --format json < hyp.txt)
python3 -c '
import json, sys
r = json.loads(sys.argv[1])
assert abs(r["accuracy"] - 0.8) < 1e-12, r["accuracy"]
de = [c for c in r["classes"] if c["label"] == "de"][0]
assert abs(de["precision"] - 2 / 3) < 1e-12 and de["recall"] == 1.0 and de["support"] == 2, de
assert r["confusion"]["labels"] == ["de", "fr", "it"] and r["confusion"]["matrix"][1] == [1, 1, 0], r["confusion"]
' "$json" || fail "json: $json"

head -n 4 hyp.txt > short.txt
expect_exit 1 "misaligned files" -- "$nmt" eval-classify -r ref.txt -i short.txt
expect_contains "misaligned files: counts named" "$stderr" "ref.txt has 5 lines but short.txt has 4"
: > empty.txt
expect_exit 1 "empty files" -- "$nmt" eval-classify -r empty.txt -i empty.txt
expect_exit 2 "bad format" -- "$nmt" eval-classify -r ref.txt -i hyp.txt --format xml
finish
