// tcorg-simulator: the fake Organization API as a process, for the demo and end-to-end tests.

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "simulator/cli.h"
#include "simulator/simulator.h"

namespace {

// Writes then renames, so a reader never sees a partial file.
bool write_port_file(const std::string& path, int port) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << port << "\n";
    if (!out.flush()) return false;
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  return !ec;
}

}  // namespace

int main(int argc, char** argv) {
  const auto cli = tcorg::sim::parse_cli(std::vector<std::string>(argv + 1, argv + argc));
  if (!cli.options) {
    (cli.exit_code == 0 ? std::cout : std::cerr) << cli.message;
    return cli.exit_code;
  }

  // Blocked before any thread starts, so only sigwait below sees them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  try {
    tcorg::sim::Simulator simulator(cli.options->simulator);
    simulator.start();
    if (!cli.options->port_file.empty() &&
        !write_port_file(cli.options->port_file, simulator.port())) {
      std::cerr << "tcorg-simulator: cannot write --port-file " << cli.options->port_file << "\n";
      return 1;
    }
    std::cout << "tcorg-simulator listening on " << simulator.endpoint() << std::endl;
    int signal = 0;
    sigwait(&signals, &signal);
    std::cerr << "tcorg-simulator: stopping on signal " << signal << "\n";
    simulator.stop();
    if (!cli.options->port_file.empty()) std::filesystem::remove(cli.options->port_file);
  } catch (const std::exception& e) {
    std::cerr << "tcorg-simulator: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
