#!/usr/bin/env bash
# nmt vocab / tokenize / detokenize as a user runs them.
set -u
nmt=$1
here=$(cd "$(dirname "$0")" && pwd)
source "$here/assert.sh"
enter_scratch_dir

# A small reproducible corpus in two languages.
words_src="the cat dog house tree runs sleeps green small big"
words_tgt="el gato perro casa árbol corre duerme verde pequeño grande"
awk -v ws="$words_src" -v wt="$words_tgt" 'BEGIN { srand(3); ns = split(ws, s); nt = split(wt, t);
  for (i = 0; i < 600; i++) { a = ""; b = "";
    n = 3 + int(rand() * 6); for (j = 0; j < n; j++) { k = 1 + int(rand() * ns); a = a (j ? " " : "") s[k]; b = b (j ? " " : "") t[k] }
    print a > "train.src"; print b > "train.tgt" } }'

expect_exit 0 "joint vocab" -- "$nmt" vocab --input train.src train.tgt --vocab-size 40 --model-prefix joint
[ -s joint.model ] && [ -s joint.vocab ] || fail "joint vocab: joint.model/joint.vocab not written"
expect_equal "joint vocab size" "$(wc -l < joint.vocab)" 40

expect_exit 0 "separate bpe vocab" -- "$nmt" vocab --input train.src train.tgt --vocab-size 30 \
  --model-prefix sep --separate --type bpe
[ -s sep.src.model ] && [ -s sep.tgt.model ] || fail "separate vocab: sep.src.model/sep.tgt.model missing"

# Options from a YAML config file; the command line wins over it.
printf 'vocab-size: 30\ntype: bpe\n' > vocab.yml
expect_exit 0 "vocab from config" -- "$nmt" vocab --config vocab.yml --input train.src --model-prefix cfg
expect_equal "config file sets vocab size" "$(wc -l < cfg.vocab)" 30
expect_exit 0 "command line over config" -- "$nmt" vocab -c vocab.yml --vocab-size 32 \
  --input train.src --model-prefix cfg2
expect_equal "command line wins" "$(wc -l < cfg2.vocab)" 32

# Line for line: empty lines stay empty, CRLF input is read as LF, round trip is exact.
printf 'the cat runs\n\nthe green tree sleeps\r\n\n' > input.txt
"$nmt" tokenize -m joint.model -i input.txt -o pieces.txt || fail "tokenize exited non-zero"
expect_equal "tokenize keeps line count" "$(wc -l < pieces.txt)" 4
expect_equal "empty line stays empty" "$(sed -n 2p pieces.txt)" ""
case "$(sed -n 1p pieces.txt)" in *"▁"*) ;; *) fail "tokenize: no subword pieces in: $(sed -n 1p pieces.txt)" ;; esac
expect_equal "detokenize restores text" "$("$nmt" detokenize -m joint.model < pieces.txt)" \
  "$(printf 'the cat runs\n\nthe green tree sleeps\n\n')"
expect_equal "ids round trip" "$("$nmt" tokenize -m joint.model --ids < input.txt | "$nmt" detokenize -m joint.model --ids)" \
  "$(printf 'the cat runs\n\nthe green tree sleeps\n\n')"

# Errors: one line, names the file (and line), non-zero exit.
expect_exit 1 "missing model" -- "$nmt" tokenize -m nope.model -i input.txt
expect_contains "missing model message" "$stderr" "nope.model: cannot open"
head -c 50 joint.model > truncated.model
expect_exit 1 "corrupt model" -- "$nmt" tokenize -m truncated.model -i input.txt
expect_contains "corrupt model message" "$stderr" "truncated.model: not a valid SentencePiece model"
printf 'fine\nbad \xff byte\n' > bad.txt
expect_exit 1 "invalid UTF-8" -- "$nmt" tokenize -m joint.model -i bad.txt
expect_contains "invalid UTF-8 message" "$stderr" "bad.txt:2: invalid UTF-8"
expect_exit 1 "vocab on invalid UTF-8" -- "$nmt" vocab --input train.src bad.txt --model-prefix x
expect_contains "vocab invalid UTF-8 message" "$stderr" "bad.txt:2: invalid UTF-8"
[ ! -e x.model ] || fail "a failed vocab run left x.model behind"
echo "5 99999" > ids.txt
expect_exit 1 "unknown id" -- "$nmt" detokenize -m joint.model --ids -i ids.txt
expect_contains "unknown id message" "$stderr" "ids.txt:1: token id 99999 is outside the vocabulary"
expect_exit 2 "missing required option" -- "$nmt" vocab --input train.src
expect_contains "missing option message" "$stderr" "model-prefix"
expect_exit 2 "unknown option" -- "$nmt" tokenize -m joint.model --no-such-option
expect_exit 2 "missing config file" -- "$nmt" vocab --config none.yml --input train.src --model-prefix y
expect_contains "missing config message" "$stderr" "none.yml"
expect_exit 2 "unknown command" -- "$nmt" frobnicate
expect_exit 0 "help" -- "$nmt" --help
expect_exit 0 "subcommand help" -- "$nmt" tokenize --help

finish
