#!/usr/bin/env bash
# nmt train --bidirectional-encoder: trains, records the option, translates;
# dot attention over a one-layer bidirectional encoder (2H outputs) is refused.
set -u
nmt=$1
here=$(cd "$(dirname "$0")" && pwd)
source "$here/assert.sh"
enter_scratch_dir

write_toy_corpus 11
printf 'uno dos\ngato\ncasa perro\n' > valid.src
printf 'one two\ncat\nhouse dog\n' > valid.tgt
# Sources of several lengths, so that translation batches hold several encoder runs.
printf 'uno dos tres\n\ngato\ncasa perro gato perro\ndos\n' > input.src
small="--embedding-size 16 --hidden-size 32 --vocab-size 30 --batch-size 16 --threads 1"

# Refused before any data is read (the files do not exist), as bad usage.
expect_exit 2 "one layer, dot attention" -- "$nmt" train --train-src nope.src --train-tgt nope.tgt -m bad.nmt \
  --bidirectional-encoder --layers 1 --attention dot
expect_contains "one layer, dot attention: message" "$stderr" "dot attention needs the encoder's outputs as wide"
expect_contains "one layer, dot attention: suggestion" "$stderr" "--attention general"
[ -e bad.nmt ] && fail "a refused run wrote a model"

# Two layers with dot attention (the top outputs stay H wide), and one layer
# with general attention over the 2H outputs; the second set from a config file.
printf 'bidirectional-encoder: true\nlayers: 1\nattention: general\n' > one_layer.yml
runs=("two --layers 2 --attention dot --bidirectional-encoder" "one -c one_layer.yml")
for run in "${runs[@]}"; do
  set -- $run
  name=$1; shift
  expect_exit 0 "train $name" -- "$nmt" train --train-src train.src --train-tgt train.tgt \
    --valid-src valid.src --valid-tgt valid.tgt -m $name.nmt $small --max-steps 40 --valid-every 20 \
    --log $name.log "$@"
  expect_contains "$name: log line" "$(cat $name.log)" "bidirectional-encoder=true"
  info=$("$nmt" info $name.nmt)
  expect_contains "$name: info shows the architecture" "$info" "bidirectional_encoder: true"
  expect_contains "$name: info keeps the option" "$info" "bidirectional-encoder: true"
  for beam in 1 3; do
    what="$name, beam $beam"
    expect_exit 0 "translate: $what" -- "$nmt" translate -m $name.nmt -i input.src -o out.tgt -b $beam --scores
    expect_equal "$what: line count" "$(wc -l < out.tgt)" "$(wc -l < input.src)"
    expect_equal "$what: empty line stays empty" "$(sed -n 2p out.tgt)" "0.0000 ||| "
    sed 's/^[^|]* ||| //' out.tgt > hyp.tgt
    expect_equal "$what: one sentence at a time gives the same" \
      "$("$nmt" translate -m $name.nmt -i input.src -b $beam --batch-size 1 --quiet)" "$(cat hyp.tgt)"
    expect_exit 0 "score: $what" -- "$nmt" score -m $name.nmt --src input.src --tgt hyp.tgt -o scores.txt
    expect_equal "$what: score = search's log-probability (within 1e-3)" \
      "$(paste -d ' ' <(cut -d ' ' -f 1 out.tgt) scores.txt | awk '{ d = $1 - $2; if (d < 0) d = -d; if (d > 1e-3) print }')" ""
  done
done
expect_contains "one layer: general attention recorded" "$("$nmt" info one.nmt)" "layers:                1"

# Without the option: off, and the model's config has no key for it.
expect_exit 0 "train without the option" -- "$nmt" train --train-src train.src --train-tgt train.tgt -m plain.nmt \
  $small --layers 1 --attention dot --max-steps 5 --log plain.log
expect_contains "plain: log line" "$(cat plain.log)" "bidirectional-encoder=false"
case "$("$nmt" info plain.nmt)" in *bidirectional_encoder*) fail "plain: info shows a key it should not have" ;; esac

finish
