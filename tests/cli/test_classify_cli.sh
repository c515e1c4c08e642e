#!/usr/bin/env bash
# The sentence classifier as a user runs it: nmt train --task classify (every
# pooling), nmt classify (with --scores), nmt eval-classify on its output, and
# the messages for bad labels and the wrong kind of model.
set -u
nmt=$1
here=$(cd "$(dirname "$0")" && pwd)
source "$here/assert.sh"
enter_scratch_dir

# Language identification of toy sentences: Spanish or English words.
awk 'BEGIN { srand(4); split("uno dos tres casa perro gato", s); split("one two three house dog cat", t);
  for (i = 0; i < 300; i++) { n = 1 + int(rand() * 4); a = ""; b = "";
    for (j = 0; j < n; j++) { k = 1 + int(rand() * 6); a = a (j ? " " : "") s[k]; b = b (j ? " " : "") t[k] }
    print a > "text.txt"; print "es" > "labels.txt"; print b > "text.txt"; print " en" > "labels.txt" } }'
printf 'gato perro casa\nthe house\ndos\ncat dog\ntres uno\none two three\n' > test.txt
printf 'es\nen\nes\nen\nes\nen\n' > test.labels
head -n 40 text.txt > valid.txt
head -n 40 labels.txt > valid.labels
small=(--vocab-size 40 --embedding-size 16 --hidden-size 32 --threads 1 --max-steps 60 --valid-every 30)

for pooling in final mean max; do
  expect_exit 0 "train --pooling $pooling" -- "$nmt" train --task classify --train-text text.txt --train-labels labels.txt \
    --valid-text valid.txt --valid-labels valid.labels --pooling $pooling -m $pooling.nmt "${small[@]}"
  expect_contains "train --pooling $pooling: a classifier" "$stderr" "pooling=$pooling | vocab"
  expect_contains "train --pooling $pooling: its labels, trimmed" "$stderr" "2 labels (en, es)"
  expect_contains "train --pooling $pooling: validated by accuracy" "$stderr" "validation at step 60: loss"
  expect_exit 0 "classify ($pooling)" -- "$nmt" classify -m $pooling.nmt -i test.txt -o $pooling.labels --quiet
  report=$("$nmt" eval-classify -r test.labels -i $pooling.labels)
  expect_contains "eval-classify ($pooling): every toy sentence right" "$report" "accuracy 1.0000 (6 of 6)"
done
# --scores: the label, then every label's probability, summing to 1.
printf 'dos tres\n\nthe cat\n' | "$nmt" classify -m final.nmt --scores > scores.txt 2>/dev/null
expect_equal "scores: a line per line, empty ones too" "$(wc -l < scores.txt)" 3
awk -F'\t' '{ split($2, a, "="); split($3, b, "="); if (NF != 3 || a[1] != "en" || b[1] != "es" ||
  (a[2] + b[2] - 1) ^ 2 > 1e-6) bad = 1 } END { exit bad }' scores.txt || fail "scores: $(cat scores.txt)"
expect_equal "scores: the label first" "$(sed -n 1p scores.txt | cut -f1) $(sed -n 3p scores.txt | cut -f1)" "es en"
"$nmt" info final.nmt | grep -q "^  task: *classify$" || fail "info names the task"
# Averaged checkpoints keep the labels.
expect_exit 0 "average a classifier" -- "$nmt" average -o averaged.nmt final.nmt final.nmt.checkpoint
expect_exit 0 "classify with the average" -- "$nmt" classify -m averaged.nmt -i test.txt -o averaged.labels --quiet
expect_equal "the average classifies as its parts" "$(cat averaged.labels)" "$(cat final.labels)"

# Bad labels and data.
printf 'es\nde\n' > bad.labels
head -n 2 valid.txt > two.txt
expect_exit 1 "a validation label the training data lacks" -- "$nmt" train --task classify --train-text text.txt \
  --train-labels labels.txt --valid-text two.txt --valid-labels bad.labels -m x.nmt "${small[@]}"
expect_contains "unknown label: file, line and the labels known" "$stderr" "bad.labels:2: label 'de' is not one of the model's 2 (en, es)"
yes es | head -n 600 > one.labels
expect_exit 1 "a single label" -- "$nmt" train --task classify --train-text text.txt --train-labels one.labels -m y.nmt "${small[@]}"
expect_contains "a single label: says so" "$stderr" "at least 2 different labels"
head -n 10 labels.txt > short.labels
expect_exit 1 "misaligned labels" -- "$nmt" train --task classify --train-text text.txt --train-labels short.labels -m z.nmt "${small[@]}"
expect_exit 2 "classify without labels" -- "$nmt" train --task classify --train-text text.txt -m w.nmt
expect_exit 2 "classify with attention" -- "$nmt" train --task classify --train-text text.txt --train-labels labels.txt --attention dot -m w.nmt
expect_exit 2 "classify with --train-src" -- "$nmt" train --task classify --train-text text.txt --train-labels labels.txt --train-src text.txt -m w.nmt
expect_exit 2 "translation with --pooling" -- "$nmt" train --train-src text.txt --train-tgt text.txt --pooling mean -m w.nmt
# The wrong kind of model.
expect_exit 1 "translate with a classifier" -- "$nmt" translate -m final.nmt -i test.txt
expect_contains "translate with a classifier: says which command" "$stderr" "nmt classify"
write_toy_corpus 5
expect_exit 0 "a translation model" -- "$nmt" train --train-src train.src --train-tgt train.tgt -m mt.nmt --vocab-size 30 \
  --embedding-size 16 --hidden-size 32 --threads 1 --max-steps 5
expect_exit 1 "classify with a translation model" -- "$nmt" classify -m mt.nmt -i test.txt
expect_contains "classify with a translation model: says so" "$stderr" "not a classifier"
finish
