#!/usr/bin/env bash
# Checks scripts/prepare_parallel.sh on a small generated pair of files.
#   test_prepare_parallel.sh [PROJECT_SOURCE_DIR]
set -euo pipefail
root="${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
script="$root/scripts/prepare_parallel.sh"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }

# 100 pairs whose sides name the same number, so alignment is checkable;
# pairs 7 and 50 have an empty side and must be dropped.
for i in $(seq 1 100); do
  if [ "$i" -eq 7 ]; then echo ""; else echo "fuente $i"; fi >>"$tmp/a.x"
  if [ "$i" -eq 50 ]; then echo "  "; else echo "target $i"; fi >>"$tmp/b.y"
done

"$script" "$tmp/a.x" "$tmp/b.y" --out "$tmp/o1" --valid 10 --test 5 \
  --seed 3 --src-lang es --tgt-lang en >/dev/null

for split_count in train:83 valid:10 test:5; do
  split="${split_count%%:*}" want="${split_count##*:}"
  for lang in es en; do
    got=$(wc -l <"$tmp/o1/$split.$lang")
    [ "$got" -eq "$want" ] || fail "$split.$lang has $got lines, want $want"
  done
  paste -d'|' "$tmp/o1/$split.es" "$tmp/o1/$split.en" \
    | awk -F'|' '{ split($1, s, " "); split($2, t, " "); if (s[2] != t[2]) exit 1 }' \
    || fail "$split pairs are misaligned"
done
all=$(cat "$tmp"/o1/*.es | sort -u | wc -l)
[ "$all" -eq 98 ] || fail "splits overlap or lose pairs ($all distinct of 98)"
grep -qx 'fuente 7\|fuente 50' "$tmp"/o1/*.es && fail "pairs with an empty side kept"

# Same seed, same bytes; a rerun on up-to-date output changes nothing.
"$script" "$tmp/a.x" "$tmp/b.y" --out "$tmp/o2" --valid 10 --test 5 \
  --seed 3 --src-lang es --tgt-lang en >/dev/null
for f in train valid test; do
  cmp -s "$tmp/o1/$f.es" "$tmp/o2/$f.es" && cmp -s "$tmp/o1/$f.en" "$tmp/o2/$f.en" \
    || fail "second run differs in $f"
done
"$script" "$tmp/a.x" "$tmp/b.y" --out "$tmp/o1" --valid 10 --test 5 \
  --seed 3 --src-lang es --tgt-lang en | grep -q 'up to date' \
  || fail "rerun did not skip up-to-date output"

# Default extensions are src/tgt.
"$script" "$tmp/a.x" "$tmp/b.y" --out "$tmp/o3" --valid 10 --test 5 >/dev/null
[ -s "$tmp/o3/train.src" ] && [ -s "$tmp/o3/test.tgt" ] || fail "default extensions"

# Unequal line counts: non-zero exit, message names both files and counts.
head -n 99 "$tmp/b.y" >"$tmp/short.y"
if "$script" "$tmp/a.x" "$tmp/short.y" --out "$tmp/o4" 2>"$tmp/err"; then
  fail "mismatched line counts accepted"
fi
for word in "$tmp/a.x" "$tmp/short.y" 100 99; do
  grep -qF -- "$word" "$tmp/err" || fail "error message lacks '$word': $(cat "$tmp/err")"
done

echo "prepare_parallel: all checks passed"
