#include "exporter/config/env.h"

#include <cstdint>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>

namespace tcorg::config {
namespace {

// The block the kernel reads /proc/PID/environ from: fields 50 and 51 of /proc/self/stat
// (env_start, env_end). {0, 0} when unknown.
std::pair<std::uintptr_t, std::uintptr_t> initial_environment_block() {
  std::ifstream in("/proc/self/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto paren = stat.rfind(')');  // the command name may hold spaces
  if (paren == std::string::npos) return {0, 0};
  std::istringstream fields(stat.substr(paren + 1));
  std::string field;
  std::uintptr_t start = 0, end = 0;
  for (int n = 3; fields >> field; ++n) {  // field 3 follows the name
    if (n == 50) start = std::stoull(field);
    if (n == 51) {
      end = std::stoull(field);
      break;
    }
  }
  return {start, end};
}

}  // namespace

void remove_from_process_env(const char* name) {
  char* value = std::getenv(name);
  if (value == nullptr) return;
  char* entry = value - std::strlen(name) - 1;  // "NAME=value"
  const std::size_t size = std::strlen(entry);
  const auto [start, end] = initial_environment_block();
  const auto at = reinterpret_cast<std::uintptr_t>(entry);
  ::unsetenv(name);
  // Only the kernel's copy: a string setenv() made belongs to libc, which may reuse it, and
  // /proc/PID/environ never shows it.
  if (at >= start && at + size <= end) explicit_bzero(entry, size);
}

}  // namespace tcorg::config
