# Sanitizer and fuzzing builds (scripts/check_sanitizers.sh runs both).
#
# NMT_SANITIZE: AddressSanitizer + UndefinedBehaviorSanitizer on every target.
#   Undefined behaviour aborts at the first report (-fno-sanitize-recover) so
#   that a test fails instead of printing a line nobody reads. Line tables only
#   (-gline-tables-only / -g1): enough for file:line in the reports at a
#   fraction of the compile time of full debug information. The build type's
#   optimisation stays: checked is the code that ships (Release), and -O1
#   would save only 15% of the compile time, which is ASan + UBSan's twice
#   that of a plain build. Works with GCC and Clang.
#
# NMT_FUZZ: the libFuzzer targets of tests/fuzz (Clang only). The libraries
#   they exercise are compiled with -fsanitize=fuzzer-no-link (see
#   nmt_fuzz_coverage) so that libFuzzer sees their coverage; only the fuzz
#   targets link libFuzzer itself (-fsanitize=fuzzer), which brings its own
#   main(). Every program links with -fsanitize=fuzzer-no-link, which provides
#   the coverage callbacks to those that are not fuzz targets. Combine with
#   NMT_SANITIZE, or the fuzzers find crashes and aborts only.
#
# Both are included before any target is defined: add_compile_options and
# add_link_options apply to the targets of the directories that follow.

include(CheckCXXSourceCompiles)

if(NMT_SANITIZE)
  set(NMT_SANITIZER_FLAGS -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    list(APPEND NMT_SANITIZER_FLAGS -gline-tables-only)
  else()
    list(APPEND NMT_SANITIZER_FLAGS -g1)
  endif()
  add_compile_options(${NMT_SANITIZER_FLAGS})
  add_link_options(-fsanitize=address,undefined)
  list(JOIN NMT_SANITIZER_FLAGS " " flags)
  message(STATUS "NMT_SANITIZE: building with ${flags}")
endif()

if(NMT_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "NMT_FUZZ needs Clang's libFuzzer, but the C++ compiler is ${CMAKE_CXX_COMPILER_ID} "
                        "(${CMAKE_CXX_COMPILER}). Configure a fresh build folder with "
                        "-DCMAKE_CXX_COMPILER=clang++ (Debian: apt-get install clang libclang-rt-dev).")
  endif()
  # libFuzzer's runtime is a separate package from the compiler on Debian
  # (libclang-rt-<N>-dev); without it every fuzz target fails to link, so
  # find out now.
  set(CMAKE_REQUIRED_FLAGS "-fsanitize=fuzzer")
  set(CMAKE_REQUIRED_LINK_OPTIONS "-fsanitize=fuzzer")
  check_cxx_source_compiles([[
    #include <cstddef>
    #include <cstdint>
    extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t*, std::size_t) { return 0; }
  ]] NMT_HAVE_LIBFUZZER)
  unset(CMAKE_REQUIRED_FLAGS)
  unset(CMAKE_REQUIRED_LINK_OPTIONS)
  if(NOT NMT_HAVE_LIBFUZZER)
    unset(NMT_HAVE_LIBFUZZER CACHE)  # checked again once the package is installed
    string(REGEX MATCH "^[0-9]+" clang_major "${CMAKE_CXX_COMPILER_VERSION}")
    message(FATAL_ERROR "NMT_FUZZ: ${CMAKE_CXX_COMPILER} cannot link with -fsanitize=fuzzer: libFuzzer's "
                        "runtime is missing (Debian: apt-get install libclang-rt-${clang_major}-dev).")
  endif()
  add_link_options(-fsanitize=fuzzer-no-link)
  if(NOT NMT_SANITIZE)
    message(STATUS "NMT_FUZZ without NMT_SANITIZE: the fuzz targets detect crashes only, not memory errors")
  endif()
endif()

# nmt_fuzz_coverage(targets...): libFuzzer's coverage feedback from the given
# libraries, the code under test. Not every target: the test suites, the
# trainer and the command line would pay for coverage no fuzzer reads (about 6%
# more compile time per file on top of ASan + UBSan, and slower tests).
function(nmt_fuzz_coverage)
  foreach(target IN LISTS ARGN)
    target_compile_options(${target} PRIVATE -fsanitize=fuzzer-no-link)
  endforeach()
endfunction()
