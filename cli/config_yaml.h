#pragma once
// YAML config files for the command line (see options.h): keys are long option
// names, values scalars or lists.

#include <boost/program_options.hpp>
#include <string>

namespace nmt::cli {

// Stores the options a YAML file sets into vm; options already stored (from the
// command line or a later file) keep their values. Throws po::error naming the
// file and line for a file that cannot be read, is not a mapping of options, or
// sets an unknown option or a bad value.
void store_config_file(const std::string& path, const boost::program_options::options_description& options,
                       boost::program_options::variables_map& vm);

}  // namespace nmt::cli
