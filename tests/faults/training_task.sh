# The small training task of the fault tests (sourced after assert.sh, in the
# scratch folder, with $nmt set): a toy corpus, validation pairs and a subword
# model on disk, and in `options` the train options every test shares (default
# options but a small model, one thread, no early stopping); each test appends
# its own.
write_training_task() {
  write_toy_corpus 5
  printf 'uno dos\ngato\ncasa perro\n' > valid.src
  printf 'one two\ncat\nhouse dog\n' > valid.tgt
  "$nmt" vocab --input train.src train.tgt --vocab-size 30 --model-prefix spm 2>/dev/null || fail "vocab"
  options=(--train-src train.src --train-tgt train.tgt --valid-src valid.src --valid-tgt valid.tgt
           --source-vocab spm.model --target-vocab spm.model --embedding-size 64 --hidden-size 128
           --batch-size 16 --threads 1 --patience 0 --seed 7)
}
