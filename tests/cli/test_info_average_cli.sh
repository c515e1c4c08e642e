#!/usr/bin/env bash
# nmt info and nmt average on tiny trained models, checked against the files'
# bytes as a separate reader (Python, below) sees them.
set -u
nmt=$1
here=$(cd "$(dirname "$0")" && pwd)
source "$here/assert.sh"
enter_scratch_dir

# Reads and writes the model-file container (core/model_file.h) independently
# of nmt; the checksum comes from libxxhash, the library nmt uses.
cat > sections.py <<'EOF'
import ctypes, ctypes.util, struct, sys

def read(path):
    data = open(path, 'rb').read()
    assert data[:8] == b'NMTMODEL', path
    _, count = struct.unpack_from('<II', data, 8)
    position, sections = 16, {}
    for _ in range(count):
        (length,) = struct.unpack_from('<I', data, position); position += 4
        name = data[position:position + length].decode(); position += length
        (size,) = struct.unpack_from('<Q', data, position); position += 8
        sections[name] = data[position:position + size]; position += size
    return sections

def write(path, sections):
    out = bytearray(b'NMTMODEL' + struct.pack('<II', 1, len(sections)))
    for name in sorted(sections):
        out += struct.pack('<I', len(name)) + name.encode() + struct.pack('<Q', len(sections[name])) + sections[name]
    xxhash = ctypes.CDLL(ctypes.util.find_library('xxhash') or 'libxxhash.so.0')
    xxhash.XXH64.restype = ctypes.c_uint64
    xxhash.XXH64.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint64]
    out += struct.pack('<Q', xxhash.XXH64(bytes(out), len(out), 0))
    open(path, 'wb').write(out)

def floats(section):
    (rank,) = struct.unpack_from('<I', section, 0)
    return struct.unpack_from('<%df' % ((len(section) - 4 - 8 * rank) // 4), section, 4 + 8 * rank)

def params(sections):
    return {name: value for name, value in sections.items() if name.startswith('param/')}

command, args = sys.argv[1], sys.argv[2:]
if command == 'checksum':  # the stored XXH64: the file's last 8 bytes, little-endian
    print('%016x' % int.from_bytes(open(args[0], 'rb').read()[-8:], 'little'))
elif command == 'rewrite':  # IN OUT [-NAME_PREFIX | +NAME=FILE]...: drop or set sections
    sections = read(args[0])
    for change in args[2:]:
        if change.startswith('-'):
            sections = {name: value for name, value in sections.items() if not name.startswith(change[1:])}
        else:
            name, source = change[1:].split('=', 1)
            sections[name] = open(source, 'rb').read()
    write(args[1], sections)
elif command == 'same-params':  # A B: the weights are equal byte for byte
    sys.exit(0 if params(read(args[0])) == params(read(args[1])) else 1)
elif command == 'check-mean':  # A B MEAN: MEAN holds float32((a + b) / 2) of each weight
    a, b, mean = (params(read(path)) for path in args)
    assert a.keys() == b.keys() == mean.keys() and a, 'tensor names differ'
    differing = wrong = 0
    for name in a:
        for x, y, got in zip(floats(a[name]), floats(b[name]), floats(mean[name])):
            want = struct.unpack('<f', struct.pack('<f', (x + y) / 2))[0]
            differing += x != y
            wrong += got != want
        assert len(floats(a[name])) == len(floats(mean[name])), name
    if differing == 0 or wrong > 0:
        sys.exit('%d weights differ between the inputs, %d are not their mean' % (differing, wrong))
EOF

write_toy_corpus 5
printf 'uno dos\ngato\ncasa perro\n' > valid.src
printf 'one two\ncat\nhouse dog\n' > valid.tgt
small="--embedding-size 16 --hidden-size 32 --layers 1 --vocab-size 30 --batch-size 16 --threads 1"
run="--train-src train.src --train-tgt train.tgt --valid-src valid.src --valid-tgt valid.tgt -m m.nmt $small --attention none --dropout 0.2"

expect_exit 0 "train to step 15" -- "$nmt" train $run --max-steps 15 --valid-every 15
parameters=$(sed -n 's/.* | \([0-9][0-9]*\) parameters$/\1/p' <<< "$stderr")
source_vocab=$(sed -n 's/.* | vocab \([0-9]*\)\/[0-9]* | .*/\1/p' <<< "$stderr")
target_vocab=$(sed -n 's/.* | vocab [0-9]*\/\([0-9]*\) | .*/\1/p' <<< "$stderr")
[ -n "$parameters" ] && [ -n "$source_vocab" ] && [ -n "$target_vocab" ] || fail "train log lacks the model line: $stderr"
cp m.nmt.checkpoint step15.nmt
expect_exit 0 "resume to step 30" -- "$nmt" train $run --max-steps 30 --valid-every 15 --resume
cp m.nmt.checkpoint step30.nmt

# nmt info, text.
expect_exit 0 "info" -- "$nmt" info m.nmt
info=$("$nmt" info m.nmt)
expect_contains "info: kind" "$info" "kind:            model"
expect_contains "info: parameter count as nmt train logs it" "$info" "parameters:      $parameters in 10 tensors"
expect_contains "info: source vocabulary" "$info" "source: $source_vocab pieces, unigram"
expect_contains "info: target vocabulary" "$info" "target: $target_vocab pieces, unigram"
expect_contains "info: one joint vocabulary" "$info" "shared: yes"
expect_contains "info: architecture" "$info" "hidden_size:       32"
expect_contains "info: dropout as it was given" "$info" "dropout:           0.2"$'\n'
expect_contains "info: size" "$info" "size:            $(stat -c %s m.nmt) bytes"
expect_contains "info: checksum is the file's last 8 bytes" "$info" "checksum:        xxh64 $(python3 sections.py checksum m.nmt)"
expect_contains "info: format version" "$info" "format version:  1"
info=$("$nmt" info step30.nmt --verbose)
expect_contains "info: a checkpoint" "$info" "kind:            checkpoint"
expect_contains "info: optimizer state" "$info" "optimizer:       adam, 30 steps"
grep -Eq '^  step: +30$' <<< "$info" || fail "info: steps trained: no 'step: 30' in: $info"
expect_contains "info --verbose: tensor shapes" "$info" "  encoder/embedding            [$((16 * source_vocab))]"

# Training record: printed key by key when there, "not recorded" when not.
"$nmt" train $run --dump-config > config.yaml
printf '%s' '{"step": 30, "epoch": 1, "best_bleu": 12.5, "best_perplexity": 3.25, "early_stopping": "bleu",
  "validations": [{"step": 15, "bleu": 10.0}, {"step": 30, "bleu": 12.5}]}' > state.json
python3 sections.py rewrite m.nmt recorded.nmt +training/config=config.yaml +training/state=state.json
python3 sections.py rewrite m.nmt unrecorded.nmt -training/
info=$("$nmt" info recorded.nmt)
expect_contains "info: training config as stored" "$info" $'training config:\n  train-src: train.src\n'
expect_contains "info: every state key" "$info" "  best_perplexity: 3.25"
expect_contains "info: a list in the state" "$info" $'  validations:\n    - {"step":15,"bleu":10.0}\n'
info=$("$nmt" info unrecorded.nmt)
expect_contains "info: no training state" "$info" "training state:  not recorded"
expect_contains "info: no training config" "$info" "training config: not recorded"

# nmt info, JSON.
check_json() {  # check_json DESCRIPTION FILE PYTHON-CONDITION (on `info`)
  local out; out=$("$nmt" info --format json "$2")
  python3 -c "import json, sys; info = json.load(sys.stdin); sys.exit(0 if $3 else 1)" <<< "$out" ||
    fail "$1: $3 does not hold for: $out"
}
check_json "json: model" m.nmt "info['kind'] == 'model' and info['file'] == 'm.nmt' and info['format_version'] == 1
  and info['size_bytes'] == $(stat -c %s m.nmt) and info['checksum_xxh64'] == '$(python3 sections.py checksum m.nmt)'
  and info['architecture']['hidden_size'] == 32 and info['parameters']['count'] == $parameters
  and len(info['parameters']['tensors']) == 10 and info['vocabularies']['source'] == {'size': $source_vocab, 'type': 'unigram'}
  and info['vocabularies']['target']['size'] == $target_vocab and info['vocabularies']['shared'] is True
  and info['optimizer'] is None"
check_json "json: checkpoint" step30.nmt "info['kind'] == 'checkpoint' and info['optimizer'] == {'method': 'adam', 'steps': 30}
  and info['training_state']['step'] == 30"
check_json "json: training record" recorded.nmt "info['training_config']['max-steps'] == 0
  and info['training_config']['train-src'] == 'train.src' and info['training_state']['best_bleu'] == 12.5
  and info['training_state']['validations'][1] == {'step': 30, 'bleu': 12.5}"
check_json "json: no training record" unrecorded.nmt "info['training_state'] is None and info['training_config'] is None"

# nmt info, errors.
expect_exit 1 "info on a text file" -- "$nmt" info train.src
expect_contains "info on a text file: message" "$stderr" "train.src: not an nmt model file"
expect_exit 1 "info on a missing file" -- "$nmt" info nope.nmt
expect_contains "info on a missing file: message" "$stderr" "nope.nmt: cannot open"
head -c 1000 m.nmt > truncated.nmt
expect_exit 1 "info on a truncated file" -- "$nmt" info truncated.nmt
expect_contains "info on a truncated file: message" "$stderr" "truncated.nmt: checksum mismatch"
expect_exit 2 "info without a model" -- "$nmt" info
expect_exit 2 "info with an unknown format" -- "$nmt" info m.nmt --format xml

# nmt average: of one checkpoint twice, it is that checkpoint's weights.
expect_exit 0 "average of a checkpoint with itself" -- "$nmt" average -o same.nmt step30.nmt step30.nmt
python3 sections.py same-params step30.nmt same.nmt || fail "average of a checkpoint with itself changed its weights"
expect_equal "the same translations" "$("$nmt" translate -m same.nmt -i train.src --quiet)" \
  "$("$nmt" translate -m step30.nmt -i train.src --quiet)"
# Of two, the element-wise mean.
expect_exit 0 "average of two checkpoints" -- "$nmt" average -o mean.nmt step15.nmt step30.nmt
python3 sections.py check-mean step15.nmt step30.nmt mean.nmt || fail "average is not the element-wise mean"
info=$("$nmt" info mean.nmt)
expect_contains "average: a plain model" "$info" "optimizer:       none"
expect_contains "average: where it came from" "$info" $'averaged from:\n  step15.nmt\n  step30.nmt'
expect_exit 0 "average translates" -- "$nmt" translate -m mean.nmt -i valid.src
# The training record comes from the first file.
expect_exit 0 "average keeps the first file's record" -- "$nmt" average -o kept.nmt recorded.nmt step30.nmt
expect_contains "average: training config kept" "$("$nmt" info kept.nmt)" "  best_bleu:       12.5"

# nmt average, refusals.
"$nmt" train --train-src train.src --train-tgt train.tgt -m other.nmt --embedding-size 16 --hidden-size 24 --layers 1 --attention none --dropout 0.2 \
  --batch-size 16 --threads 1 --max-steps 2 --source-vocab m.nmt.spm.model --target-vocab m.nmt.spm.model 2>/dev/null ||
  fail "train other.nmt"
expect_exit 1 "average of two architectures" -- "$nmt" average -o x.nmt step30.nmt other.nmt
expect_contains "two architectures: message" "$stderr" \
  "other.nmt: cannot average with step30.nmt: another architecture (hidden_size 24, not 32)"
expect_exit 1 "average with a text file" -- "$nmt" average -o x.nmt step30.nmt train.src
expect_contains "average with a text file: message" "$stderr" "train.src: not an nmt model file"
[ -e x.nmt ] && fail "a refused average left an output file"
expect_exit 2 "average without models" -- "$nmt" average -o x.nmt
expect_exit 2 "average without output" -- "$nmt" average step30.nmt

finish
