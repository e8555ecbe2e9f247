#pragma once

// A child process for end-to-end tests: the real exporter binary, started with arguments and a
// clean environment, its output captured to files. Killed (SIGKILL) if still running at the end.

#include <sys/types.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tcorg::testing {

class Process {
 public:
  Process(std::string binary, std::vector<std::string> args,
          std::map<std::string, std::string> env);
  ~Process();
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  // Exit status (or 128+signal), or nullopt if still running after `timeout`.
  std::optional<int> wait(std::chrono::milliseconds timeout);
  void signal(int sig);
  std::string out() const;  // everything written to stdout so far
  std::string err() const;  // everything written to stderr so far
  // Waits until stderr contains `needle`; false on timeout or exit.
  bool wait_for_err(const std::string& needle, std::chrono::milliseconds timeout);
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  std::optional<int> status_;
  std::string out_path_, err_path_;
};

// Path of a built binary, from the compile definitions the CMakeLists gives the test.
std::string exporter_binary();

}  // namespace tcorg::testing
