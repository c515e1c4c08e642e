#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <string>

#include "nmt/core/progress.h"

BOOST_AUTO_TEST_CASE(durations_read_like_a_clock) {
  BOOST_TEST(nmt::ProgressLine::format_duration(5) == "5s");
  BOOST_TEST(nmt::ProgressLine::format_duration(185) == "3m05s");
  BOOST_TEST(nmt::ProgressLine::format_duration(3720) == "1h02m");
  BOOST_TEST(nmt::ProgressLine::format_duration(-1) == "?");
}

BOOST_AUTO_TEST_CASE(progress_line_shows_counts_rate_eta_and_fields) {
  std::FILE* out = std::tmpfile();
  nmt::ProgressLine progress("translate", 200, "lines", 10.0, out);
  progress.update(10, "", false);  // too soon after start: nothing printed
  progress.update(50, "beam 5", true);
  progress.finish(200);
  std::rewind(out);
  char buffer[512] = {};
  const std::size_t size = std::fread(buffer, 1, sizeof buffer - 1, out);
  std::fclose(out);
  const std::string text(buffer, size);
  BOOST_TEST(text.find("translate 50/200 lines (25%)") == 0u);
  BOOST_TEST(text.find("lines/s") != std::string::npos);
  BOOST_TEST(text.find("ETA") != std::string::npos);
  BOOST_TEST(text.find("| beam 5\n") != std::string::npos);
  BOOST_TEST(text.find("translate 200/200 lines (100%)") != std::string::npos);
  BOOST_TEST(text.find("10/200") == std::string::npos);
}
