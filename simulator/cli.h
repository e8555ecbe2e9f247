#pragma once

// Command-line flags of the tcorg-simulator binary: GNU style (--flag=value or --flag value),
// parsed strictly. Pure: no I/O.

#include <optional>
#include <string>
#include <vector>

#include "simulator/simulator.h"

namespace tcorg::sim {

struct CliOptions {
  Options simulator;
  std::string port_file;  // empty: none
};

struct CliResult {
  std::optional<CliOptions> options;  // set when the simulator should run
  int exit_code = 0;                  // otherwise: 0 after --help, 2 after a bad flag
  std::string message;                // the help text or the error naming the flag
};

// `args` excludes the program name.
CliResult parse_cli(const std::vector<std::string>& args);

std::string cli_usage();

}  // namespace tcorg::sim
