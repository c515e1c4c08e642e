#!/usr/bin/env bash
# The language model as a user runs it: nmt vocab --type char, nmt train
# --task lm, nmt generate (greedy and sampled, reproducible by seed) and nmt
# score -i, and the messages when a command meets the other kind of model.
set -u
nmt=$1
here=$(cd "$(dirname "$0")" && pwd)
source "$here/assert.sh"
enter_scratch_dir

# A text with structure to learn: counting sentences.
awk 'BEGIN { split("one two three four five six", w); srand(3);
  for (i = 0; i < 300; i++) { n = 2 + int(rand() * 4); s = "";
    for (j = 1; j <= n; j++) s = s (j > 1 ? " " : "") w[j]; print s } }' > train.txt
head -n 20 train.txt > valid.txt
expect_exit 0 "char vocabulary" -- "$nmt" vocab --type char --input train.txt --model-prefix chars --vocab-size 20
small=(--embedding-size 16 --hidden-size 32 --batch-size 16 --threads 1 --dropout 0)

expect_exit 0 "train --task lm" -- "$nmt" train --task lm --train train.txt --valid valid.txt --vocab chars.model \
  -m lm.nmt "${small[@]}" --max-steps 150 --valid-every 75
expect_contains "train: a language model" "$stderr" "language model: E=16 H=32 L=1"
expect_contains "train: validated by bits per character" "$stderr" "bits per character"
bpc=$(sed -n 's/.*validation at step 150: perplexity [0-9.]* | \([0-9.]*\) bits per character.*/\1/p' <<<"$stderr")
[ -n "$bpc" ] && awk -v b="$bpc" 'BEGIN { exit !(b < 1.5) }' ||
  fail "train: 150 steps on counting sentences should reach < 1.5 bits per character, got '$bpc'"
"$nmt" info lm.nmt | grep -q "^  task: *lm$" || fail "info names the task: $("$nmt" info lm.nmt | head -n 20)"

# Greedy: deterministic, and the counting is learnt.
greedy=$("$nmt" generate -m lm.nmt --prompt "one two" --sampling greedy 2>/dev/null)
case "$greedy" in "one two three"*) ;; *) fail "greedy continuation of 'one two': '$greedy'" ;; esac
# Sampling: the same seed gives the same texts, another seed others.
a=$("$nmt" generate -m lm.nmt -n 5 --seed 1 --sampling temperature --temperature 1.5 2>/dev/null)
b=$("$nmt" generate -m lm.nmt -n 5 --seed 1 --sampling temperature --temperature 1.5 2>/dev/null)
c=$("$nmt" generate -m lm.nmt -n 5 --seed 2 --sampling temperature --temperature 1.5 2>/dev/null)
expect_equal "generate: 5 samples" "$(wc -l <<<"$a")" 5
expect_equal "generate: same seed, same text" "$a" "$b"
[ "$a" != "$c" ] || fail "generate: seeds 1 and 2 wrote the same 5 texts: $a"
printf 'one\nthree four\n' > prompts.txt
expect_exit 0 "generate -i" -- "$nmt" generate -m lm.nmt -i prompts.txt -n 2 --sampling topk --top-k 3 -o out.txt
expect_equal "generate -i: 2 samples per prompt" "$(wc -l < out.txt)" 4
[ "$(sed -n 3p out.txt | cut -c1-10)" = "three four" ] || fail "generate -i: the prompt starts its texts: $(cat out.txt)"

# Score: log-probability and perplexity per line; the training text is likelier than a shuffled one.
expect_exit 0 "score -i" -- "$nmt" score -m lm.nmt -i valid.txt -o scores.txt
expect_equal "score: a line per line" "$(wc -l < scores.txt)" 20
expect_contains "score: the text's bits per character" "$stderr" "bits per character"
awk -F'\t' 'NF != 2 || $1 > 0 || $2 < 1 { bad = 1 } END { exit bad }' scores.txt ||
  fail "score: expected 'logprob<TAB>perplexity' with logprob <= 0 and perplexity >= 1: $(head -n 3 scores.txt)"
rev valid.txt > reversed.txt
good=$(awk -F'\t' '{ s += $1 } END { print s }' scores.txt)
bad=$("$nmt" score -m lm.nmt -i reversed.txt 2>/dev/null | awk -F'\t' '{ s += $1 } END { print s }')
awk -v g="$good" -v b="$bad" 'BEGIN { exit !(g > b) }' || fail "score: the text ($good) should beat it reversed ($bad)"

# A language model's defaults, as --dump-config shows them.
dump=$("$nmt" train --task lm --train train.txt --dump-config)
for line in "attention: none" "label-smoothing: 0" "early-stopping: perplexity"; do
  expect_contains "--dump-config of a language model" "$dump" "$line"
done

# The wrong kind of model, or of option.
write_toy_corpus 5
expect_exit 0 "a translation model" -- "$nmt" train --train-src train.src --train-tgt train.tgt -m mt.nmt \
  --vocab-size 30 "${small[@]}" --max-steps 5
expect_exit 1 "generate with a translation model" -- "$nmt" generate -m mt.nmt
expect_contains "generate with a translation model: says so" "$stderr" "needs a language model"
expect_exit 1 "translate with a language model" -- "$nmt" translate -m lm.nmt -i valid.txt
expect_contains "translate with a language model: says so" "$stderr" "nmt generate"
expect_exit 2 "score a language model with --src" -- "$nmt" score -m lm.nmt --src valid.txt --tgt valid.txt
expect_exit 2 "lm with attention" -- "$nmt" train --task lm --train train.txt --attention dot -m x.nmt
expect_contains "lm with attention: says why" "$stderr" "no source"
expect_exit 2 "lm with --train-src" -- "$nmt" train --task lm --train train.txt --train-src train.src -m x.nmt
expect_exit 2 "lm without --train" -- "$nmt" train --task lm -m x.nmt
expect_exit 2 "translation with --train" -- "$nmt" train --train train.txt -m x.nmt
expect_exit 2 "generate: bad temperature" -- "$nmt" generate -m lm.nmt --temperature 0
expect_exit 2 "generate: --prompt and -i" -- "$nmt" generate -m lm.nmt --prompt a -i prompts.txt
finish
