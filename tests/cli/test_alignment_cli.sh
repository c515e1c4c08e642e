#!/usr/bin/env bash
# nmt translate --alignment hard|soft: Marian's layout, one entry per output
# subword and the final </s>, source positions counting the source's subwords.
set -u
nmt=$1
here=$(cd "$(dirname "$0")" && pwd)
source "$here/assert.sh"
enter_scratch_dir

write_toy_corpus 7
small="--embedding-size 16 --hidden-size 32 --layers 1 --vocab-size 30 --batch-size 16 --threads 1 --learning-rate 0.01"
expect_exit 0 "train with attention" -- "$nmt" train --train-src train.src --train-tgt train.tgt -m att.nmt $small \
  --max-steps 100 --attention general
expect_exit 0 "train without attention" -- "$nmt" train --train-src train.src --train-tgt train.tgt -m plain.nmt \
  $small --attention none --max-steps 5
printf 'uno dos tres\n\ngato\ncasa perro gato perro\ntres tres\n' > input.src
run() { "$nmt" translate -m att.nmt -i input.src --quiet --max-length 12 --threads 1 "$@"; }
pieces() { "$nmt" tokenize -m att.nmt.spm.model | awk '{ print NF }'; }

run > plain.txt
run --alignment hard > hard.txt
run --alignment soft > soft.txt
expect_equal "--alignment alone is hard" "$(run --alignment)" "$(cat hard.txt)"
expect_equal "hard: line count" "$(wc -l < hard.txt)" "$(wc -l < input.src)"
expect_equal "hard: translation ||| alignment" "$(sed 's/ ||| .*//' hard.txt)" "$(cat plain.txt)"
expect_equal "soft: translation ||| alignment" "$(sed 's/ ||| .*//' soft.txt)" "$(cat plain.txt)"

# Per line: L source subwords, T output subwords; an empty source has no entries.
paste <(pieces < input.src) <(pieces < plain.txt) > counts.txt
alignments() { sed 's/^.* ||| //' "$1"; }
# hard: T + 1 pairs "s-t", every t in 0..T once, s < L, sorted by s then t.
expect_equal "hard: one pair per output subword and </s>" "$(paste counts.txt <(alignments hard.txt) | awk -F'\t' '
  { L = $1; T = $2; n = split($3, pair, " "); want = L ? T + 1 : 0
    if (n != want) { print "line " NR ": " n " pairs, expected " want; next }
    delete seen; ps = -1; pt = -1
    for (i = 1; i <= n; i++) {
      if (pair[i] !~ /^[0-9]+-[0-9]+$/) { print "line " NR ": bad pair " pair[i]; next }
      split(pair[i], st, "-"); s = st[1] + 0; t = st[2] + 0
      if (s >= L || t > T || (t in seen)) print "line " NR ": pair " pair[i]
      if (s < ps || (s == ps && t < pt)) print "line " NR ": unsorted at " pair[i]
      seen[t] = 1; ps = s; pt = t } }')" ""
# soft: T + 1 entries of L weights in [0, 1] summing to 1 (6 digits each); the
# hard position is their argmax wherever that is not a printed tie.
expect_equal "soft: L weights per output subword and </s>" "$(paste counts.txt <(alignments soft.txt) \
  <(alignments hard.txt) | awk -F'\t' '
  { L = $1; T = $2; n = split($3, entry, " "); want = L ? T + 1 : 0
    if (n != want) { print "line " NR ": " n " entries, expected " want; next }
    split($4, pairs, " "); delete hard; for (i in pairs) { split(pairs[i], st, "-"); hard[st[2] + 0] = st[1] + 0 }
    for (t = 0; t < n; t++) {
      if (split(entry[t + 1], w, ",") != L) { print "line " NR ": entry " t " has not " L " weights"; continue }
      sum = 0; best = 0; tie = 0
      for (s = 1; s <= L; s++) { if (w[s] < 0 || w[s] > 1) print "line " NR ": weight " w[s]; sum += w[s]
        if (s > 1 && w[s] + 0 > w[best + 1] + 0) { best = s - 1; tie = 0 } else if (s > 1 && w[s] + 0 == w[best + 1] + 0) tie = 1 }
      if (sum < 1 - 1e-4 || sum > 1 + 1e-4) print "line " NR ": entry " t " sums to " sum
      if (!tie && hard[t] != best) print "line " NR ": entry " t " hard " hard[t] ", argmax " best } }')" ""

# With --scores and in n-best lists the alignment follows the translation, as
# in Marian; an n-best list has one per hypothesis, its best entry the 1-best's.
expect_equal "--scores: LOGPROB ||| translation ||| alignment" \
  "$(run --alignment --scores | sed 's/^[^|]* ||| //')" "$(cat hard.txt)"
run -b 4 --n-best 3 --alignment > nbest.txt
expect_equal "n-best: INDEX ||| translation ||| alignment ||| F0= LOGPROB ||| SCORE" \
  "$(awk -F ' \\|\\|\\| ' 'NF != 5 || $4 !~ /^F0= /' nbest.txt)" ""
expect_equal "n-best: entries" "$(cut -d ' ' -f 1 nbest.txt | uniq -c | awk '{ printf "%s ", $1 }')" "3 1 3 3 3 "
expect_equal "n-best head = the beam's 1-best" \
  "$(awk -F ' \\|\\|\\| ' 'NR == 1 || $1 != i { print $2 " ||| " $3 } { i = $1 }' nbest.txt | sed 's/ $//')" \
  "$(run -b 4 --alignment | sed 's/ $//')"
expect_equal "n-best: the translations without --alignment" "$(awk -F ' \\|\\|\\| ' '{ print $1 "|" $2 }' nbest.txt)" \
  "$(run -b 4 --n-best 3 | awk -F ' \\|\\|\\| ' '{ print $1 "|" $2 }')"

expect_exit 2 "a model without attention" -- "$nmt" translate -m plain.nmt -i input.src --alignment
expect_contains "no attention message" "$stderr" "--alignment needs a model with attention"
expect_exit 2 "bad --alignment" -- "$nmt" translate -m att.nmt -i input.src --alignment=bogus
expect_contains "bad --alignment message" "$stderr" "--alignment 'bogus' is not one of: hard, soft"
finish
