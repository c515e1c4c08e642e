#!/usr/bin/env bash
# gzip-compressed input reads as the plain text in every command; a directory
# or a binary file given as text is refused.
set -u
nmt=$1
here=$(cd "$(dirname "$0")" && pwd)
source "$here/assert.sh"
enter_scratch_dir

write_toy_corpus 7
printf 'uno dos\ngato\r\n\ncasa perro\n' > valid.src
printf 'one two\ncat\n\nhouse dog\n' > valid.tgt
gzip -k train.src train.tgt valid.src valid.tgt
# Two gzip members, as `cat a.gz b.gz` makes them.
{ head -n 2 valid.src | gzip -c; tail -n +3 valid.src | gzip -c; } > members.src.gz
small="--embedding-size 16 --hidden-size 32 --layers 1 --vocab-size 30 --batch-size 16 --threads 1"

expect_exit 0 "vocab from gzip" -- "$nmt" vocab --input train.src.gz train.tgt.gz --vocab-size 30 --model-prefix gz
expect_exit 0 "vocab from plain" -- "$nmt" vocab --input train.src train.tgt --vocab-size 30 --model-prefix plain
cmp -s gz.vocab plain.vocab || fail "vocab: gzip and plain input give different vocabularies"

expect_equal "tokenize gzip" "$("$nmt" tokenize -m plain.model -i train.src.gz)" "$("$nmt" tokenize -m plain.model -i train.src)"
"$nmt" tokenize -m plain.model -i valid.src > pieces.txt
gzip -k pieces.txt
expect_equal "detokenize gzip" "$("$nmt" detokenize -m plain.model -i pieces.txt.gz)" "$("$nmt" detokenize -m plain.model -i pieces.txt)"

for kind in plain gz; do
  if [ $kind = gz ]; then ext=.gz; else ext=; fi
  expect_exit 0 "train from $kind" -- "$nmt" train --train-src train.src$ext --train-tgt train.tgt$ext \
    --valid-src valid.src$ext --valid-tgt valid.tgt$ext -m $kind.nmt $small --max-steps 60 --valid-every 30
done
expect_exit 0 "translate with the plain-trained model" -- "$nmt" translate -m plain.nmt -i valid.src -o plain.hyp --quiet
"$nmt" translate -m gz.nmt -i valid.src --quiet > gz_model.hyp
expect_equal "a model trained on gzip corpora translates as one trained on plain ones" "$(cat gz_model.hyp)" "$(cat plain.hyp)"
expect_equal "same line count" "$(wc -l < plain.hyp)" 4

expect_equal "translate gzip input" "$("$nmt" translate -m plain.nmt -i valid.src.gz --quiet)" "$(cat plain.hyp)"
expect_equal "translate gzip members" "$("$nmt" translate -m plain.nmt -i members.src.gz --quiet)" "$(cat plain.hyp)"
expect_equal "translate gzip stdin" "$("$nmt" translate -m plain.nmt --quiet < valid.src.gz)" "$(cat plain.hyp)"
# The progress line's line count (the ETA) comes from a first pass over the file.
expect_exit 0 "translate gzip with progress" -- "$nmt" translate -m plain.nmt -i valid.src.gz
expect_contains "progress counts the gzip lines" "$stderr" "4/4"
expect_equal "score gzip input" "$("$nmt" score -m plain.nmt --src valid.src.gz --tgt valid.tgt.gz --quiet)" \
  "$("$nmt" score -m plain.nmt --src valid.src --tgt valid.tgt --quiet)"

gzip -k plain.hyp
expect_equal "bleu of gzip hypothesis and reference" "$("$nmt" bleu -i plain.hyp.gz -r valid.tgt.gz)" \
  "$("$nmt" bleu -i plain.hyp -r valid.tgt)"
expect_equal "bleu of gzip stdin" "$("$nmt" bleu -r valid.tgt < plain.hyp.gz)" "$("$nmt" bleu -r valid.tgt -i plain.hyp)"

# A corrupt or cut-short .gz is an error at the line reached, never a silently short input.
seq 1 20000 | sed 's/^/uno dos /' | gzip -c > long.src.gz
head -c $(( $(wc -c < long.src.gz) / 2 )) long.src.gz > cut.src.gz
expect_exit 1 "truncated gzip" -- "$nmt" translate -m plain.nmt -i cut.src.gz --quiet
expect_contains "truncated gzip message" "$stderr" "cut.src.gz:"
expect_contains "truncated gzip message says why" "$stderr" ": truncated gzip data"
expect_exit 1 "truncated gzip for bleu" -- "$nmt" bleu -i cut.src.gz -r cut.src.gz
expect_contains "truncated gzip bleu message" "$stderr" ": truncated gzip data"

# A directory or a binary file where text belongs.
mkdir somedir
expect_exit 1 "directory as translate input" -- "$nmt" translate -m plain.nmt -i somedir
expect_equal "directory message" "$stderr" "nmt translate: error: somedir: is a directory"
expect_exit 1 "directory as bleu reference" -- "$nmt" bleu -i plain.hyp -r somedir
expect_contains "directory bleu message" "$stderr" "somedir: is a directory"
expect_exit 1 "directory as training corpus" -- "$nmt" train --train-src somedir --train-tgt train.tgt -m d.nmt $small
expect_contains "directory train message" "$stderr" "somedir: is a directory"
expect_exit 1 "binary file as translate input" -- "$nmt" translate -m plain.nmt -i plain.nmt
expect_contains "binary file message" "$stderr" "plain.nmt:"
expect_contains "binary file message says why" "$stderr" ": binary data (NUL byte), not a text file"
expect_equal "no output for a binary file" "$("$nmt" translate -m plain.nmt -i plain.nmt --quiet 2>/dev/null)" ""
expect_exit 1 "binary file as tokenize input" -- "$nmt" tokenize -m plain.model -i plain.model
expect_contains "binary tokenize message" "$stderr" ": binary data (NUL byte)"
expect_exit 1 "binary file as vocab input" -- "$nmt" vocab --input train.src plain.nmt --vocab-size 30 --model-prefix bin
expect_contains "binary vocab message" "$stderr" "plain.nmt:"
expect_exit 1 "binary file as bleu hypothesis" -- "$nmt" bleu -i plain.nmt -r valid.tgt
expect_contains "binary bleu message" "$stderr" ": binary data (NUL byte)"

finish
