#!/usr/bin/env bash
# Options out of range are bad usage (exit 2, naming the option and the rule)
# before any data is read; an output that is the input file is refused and the
# input is left as it was.
set -u
nmt=$1
here=$(cd "$(dirname "$0")" && pwd)
source "$here/assert.sh"
enter_scratch_dir

write_toy_corpus 3
train="train --train-src train.src --train-tgt train.tgt -m m.nmt --threads 1"
# refused OPTION RULE -- COMMAND...: exit 2 with "--OPTION must be RULE"
refused() {
  local option=$1 rule=$2; shift 3
  expect_exit 2 "$option out of range" -- "$@"
  expect_contains "$option message" "$stderr" "--$option must be $rule"
}
refused learning-rate "> 0, got -1" -- "$nmt" $train --learning-rate -1
refused learning-rate "> 0, got 0" -- "$nmt" $train --learning-rate 0
refused label-smoothing "in [0, 1), got 2" -- "$nmt" $train --label-smoothing 2
refused clip-norm ">= 0, got -1" -- "$nmt" $train --clip-norm -1
refused warmup-steps ">= 0, got -1" -- "$nmt" $train --warmup-steps -1
refused lr-decay-factor "in (0, 1]" -- "$nmt" $train --lr-decay-factor 1.5
refused batch-size ">= 1, got 0" -- "$nmt" $train --batch-size 0
refused accumulate ">= 1, got 0" -- "$nmt" $train --accumulate 0
refused max-length ">= 1, got 0" -- "$nmt" $train --max-length 0
refused patience ">= 0, got -2" -- "$nmt" $train --patience -2
refused max-minutes ">= 0, got nan" -- "$nmt" $train --max-minutes nan
refused display-seconds ">= 0, got -1" -- "$nmt" $train --display-seconds -1
refused threads "0 (all cores) or 1..1024, got 100000" -- "$nmt" ${train% --threads 1} --threads 100000
refused threads "0 (all cores) or 1..1024, got -1" -- "$nmt" ${train% --threads 1} --threads -1
[ ! -e m.nmt ] && [ ! -e m.nmt.spm.model ] || fail "a refused run wrote files"

refused max-length ">= 1, got 0" -- "$nmt" translate -m nope.nmt --max-length 0
refused max-length-ratio "a number > 0, got -1" -- "$nmt" translate -m nope.nmt --max-length-ratio -1
refused alpha "a number >= 0, got nan" -- "$nmt" translate -m nope.nmt --alpha nan
refused threads "0 (all cores) or 1..1024" -- "$nmt" translate -m nope.nmt --threads -1
refused batch-size ">= 1, got 0" -- "$nmt" score -m nope.nmt --src train.src --tgt train.tgt --batch-size 0
refused smooth-value "a number >= 0, got -1" -- "$nmt" bleu -r train.tgt -i train.tgt -s floor --smooth-value -1
refused vocab-size ">= 5, got 0" -- "$nmt" vocab --input train.src --model-prefix spm --vocab-size 0
refused character-coverage "in (0, 1], got 2" -- "$nmt" vocab --input train.src --model-prefix spm --character-coverage 2

# The same file in and out: refused before the model loads, the file intact.
cp train.src keep.src
expect_exit 2 "translate -o = -i" -- "$nmt" translate -m nope.nmt -i train.src -o train.src
expect_contains "same file message" "$stderr" "--output train.src is the file --input reads"
ln -s train.src link.src
expect_exit 2 "translate -o = a link to -i" -- "$nmt" translate -m nope.nmt -i train.src -o link.src
expect_exit 2 "score -o = --tgt" -- "$nmt" score -m nope.nmt --src train.src --tgt train.tgt -o ./train.tgt
expect_contains "score same file message" "$stderr" "is the file --tgt reads"
cmp -s train.src keep.src || fail "the input file changed"
[ "$(wc -l < train.tgt)" = 400 ] || fail "the target file changed"
# A new output file is fine (the model is then missing: exit 1).
expect_exit 1 "a new output" -- "$nmt" translate -m nope.nmt -i train.src -o new.txt

# A full disk on stdout is an error, not an empty success.
if [ -w /dev/full ]; then
  "$nmt" bleu -r train.tgt -i train.tgt > /dev/full 2> full.err
  expect_equal "bleu > /dev/full exit" "$?" 1
  expect_contains "bleu > /dev/full message" "$(cat full.err)" "cannot write to standard output"
fi

# A value holding Boost's own placeholder once sent its message into an endless loop.
expect_exit 2 "a value reading %value%" -- timeout 20 "$nmt" translate -m nope.nmt --beam-size %value%
expect_contains "a value reading %value%: message" "$stderr" "the argument ('%value%') for option '--beam-size' is invalid"
printf 'beam-size: "x%%value%%"\n' > percent.yaml
expect_exit 2 "a config value reading x%value%" -- timeout 20 "$nmt" translate -m nope.nmt -c percent.yaml
expect_contains "a config value reading x%value%: message" "$stderr" "percent.yaml:1: the argument ('x%value%')"
finish
