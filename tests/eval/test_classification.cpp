// Classification metrics against figures worked out by hand (and as
// scikit-learn's classification_report, zero_division=0, gives them).

#include <boost/test/unit_test.hpp>

#include <nlohmann/json.hpp>

#include "nmt/core/error.h"
#include "nmt/eval/classification.h"

BOOST_AUTO_TEST_SUITE(classification)

BOOST_AUTO_TEST_CASE(figures_of_a_small_case) {
  // a: 2 references (1 right, 1 taken for b); b: 2 (both right); c: 1 (taken for a).
  const auto report = nmt::eval::classification_report({"a", "a", "b", "b", "c"}, {"a", "b", "b", "b", "a"});
  BOOST_TEST(report.total == 5);
  BOOST_TEST(report.correct == 3);
  BOOST_TEST(report.accuracy == 0.6, boost::test_tools::tolerance(1e-12));
  BOOST_TEST_REQUIRE(report.classes.size() == 3u);
  const auto& a = report.classes[0];
  const auto& b = report.classes[1];
  const auto& c = report.classes[2];
  BOOST_TEST(a.label == "a");
  BOOST_TEST(a.precision == 0.5, boost::test_tools::tolerance(1e-12));  // 1 of the 2 predicted a
  BOOST_TEST(a.recall == 0.5, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(a.f1 == 0.5, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(b.precision == 2.0 / 3, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(b.recall == 1.0, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(b.f1 == 0.8, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(c.precision == 0.0);  // never predicted: undefined, reported as 0
  BOOST_TEST(c.recall == 0.0);
  BOOST_TEST(c.support == 1);
  BOOST_TEST(c.predicted == 0);
  BOOST_TEST(report.macro_precision == (0.5 + 2.0 / 3) / 3, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(report.macro_recall == 0.5, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(report.macro_f1 == 1.3 / 3, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(report.weighted_precision == 0.4 * 0.5 + 0.4 * 2.0 / 3, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(report.weighted_recall == 0.6, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(report.weighted_f1 == 0.52, boost::test_tools::tolerance(1e-12));
  const std::vector<std::vector<std::int64_t>> confusion{{1, 1, 0}, {0, 2, 0}, {1, 0, 0}};
  BOOST_TEST((report.confusion == confusion));
}

BOOST_AUTO_TEST_CASE(a_label_only_predicted_is_a_class_too) {
  const auto report = nmt::eval::classification_report({"x", "x"}, {"x", "y"});
  BOOST_TEST_REQUIRE(report.classes.size() == 2u);
  BOOST_TEST(report.classes[1].label == "y");
  BOOST_TEST(report.classes[1].support == 0);
  BOOST_TEST(report.classes[1].predicted == 1);
  BOOST_TEST(report.classes[0].recall == 0.5, boost::test_tools::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(json_holds_every_figure) {
  const auto report = nmt::eval::classification_report({"pos", "neg", "pos"}, {"pos", "pos", "pos"});
  const auto json = nlohmann::json::parse(report.to_json());
  BOOST_TEST(json.at("accuracy").get<double>() == 2.0 / 3, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(json.at("classes").size() == 2u);
  BOOST_TEST(json.at("classes")[1].at("label").get<std::string>() == "pos");
  BOOST_TEST(json.at("classes")[1].at("precision").get<double>() == 2.0 / 3, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(json.at("confusion").at("matrix")[0][1].get<int>() == 1);  // neg taken for pos
  BOOST_TEST(report.to_text().find("accuracy 0.6667 (2 of 3)") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(misaligned_or_empty_input_is_refused) {
  BOOST_CHECK_THROW(nmt::eval::classification_report({"a"}, {"a", "b"}), nmt::Error);
  BOOST_CHECK_THROW(nmt::eval::classification_report({}, {}), nmt::Error);
}

BOOST_AUTO_TEST_SUITE_END()
