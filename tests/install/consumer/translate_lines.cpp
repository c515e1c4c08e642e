// translate_lines MODEL < source > translations: nmt used as a library, the way
// a program embedding it translates (greedy search, default options).
// translate_lines --version prints the version of the nmt it was built with.

#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "nmt/core/dnn_context.h"
#include "nmt/core/version.h"
#include "nmt/model/translation_model.h"
#include "nmt/model/translator.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: translate_lines MODEL < source > translations\n";
    return 2;
  }
  if (std::string(argv[1]) == "--version") {
    std::cout << nmt::kVersion << "\n";
    return 0;
  }
  try {
    nmt::DnnContext::set_num_threads(1);  // as `nmt translate --threads 1`, for identical results
    nmt::DnnContext dnn;
    nmt::TranslationModel model = nmt::TranslationModel::load(dnn, argv[1]);
    nmt::Translator translator(model);
    std::vector<std::string> lines;
    for (std::string line; std::getline(std::cin, line);) lines.push_back(line);
    for (const std::string& translation : translator.translate(lines, nmt::DecodingOptions{}, nmt::BatchLimits{}))
      std::cout << translation << "\n";
  } catch (const std::exception& e) {
    std::cerr << "translate_lines: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
