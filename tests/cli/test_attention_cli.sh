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

# A bad value is refused before any data is read, listing the choices.
write_toy_corpus 7
small="--embedding-size 16 --hidden-size 32 --layers 1 --vocab-size 30 --batch-size 16 --threads 1"
expect_exit 2 "bad --attention" -- "$nmt" train --train-src nope.src --train-tgt nope.tgt -m bad.nmt --attention bogus
expect_contains "bad --attention message" "$stderr" "--attention 'bogus' is not one of: none, dot, general"

# Models with attention train, record it, translate (greedy and beam), and
# score their own translations as the search did.
printf 'uno dos\ngato\ncasa perro\n' > valid.src
printf 'one two\ncat\nhouse dog\n' > valid.tgt
printf 'uno dos tres\n\ngato\ncasa perro gato perro\n' > input.src
for attention in dot general; do
  expect_exit 0 "train --attention $attention" -- "$nmt" train --train-src train.src --train-tgt train.tgt \
    --valid-src valid.src --valid-tgt valid.tgt -m $attention.nmt $small --max-steps 40 --valid-every 20 \
    --attention $attention
  expect_contains "info shows attention $attention" "$("$nmt" info $attention.nmt)" "attention:         $attention"
  expect_contains "info keeps the option" "$("$nmt" info $attention.nmt)" "attention: $attention"
  for beam in 1 3; do
    what="$attention, beam $beam"
    expect_exit 0 "translate: $what" -- "$nmt" translate -m $attention.nmt -i input.src -o out.tgt -b $beam --scores
    expect_equal "$what: line count" "$(wc -l < out.tgt)" "$(wc -l < input.src)"
    expect_equal "$what: empty line stays empty" "$(sed -n 2p out.tgt)" "0.0000 ||| "
    sed 's/^[^|]* ||| //' out.tgt > hyp.tgt
    expect_equal "$what: one sentence at a time gives the same" \
      "$("$nmt" translate -m $attention.nmt -i input.src -b $beam --batch-size 1 --quiet)" "$(cat hyp.tgt)"
    expect_exit 0 "score: $what" -- "$nmt" score -m $attention.nmt --src input.src --tgt hyp.tgt -o scores.txt
    expect_equal "$what: score = search's log-probability (within 1e-3)" \
      "$(paste -d ' ' <(cut -d ' ' -f 1 out.tgt) scores.txt | awk '{ d = $1 - $2; if (d < 0) d = -d; if (d > 1e-3) print }')" ""
  done
done
# Without the option the model has dot attention (the default recipe); none is asked for.
expect_exit 0 "train without --attention" -- "$nmt" train --train-src train.src --train-tgt train.tgt -m default.nmt \
  $small --max-steps 5
expect_contains "info shows the default attention" "$("$nmt" info default.nmt)" "attention:         dot"
expect_exit 0 "train with --attention none" -- "$nmt" train --train-src train.src --train-tgt train.tgt -m plain.nmt \
  $small --attention none --max-steps 5
expect_contains "info shows no attention" "$("$nmt" info plain.nmt)" "attention:         none"

finish
