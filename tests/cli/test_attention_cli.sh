#!/usr/bin/env bash
# nmt train --attention, and models made before attention existed.
set -u
nmt=$1
here=$(cd "$(dirname "$0")" && pwd)
data="$here/../data/model_before_attention"
source "$here/assert.sh"
enter_scratch_dir

# A model file without the attention key translates exactly as it did when
# it was made (tests/data/model_before_attention/README.md).
before="$data/before.nmt"
expect_equal "old model, greedy" "$("$nmt" translate -m "$before" -i "$data/input.src" --threads 1 --quiet)" \
  "$(cat "$data/greedy.tgt")"
expect_equal "old model, beam 3" "$("$nmt" translate -m "$before" -i "$data/input.src" -b 3 --threads 1 --quiet)" \
  "$(cat "$data/beam3.tgt")"
# The n-best lists' texts exactly; their log-probabilities and scores (printed
# to 4 decimals) within 2e-4, as another CPU's kernels may round differently.
"$nmt" translate -m "$before" -i "$data/input.src" -b 3 --n-best 3 --threads 1 --quiet > nbest3.tgt
expect_equal "old model, 3-best texts" "$(awk -F' \\|\\|\\| ' '{print $1 "|" $2}' nbest3.tgt)" \
  "$(awk -F' \\|\\|\\| ' '{print $1 "|" $2}' "$data/nbest3.tgt")"
far=$(paste -d'\n' nbest3.tgt "$data/nbest3.tgt" | awk -F' \\|\\|\\| ' '
  NR % 2 { sub("F0= ", "", $3); got = $3; score = $4; next }
  { sub("F0= ", "", $3); d1 = got - $3; d2 = score - $4; if (d1 < 0) d1 = -d1; if (d2 < 0) d2 = -d2;
    if (d1 > 2e-4 || d2 > 2e-4) print "line " NR / 2 }')
expect_equal "old model, 3-best scores" "$far" ""

finish
