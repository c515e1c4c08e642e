#!/usr/bin/env bash
# YAML config files (-c/--config), --dump-config, choices checked before any data
# is read, and "did you mean" for misspelt options.
set -u
nmt=$1
here=$(cd "$(dirname "$0")" && pwd)
source "$here/assert.sh"
enter_scratch_dir

value() { grep "^$1: " | sed "s/^$1: //"; }  # value KEY < yaml
dump() { "$nmt" translate -m none.nmt "$@" --dump-config; }

# Merge order: a later file overrides an earlier one, the command line overrides both.
printf 'beam-size: 2\nalpha: 0.3\nscores: true\n' > a.yml
printf 'beam_size: 3\n' > b.yml   # OpenNMT-py's underscores are accepted too
expect_equal "one file" "$(dump -c a.yml | value beam-size)" "2"
expect_equal "later file wins" "$(dump -c a.yml b.yml | value beam-size)" "3"
expect_equal "-c twice = -c with two files" "$(dump -c a.yml -c b.yml)" "$(dump -c a.yml b.yml)"
expect_equal "earlier file still counts" "$(dump -c a.yml b.yml | value alpha)" "0.3"
expect_equal "switch set in a file" "$(dump -c a.yml b.yml | value scores)" "true"
expect_equal "command line wins" "$(dump -c a.yml b.yml -b 7 | value beam-size)" "7"
expect_equal "command line wins, before -c too" "$(dump --beam-size 7 -c b.yml | value beam-size)" "7"
expect_equal "defaults fill the rest" "$(dump | value length-penalty)" "wu"

# --dump-config round trip for every command: what it prints, given back, prints the same.
roundtrip() {  # roundtrip NAME ARGS...
  local name=$1; shift
  "$nmt" "$@" --dump-config > "$name.yml" || fail "$name: --dump-config failed"
  [ -s "$name.yml" ] || fail "$name: --dump-config printed nothing"
  expect_equal "$name: dump round trip" "$("$nmt" "$1" -c "$name.yml" --dump-config)" "$(cat "$name.yml")"
}
roundtrip train train --train-src a.src --train-tgt a.tgt --dropout 0.3 --learning-rate 0.0005 --tied-embeddings
roundtrip translate translate -m x.nmt -b 5 --alpha 0.8 -i "file with spaces.txt"
roundtrip score score -m x.nmt --src a --tgt b
roundtrip vocab vocab --input a.txt b.txt --model-prefix spm --character-coverage 1
roundtrip tokenize tokenize -m spm.model --ids
roundtrip detokenize detokenize -m spm.model
roundtrip bleu bleu -r ref.txt -i hyp.txt -m bleu chrf -lc
expect_equal "train: values dumped" "$(value dropout < train.yml) $(value learning-rate < train.yml) $(value tied-embeddings < train.yml)" \
  "0.3 0.0005 true"
expect_equal "vocab: list dumped" "$(value input < vocab.yml)" "[a.txt, b.txt]"

# Bad config files: exit 2, naming file and line.
printf 'beam-size: 2\nbeam-szie: 3\n' > typo.yml
expect_exit 2 "unknown key" -- "$nmt" translate -m x.nmt -c typo.yml
expect_contains "unknown key: file, line and suggestion" "$stderr" "typo.yml:2: unknown option 'beam-szie' (did you mean 'beam-size'?)"
printf 'beam-size: [1, 2]\n' > list.yml
expect_exit 2 "list for a single value" -- "$nmt" translate -m x.nmt -c list.yml
expect_contains "list message" "$stderr" "list.yml:1: --beam-size takes one value, not a list"
printf 'beam-size: many\n' > value.yml
expect_exit 2 "bad value" -- "$nmt" translate -m x.nmt -c value.yml
expect_contains "bad value message" "$stderr" "value.yml:1:"
printf 'beam-size: [1\n' > broken.yml
expect_exit 2 "not YAML" -- "$nmt" translate -m x.nmt -c broken.yml
expect_contains "not YAML message" "$stderr" "broken.yml:"
expect_exit 2 "missing config file" -- "$nmt" translate -m x.nmt -c nope.yml
expect_contains "missing config message" "$stderr" "nope.yml: cannot open config file"
printf 'beam-size: 3\nalpha: 0.7\0\n' > nul.yml
expect_exit 2 "a NUL byte" -- "$nmt" translate -m x.nmt -c nul.yml
expect_contains "a NUL byte: file and line" "$stderr" "nul.yml:2: a NUL byte"
printf 'beam-size: 3\r\nalpha: 0.7\r' > crlf.yml
printf 'beam-size: 3\nalpha: 0.7\n' > lf.yml
expect_equal "CRLF and a CR at the end read as LF" "$(dump -c crlf.yml)" "$(dump -c lf.yml)"
printf '' > empty.yml
expect_equal "an empty file sets nothing" "$(dump -c empty.yml)" "$(dump)"

# Misspelt options on the command line.
expect_exit 2 "misspelt option" -- "$nmt" translate -m x.nmt --beam-szie 3
expect_contains "did you mean" "$stderr" "unknown option --beam-szie (did you mean --beam-size?)"
expect_exit 2 "far from any option" -- "$nmt" translate -m x.nmt --zzzzzzzz 3
case "$stderr" in *"did you mean"*) fail "no suggestion expected for --zzzzzzzz: $stderr" ;; esac

# Choices are checked before any data is read: a bad value exits 2 even though
# the input files do not exist, and the message lists the valid values.
expect_exit 2 "vocab --type" -- "$nmt" vocab --input missing.txt --model-prefix spm --type bpee
expect_contains "vocab --type choices" "$stderr" "--type 'bpee' is not one of: unigram, bpe, char, word"
for bad in "--optimizer adamw" "--lr-decay cosine" "--early-stopping loss"; do
  expect_exit 2 "train $bad" -- "$nmt" train --train-src missing.src --train-tgt missing.tgt $bad
  expect_contains "train $bad lists the choices" "$stderr" "is not one of:"
done
expect_exit 2 "choice from a config file" -- "$nmt" translate -m missing.nmt -c <(printf 'length-penalty: gnmt\n')
expect_contains "config choice message" "$stderr" "--length-penalty 'gnmt' is not one of: wu, avg, none"

finish
