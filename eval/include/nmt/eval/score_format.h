#pragma once
// Score lines printed the way sacreBLEU prints them, so that output can be
// compared line for line and parsed by the same scripts.

#include <string>
#include <vector>

namespace nmt::eval {

// Python's f"{value:.{decimals}f}" (correctly rounded, like printf).
std::string format_fixed(double value, int decimals);

// "BLEU|<signature> = 32.1 <verbose>" (verbose may be empty).
std::string format_score_line(const std::string& name, const std::string& signature, double score,
                              int width, const std::string& verbose);

// sacreBLEU's alignment of several score lines: the text left of each line's
// first '=' is right-aligned to a common width. One line is left alone.
std::vector<std::string> align_score_lines(const std::vector<std::string>& lines);

}  // namespace nmt::eval
