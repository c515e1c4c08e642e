#!/usr/bin/env bash
# nmt translate with beam search, n-best lists and scores, and nmt score.
set -u
nmt=$1
here=$(cd "$(dirname "$0")" && pwd)
source "$here/assert.sh"
enter_scratch_dir

write_toy_corpus 7
expect_exit 0 "train" -- "$nmt" train --train-src train.src --train-tgt train.tgt -m m.nmt --embedding-size 16 \
  --hidden-size 32 --layers 1 --vocab-size 30 --batch-size 16 --threads 1 --max-steps 200 --learning-rate 0.01
printf 'uno dos\n\ngato perro casa\ncasa\n' > input.src
run() { "$nmt" translate -m m.nmt -i input.src --quiet --max-length 12 --threads 1 "$@"; }

# Beam size 1 is greedy search.
expect_equal "beam 1 = greedy" "$(run --beam-size 1)" "$(run)"

# n-best, Moses/Marian layout: "INDEX ||| translation ||| F0= LOGPROB ||| SCORE", indexes
# 0-based in input order, at most N per line, best first, one entry for the empty line.
run --beam-size 4 --n-best 3 > nbest.txt
expect_equal "n-best fields" "$(awk -F ' \\|\\|\\| ' 'NF != 4 || $3 !~ /^F0= -?[0-9]+\.[0-9][0-9][0-9][0-9]$/' nbest.txt)" ""
expect_equal "n-best indexes" "$(cut -d ' ' -f 1 nbest.txt | uniq | tr '\n' ' ')" "0 1 2 3 "
expect_equal "at most 3 per line" "$(cut -d ' ' -f 1 nbest.txt | uniq -c | awk '$1 > 3')" ""
expect_equal "empty line: one empty entry" "$(grep '^1 ' nbest.txt)" "1 |||  ||| F0= 0.0000 ||| 0.0000"
expect_equal "n-best sorted" "$(awk -F ' \\|\\|\\| ' '$1 == i && $4 > s { print "unsorted: " $0 } { i = $1; s = $4 }' nbest.txt)" ""
expect_equal "n-best distinct" "$(cut -d '|' -f 1-4 nbest.txt | sort | uniq -d)" ""
expect_equal "a non-empty translation" "$(grep -c '^2 ||| [a-z]' nbest.txt)" 3
expect_equal "n-best head = best translation" "$(awk -F ' \\|\\|\\| ' 'NR == 1 || $1 != i { print $2 } { i = $1 }' nbest.txt)" \
  "$(run --beam-size 4)"
expect_equal "n-best F0 = --scores log-probability" \
  "$(awk -F ' \\|\\|\\| ' 'NR == 1 || $1 != i { sub(/^F0= /, "", $3); print $3 } { i = $1 }' nbest.txt)" \
  "$(run --beam-size 4 --scores | sed 's/ |||.*//')"
expect_equal "-b is --beam-size" "$(run -b 4 --n-best 3)" "$(cat nbest.txt)"

# --scores: "LOGPROB ||| translation", one line per input line; nmt score agrees.
run --beam-size 4 --scores > scored.txt
expect_equal "scores: line count" "$(wc -l < scored.txt)" "$(wc -l < input.src)"
expect_equal "scores: translations" "$(sed 's/^[^|]* ||| //' scored.txt)" "$(run --beam-size 4)"
sed 's/^[^|]* ||| //' scored.txt > translations.txt
expect_exit 0 "score" -- "$nmt" score -m m.nmt --src input.src --tgt translations.txt -o scores.txt --quiet
expect_equal "score: line count" "$(wc -l < scores.txt)" "$(wc -l < input.src)"
expect_equal "score = search's log-probability (within 1e-3)" \
  "$(paste -d ' ' <(cut -d ' ' -f 1 scored.txt) scores.txt | awk '{ d = $1 - $2; if (d < 0) d = -d; if (d > 1e-3) print }')" ""
expect_equal "empty pair scores 0" "$(sed -n 2p scores.txt)" "0.0000"
expect_equal "score to stdout" "$("$nmt" score -m m.nmt --src input.src --tgt translations.txt --quiet)" "$(cat scores.txt)"

# Errors.
head -n 2 translations.txt > short.txt
expect_exit 1 "score: line counts differ" -- "$nmt" score -m m.nmt --src input.src --tgt short.txt
expect_contains "score: line counts message" "$stderr" "input.src has 4 lines but short.txt has 2"
expect_exit 1 "score: missing file" -- "$nmt" score -m m.nmt --src nope.src --tgt short.txt
expect_contains "score: missing file message" "$stderr" "nope.src"
expect_exit 2 "n-best longer than the beam" -- "$nmt" translate -m m.nmt -i input.src --n-best 3 --beam-size 2
expect_contains "n-best message" "$stderr" "an n-best list of 3 needs a beam size of at least 3"
expect_exit 2 "unknown length penalty" -- "$nmt" translate -m m.nmt -i input.src --length-penalty bogus
expect_contains "length penalty message lists the choices" "$stderr" "--length-penalty 'bogus' is not one of: wu, avg, none"
expect_exit 2 "unknown length penalty, model not read" -- "$nmt" translate -m no-such-model.nmt --length-penalty gnmt
expect_contains "choices checked before the model is read" "$stderr" "is not one of"

# --batch-tokens and --length-penalty change batching and ranking only as documented.
expect_equal "batch-tokens" "$(run --beam-size 4 --batch-tokens 3)" "$(run --beam-size 4)"
expect_exit 0 "avg length penalty" -- "$nmt" translate -m m.nmt -i input.src --beam-size 3 --length-penalty avg
expect_exit 0 "no length penalty" -- "$nmt" translate -m m.nmt -i input.src --beam-size 3 --length-penalty none
expect_equal "wu with alpha 0 = none" "$(run -b 3 --n-best 3 --alpha 0)" "$(run -b 3 --n-best 3 --length-penalty none)"

finish
