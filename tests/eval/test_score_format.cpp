// The pieces of sacreBLEU's printing: Python's float repr and json.dumps, score
// lines and their alignment, short signatures, tabulate's fancy_grid. Expected
// strings are what Python 3.11 / sacreBLEU 2.4.3 / tabulate 0.8.9 print.
#include <boost/test/unit_test.hpp>

#include "nmt/eval/python_json.h"
#include "nmt/eval/score_format.h"
#include "nmt/eval/score_table.h"

using namespace nmt::eval;

BOOST_AUTO_TEST_SUITE(score_format)

BOOST_AUTO_TEST_CASE(floats_print_as_python_repr) {
  BOOST_TEST(python_float_repr(49.7) == "49.7");
  BOOST_TEST(python_float_repr(100.0) == "100.0");
  BOOST_TEST(python_float_repr(59.0) == "59.0");
  BOOST_TEST(python_float_repr(0.0) == "0.0");
  BOOST_TEST(python_float_repr(-0.0) == "-0.0");
  BOOST_TEST(python_float_repr(0.1 + 0.2) == "0.30000000000000004");
  BOOST_TEST(python_float_repr(0.0001) == "0.0001");
  BOOST_TEST(python_float_repr(1e-05) == "1e-05");
  BOOST_TEST(python_float_repr(2.5e-07) == "2.5e-07");
  BOOST_TEST(python_float_repr(123456789012345.6) == "123456789012345.6");
  BOOST_TEST(python_float_repr(1e16) == "1e+16");
  BOOST_TEST(python_float_repr(1.5e16) == "1.5e+16");
}

BOOST_AUTO_TEST_CASE(json_dumps_as_python) {
  nlohmann::ordered_json text;
  text["a"] = "μ ± \"q\" \\ \n \x01 \x7f 😀";
  BOOST_TEST(python_json_dumps(text, 0, true) ==
             "{\n\"a\": \"\\u03bc \\u00b1 \\\"q\\\" \\\\ \\n \\u0001 \\u007f \\ud83d\\ude00\"\n}");
  BOOST_TEST(python_json_dumps(text, 0, false) == "{\n\"a\": \"μ ± \\\"q\\\" \\\\ \\n \\u0001 \x7f 😀\"\n}");
  nlohmann::ordered_json nested;
  nested["k"] = {1, 2.5, nullptr, nlohmann::ordered_json::object(), nlohmann::ordered_json::array()};
  nested["e"] = nlohmann::ordered_json::object();
  BOOST_TEST(python_json_dumps(nested, 2, true) ==
             "{\n  \"k\": [\n    1,\n    2.5,\n    null,\n    {},\n    []\n  ],\n  \"e\": {}\n}");
}

BOOST_AUTO_TEST_CASE(score_lines_and_json) {
  const ScoreReport bleu{"BLEU", 49.659215823283134, "87.2/62.9/45.2/37.0 (BP = 0.903 ratio = 0.907 hyp_len = 39 ref_len = 43)",
                         Confidence{48.8923, 19.7211}};
  const std::string signature = "nrefs:1|bs:1000|seed:12345|case:mixed|eff:no|tok:13a|smooth:exp|version:nmt-x";
  BOOST_TEST(format_score(bleu, 1, false, signature) ==
             "BLEU|" + signature + " = 49.7 (μ = 48.9 ± 19.7) " + bleu.verbose);
  BOOST_TEST(format_score(bleu, 2, true, signature) == "49.66 (μ = 48.89 ± 19.72)");
  BOOST_TEST(format_score_json(bleu, 1, signature) ==
             "{\n \"name\": \"BLEU\",\n \"score\": 49.7,\n \"signature\": \"" + signature +
                 "\",\n \"confidence_mean\": 48.9,\n \"confidence_var\": 19.7,\n"
                 " \"confidence\": \"μ = 48.9 ± 19.7\",\n \"verbose_score\": \"" + bleu.verbose +
                 "\",\n \"nrefs\": \"1\",\n \"bs\": \"1000\",\n \"seed\": \"12345\",\n \"case\": \"mixed\",\n"
                 " \"eff\": \"no\",\n \"tok\": \"13a\",\n \"smooth\": \"exp\",\n \"version\": \"nmt-x\"\n}");
  // sacreBLEU shows no interval when the resampled mean is not positive.
  const ScoreReport zero{"chrF2", 0.0, "", Confidence{0.0, 0.0}};
  BOOST_TEST(format_score(zero, 1, true, "") == "0.0");
  BOOST_TEST(format_score_json(zero, 1, "nrefs:1").find("confidence") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(single_results_align_at_the_first_equals_sign) {
  BOOST_TEST(format_single_results({"BLEU|x = 1.0", "chrF2|x = 2.0"}, false) == " BLEU|x = 1.0\nchrF2|x = 2.0\n");
  // The width counts code points: "μ" is one.
  BOOST_TEST(format_single_results({"9.4 (μ = 9.0 ± 1.0)", "59.4 (μ = 59.0 ± 1.0)"}, false) ==
             " 9.4 (μ = 9.0 ± 1.0)\n59.4 (μ = 59.0 ± 1.0)\n");
  BOOST_TEST(format_single_results({"9.4", "59.4"}, false) == "9.4\n59.4\n");
  BOOST_TEST(format_single_results({"9.4", "59.4"}, true) == "[\n9.4,\n59.4\n]\n");
  BOOST_TEST(format_single_results({"{\n \"a\": 1\n}"}, true) == "{\n \"a\": 1\n}\n");
}

BOOST_AUTO_TEST_CASE(short_signatures_abbreviate_every_field) {
  BOOST_TEST(short_signature("nrefs:1|bs:1000|seed:12345|case:mixed|eff:no|tok:13a|smooth:exp|version:nmt-x") ==
             "#:1|bs:1000|rs:12345|c:mixed|e:no|tok:13a|s:exp|v:nmt-x");
  BOOST_TEST(short_signature("nrefs:2|case:lc|eff:yes|nc:6|nw:2|space:no|version:nmt-x") ==
             "#:2|c:lc|e:yes|nc:6|nw:2|s:no|v:nmt-x");
}

BOOST_AUTO_TEST_CASE(fancy_grid_as_tabulate_draws_it) {
  // tabulate([["a", "1.0"], ["long name", "22.5\n(p = 0.1)"]], headers=["System", "BLEU"],
  //          tablefmt="fancy_grid", colalign=("right",), stralign="center", numalign="center")
  BOOST_TEST(format_fancy_grid({"System", "BLEU"}, {{"a", "1.0"}, {"long name", "22.5\n(p = 0.1)"}}) ==
             "╒═══════════╤═══════════╕\n"
             "│    System │   BLEU    │\n"
             "╞═══════════╪═══════════╡\n"
             "│         a │    1.0    │\n"
             "├───────────┼───────────┤\n"
             "│ long name │   22.5    │\n"
             "│           │ (p = 0.1) │\n"
             "╘═══════════╧═══════════╛");
}

BOOST_AUTO_TEST_SUITE_END()
