#!/usr/bin/env bash
# test_install.sh CMAKE BUILD CXX LIBDIR DATADIR MANDIR: installs BUILD into a
# temporary prefix and uses nmt from there as a user would: a program built
# with find_package(nmt) and one built with pkg-config translate like
# `nmt translate`; man pages (MANDIR "-" when built without help2man) and bash
# completion are in place.
set -u
cmake=$1 build=$2 cxx=$3 libdir=$4 datadir=$5 mandir=$6
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../cli/assert.sh"
enter_scratch_dir
prefix=$work/prefix

expect_exit 0 "cmake --install" -- "$cmake" --install "$build" --prefix "$prefix"
nmt=$prefix/bin/nmt
for file in bin/nmt "$libdir/cmake/nmt/nmtConfig.cmake" "$libdir/cmake/nmt/nmtConfigVersion.cmake" \
            "$libdir/pkgconfig/nmt.pc" include/nmt/core/version.h include/nmt/core/dnn_context.h \
            include/nmt/model/translator.h include/nmt/training/trainer.h \
            "$datadir/bash-completion/completions/nmt"; do
  [ -e "$prefix/$file" ] || fail "not installed: $file"
done
[ -z "$(find "$prefix/include" -name '*.in')" ] || fail "templates installed: $(find "$prefix/include" -name '*.in')"
version=$("$nmt" --version)
expect_equal "nmt --version" "${version%% *}" "nmt"

# A tiny model, as the CLI tests make it, trained long enough (a second) to
# say something: a comparison of empty translations would prove little.
write_toy_corpus 5
expect_exit 0 "train" -- "$nmt" train --train-src train.src --train-tgt train.tgt -m m.nmt --embedding-size 16 \
  --hidden-size 32 --layers 1 --vocab-size 30 --batch-size 16 --threads 1 --max-epochs 0 --max-steps 600
printf 'uno dos\ngato casa perro\n' > two.src
cli=$("$nmt" translate -m m.nmt -i two.src --threads 1 --quiet)
expect_equal "nmt translate: two non-empty lines" "$(grep -c . <<< "$cli")" 2

# find_package(nmt) with CMAKE_PREFIX_PATH, from a source tree of its own.
cp -r "$here/consumer" consumer
expect_exit 0 "configure the consumer" -- "$cmake" -S consumer -B consumer-build -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_PREFIX_PATH="$prefix"
expect_exit 0 "build the consumer" -- "$cmake" --build consumer-build
expect_equal "consumer sees the version" "nmt $(consumer-build/translate_lines --version)" "$version"
expect_equal "library translates as nmt translate" "$(consumer-build/translate_lines m.nmt < two.src)" "$cli"

# pkg-config, the same program linked from its flags.
export PKG_CONFIG_PATH=$prefix/$libdir/pkgconfig
expect_equal "pkg-config --modversion" "nmt $(pkg-config --modversion nmt)" "$version"
flags=$(pkg-config --cflags --libs nmt) || fail "pkg-config --cflags --libs nmt: $flags"
expect_contains "pkg-config include path" "$flags" "-I$prefix/$libdir/pkgconfig/../../include"
# shellcheck disable=SC2086  # the flags are words
expect_exit 0 "build with pkg-config" -- "$cxx" -O1 consumer/translate_lines.cpp -o translate_lines_pc $flags
expect_equal "pkg-config build translates as nmt translate" "$(./translate_lines_pc m.nmt < two.src)" "$cli"

if [ "$mandir" != "-" ]; then
  pages=$prefix/$mandir/man1
  for command in $("$nmt" --help | awk '/^Commands:/ { listed = 1; next } listed && /^  [a-z]/ { print $1 }'); do
    [ -s "$pages/nmt-$command.1" ] || fail "no man page nmt-$command.1"
  done
  [ -s "$pages/nmt.1" ] || fail "no man page nmt.1"
  expect_contains "nmt-translate.1 documents --beam-size" "$(cat "$pages/nmt-translate.1")" '\-\-beam\-size'
  expect_contains "nmt-translate.1 is named" "$(cat "$pages/nmt-translate.1")" 'nmt-translate \- translate'
fi

# Completion, as bash calls it: COMP_WORDS and COMP_CWORD set, COMPREPLY read.
complete_words() {
  PATH=$prefix/bin:$PATH bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _nmt
    printf "%s\n" "${COMPREPLY[@]}"' - "$prefix/$datadir/bash-completion/completions/nmt" "$@"
}
expect_equal "complete nmt translate --be" "$(complete_words nmt translate --be)" "--beam-size"
expect_equal "complete nmt tr" "$(complete_words nmt tr | sort | tr '\n' ' ')" "train translate "
expect_equal "complete nmt translate -m m.n" "$(complete_words nmt translate -m m.n | sort | tr '\n' ' ')" \
  "m.nmt m.nmt.checkpoint m.nmt.spm.model "
expect_equal "complete nmt train --optimizer" "$(complete_words nmt train --optimizer '' | tr '\n' ' ')" "adam sgd "

finish
