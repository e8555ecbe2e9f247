#pragma once

// The environment as a function, so tests pass a map instead of touching the process's variables.

#include <cstdlib>
#include <functional>

namespace tcorg::config {

// Returns the variable's value, or nullptr when it is not set.
using Getenv = std::function<const char*(const char* name)>;

inline Getenv process_env() {
  return [](const char* name) { return std::getenv(name); };
}

// Unsets `name` in this process and wipes its "NAME=value" text where the kernel shows the
// starting environment (/proc/PID/environ), so a secret read from it stays only where the
// caller keeps it. Call before starting threads: the environment is not thread-safe.
void remove_from_process_env(const char* name);

}  // namespace tcorg::config
