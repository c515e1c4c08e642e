#!/usr/bin/env bash
# Hostile input for every command that reads text or models: each case gets
# the exit status and message the README's "Reliability" table promises, within
# a minute, and never a crash (no exit by a signal). The table in the README and
# the cases here are the same list.
set -u
nmt=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
source "$here/assert.sh"
enter_scratch_dir

write_toy_corpus 2
head -n 5 train.tgt > short.tgt
"$nmt" train --train-src train.src --train-tgt train.tgt -m m.nmt --embedding-size 16 --hidden-size 16 \
  --vocab-size 30 --max-steps 5 --threads 1 2> train.log || fail "training the test model: $(tail -n 3 train.log)"
spm=m.nmt.spm.model

: > empty.txt
printf '\n\n\n' > blank.txt
awk 'BEGIN { for (i = 0; i < 200000; i++) printf "casa "; print "" }' > long.txt  # 1,000,000 characters
printf 'uno \xff\xfe dos\n' > bad-utf8.txt
printf 'uno\0dos\n' > nul.txt
sed 's/$/\r/' train.src > crlf.txt
head -c -1 train.src > no-newline.txt
mkdir folder
head -c 4096 "$nmt" > binary.bin

# check NAME STATUS TEXT -- COMMAND...: exits STATUS within 60 s, stderr holds TEXT
check() {
  local name=$1 want=$2 text=$3; shift 4
  local got
  timeout 60 "$@" > out.txt 2> err.txt
  got=$?
  [ $got -eq 124 ] && { fail "$name: still running after 60 s"; return; }
  [ $got -ge 128 ] && { fail "$name: killed by signal $((got - 128)): $(tail -n 3 err.txt)"; return; }
  [ $got -eq "$want" ] || fail "$name: exit $got, expected $want: $(tail -n 3 err.txt)"
  [ -z "$text" ] || expect_contains "$name" "$(cat err.txt)" "$text"
}
lines_out() { wc -l < out.txt; }

# Empty files and files of empty lines: one output line per input line.
check "translate empty" 0 "" -- "$nmt" translate -m m.nmt -i empty.txt --quiet
expect_equal "translate empty: no lines" "$(lines_out)" 0
check "translate blank lines" 0 "" -- "$nmt" translate -m m.nmt -i blank.txt --quiet
expect_equal "translate blank lines: 3 empty lines" "$(cat out.txt | tr -d '\n')/$(lines_out)" "/3"
check "score blank lines" 0 "" -- "$nmt" score -m m.nmt --src blank.txt --tgt blank.txt --quiet
expect_equal "score blank lines: 3 scores of 0" "$(tr '\n' ' ' < out.txt)" "0.0000 0.0000 0.0000 "
check "bleu empty" 1 "empty.txt: empty file" -- "$nmt" bleu -r empty.txt -i empty.txt
check "bleu blank lines" 0 "" -- "$nmt" bleu -r blank.txt -i blank.txt
check "vocab empty" 1 "empty.txt: no text to train on" -- "$nmt" vocab --input empty.txt --model-prefix v
check "vocab blank lines" 1 "blank.txt: no text to train on" -- "$nmt" vocab --input blank.txt --model-prefix v
check "train empty" 1 "empty.txt: no text to train on" -- "$nmt" train --train-src empty.txt --train-tgt empty.txt -m e.nmt

# A line of 1,000,000 characters.
check "translate long line" 0 "long.txt:1: longer than --max-input-length 1024" -- \
  "$nmt" translate -m m.nmt -i long.txt --quiet --max-length 5
expect_equal "translate long line: one line out" "$(lines_out)" 1
check "score long line" 0 "long.txt:1: 200000 subwords, over --max-length 1024: not scored (nan)" -- \
  "$nmt" score -m m.nmt --src long.txt --tgt long.txt --quiet
expect_equal "score long line: nan" "$(cat out.txt)" "nan"
check "tokenize long line" 0 "" -- "$nmt" tokenize -m $spm -i long.txt
check "bleu long line" 0 "" -- "$nmt" bleu -r long.txt -i long.txt
check "vocab long line only" 1 "every line is longer than 4192 bytes" -- "$nmt" vocab --input long.txt --model-prefix v
# An endless line (no newline ever) and an endless binary stream.
check "bleu endless line" 1 "<stdin>:1: a line longer than 64 MiB" -- \
  bash -c "yes casa | tr -d '\n' | '$nmt' bleu -r train.tgt -i -"
check "translate /dev/zero" 1 "/dev/zero:1: binary data (NUL byte)" -- "$nmt" translate -m m.nmt -i /dev/zero

# Invalid UTF-8: refused with file and line, except by translate (warned, the
# bytes replaced, unless --strict).
check "translate invalid UTF-8" 0 "bad-utf8.txt:1: invalid UTF-8" -- "$nmt" translate -m m.nmt -i bad-utf8.txt --quiet
check "translate --strict invalid UTF-8" 1 "bad-utf8.txt:1: invalid UTF-8" -- \
  "$nmt" translate -m m.nmt -i bad-utf8.txt --quiet --strict
for command in "tokenize -m $spm -i" "bleu -r bad-utf8.txt -i" "score -m m.nmt --tgt bad-utf8.txt --src" \
               "vocab --model-prefix v --input" "train -m u.nmt --train-tgt bad-utf8.txt --train-src"; do
  check "${command%% *} invalid UTF-8" 1 "bad-utf8.txt:1: invalid UTF-8 at byte 5" -- $nmt $command bad-utf8.txt
done

# NUL bytes, binary files, directories: refused by every reader.
for file in nul.txt binary.bin folder; do
  message="$file:1: binary data (NUL byte), not a text file"
  [ $file = folder ] && message="folder: is a directory"
  for command in "translate -m m.nmt -i" "tokenize -m $spm -i" "bleu -r train.tgt -i" \
                 "score -m m.nmt --tgt train.tgt --src" "vocab --model-prefix v --input" \
                 "train -m b.nmt --train-tgt train.tgt --train-src"; do
    check "${command%% *} $file" 1 "$message" -- $nmt $command $file
  done
done
check "translate -m folder" 1 "folder: is a directory" -- "$nmt" translate -m folder -i train.src
check "info of a text file" 1 "train.src: not an nmt model file" -- "$nmt" info train.src
check "tokenize -m model file" 1 "m.nmt: not a valid SentencePiece model" -- "$nmt" tokenize -m m.nmt -i train.src

# CRLF and a missing final newline read as the same lines.
check "translate CRLF" 0 "" -- "$nmt" translate -m m.nmt -i crlf.txt --quiet
cp out.txt crlf.out
check "translate no final newline" 0 "" -- "$nmt" translate -m m.nmt -i no-newline.txt --quiet
cmp -s out.txt crlf.out || fail "CRLF and LF files translate differently"
check "bleu CRLF against LF" 0 "" -- "$nmt" bleu --metrics chrf -r train.src -i crlf.txt --score-only
expect_equal "CRLF against LF: chrF 100" "$(cat out.txt)" "100.0"
check "bleu no final newline" 0 "" -- "$nmt" bleu --metrics chrf -r train.src -i no-newline.txt --score-only
expect_equal "no final newline: chrF 100" "$(cat out.txt)" "100.0"

# Misaligned parallel files.
check "train misaligned" 1 "train.src has 400 lines but short.tgt has 5" -- \
  "$nmt" train --train-src train.src --train-tgt short.tgt -m x.nmt
check "train misaligned validation" 1 "train.src has 400 lines but short.tgt has 5" -- \
  "$nmt" train --train-src train.src --train-tgt train.tgt --valid-src train.src --valid-tgt short.tgt -m x.nmt
check "score misaligned" 1 "train.src has 400 lines but short.tgt has 5" -- \
  "$nmt" score -m m.nmt --src train.src --tgt short.tgt
check "bleu misaligned" 1 "line counts differ: short.tgt has 5 lines but train.tgt has 400" -- \
  "$nmt" bleu -r train.tgt -i short.tgt

# A vocabulary larger than the data allows.
check "vocab too large" 1 "Vocabulary size too high (100000)" -- \
  "$nmt" vocab --input train.src --vocab-size 100000 --model-prefix v

# Outputs that cannot be written.
check "translate -o in a missing folder" 1 "/nonexistent/out.txt: cannot create temporary file" -- \
  "$nmt" translate -m m.nmt -i train.src -o /nonexistent/out.txt
check "train -m in a missing folder" 1 "/nonexistent/m.nmt" -- \
  "$nmt" train --train-src train.src --train-tgt train.tgt -m /nonexistent/m.nmt
check "average -o in a missing folder" 1 "/nonexistent/a.nmt: cannot create temporary file" -- \
  "$nmt" average -o /nonexistent/a.nmt m.nmt
finish
