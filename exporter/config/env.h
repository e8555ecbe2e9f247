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

}  // namespace tcorg::config
