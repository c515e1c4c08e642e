#include "options.h"

#include <fstream>
#include <iostream>

#include "nmt/core/error.h"

namespace nmt::cli {

bool parse_command_line(const CommandSpec& spec, po::options_description& options,
                        const po::positional_options_description* positional,
                        const std::vector<std::string>& args, po::variables_map& vm) {
  po::options_description generic("General options");
  generic.add_options()
      ("help,h", "print this help and exit")
      ("config", po::value<std::string>()->value_name("FILE"),
       "read options from an INI-style file (name = value per line); "
       "the command line wins");
  po::options_description all;
  all.add(options).add(generic);

  auto parser = po::command_line_parser(args).options(all);
  if (positional) parser.positional(*positional);
  po::store(parser.run(), vm);

  if (vm.count("help")) {
    std::cout << "Usage: " << spec.usage << "\n\n" << spec.summary << "\n\n" << all << "\n";
    return false;
  }
  if (vm.count("config")) {
    const std::string path = vm["config"].as<std::string>();
    std::ifstream file(path);
    if (!file) throw Error(path, "cannot open config file");
    try {
      po::store(po::parse_config_file(file, options), vm);
    } catch (const po::error& e) {
      throw Error(path, std::string("bad config file: ") + e.what());
    }
  }
  po::notify(vm);
  return true;
}

}  // namespace nmt::cli
