#!/usr/bin/env bash
# nmt shortlist and translate --shortlist as a user runs them: a shortlist from
# the training corpus translates the toy task as the full vocabulary does, and
# a shortlist of other vocabularies or a damaged one is refused.
set -u
nmt=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
source "$here/assert.sh"
enter_scratch_dir

write_toy_corpus 4
"$nmt" train --train-src train.src --train-tgt train.tgt -m m.nmt --embedding-size 32 --hidden-size 48 \
  --vocab-size 30 --batch-size 16 --max-steps 200 --threads 1 2> train.log || fail "train: $(tail -n 3 train.log)"
expect_exit 0 "shortlist" -- "$nmt" shortlist -m m.nmt --src train.src --tgt train.tgt -o list.txt --best 5 --frequent 3
expect_contains "shortlist says what it wrote" "$stderr" "wrote list.txt: 3 frequent target subwords"
expect_equal "one line per source subword, after the header and the frequent line" "$(wc -l < list.txt)" "32"
head -n 100 train.src > input.src
"$nmt" translate -m m.nmt -i input.src -o full.tgt --quiet || fail "translate"
"$nmt" translate -m m.nmt -i input.src -o short.tgt --quiet --shortlist list.txt || fail "translate --shortlist"
[ "$(grep -c . full.tgt)" -ge 90 ] || fail "the model translates too little to compare: $(head -n 3 full.tgt)"
cmp -s full.tgt short.tgt || fail "the shortlist changed translations: $(diff full.tgt short.tgt | head -n 4)"
"$nmt" translate -m m.nmt -i input.src -o short5.tgt --quiet --shortlist list.txt -b 5 || fail "beam 5 --shortlist"
expect_equal "beam 5 with a shortlist: every line" "$(wc -l < short5.tgt)" 100

sed '1s/^nmt-shortlist 1 [0-9]*/nmt-shortlist 1 99/' list.txt > other.txt
expect_exit 1 "a shortlist of other vocabularies" -- "$nmt" translate -m m.nmt -i input.src --shortlist other.txt
expect_contains "other vocabularies: message" "$stderr" "other.txt:1: made for vocabularies of 99/"
head -n 10 list.txt > cut.txt
expect_exit 1 "a truncated shortlist" -- "$nmt" translate -m m.nmt -i input.src --shortlist cut.txt
expect_contains "truncated: message" "$stderr" "cut.txt:10: a line per source subword expected"
expect_exit 2 "shortlist --best 0" -- "$nmt" shortlist -m m.nmt --src train.src --tgt train.tgt -o x.txt --best 0
finish
