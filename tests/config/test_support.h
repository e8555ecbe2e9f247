#pragma once

// Helpers for config tests: a fake environment and a scratch directory removed afterwards.

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "exporter/config/env.h"

namespace tcorg::config::test {

// A Getenv over a map the test owns; must outlive the returned function.
inline Getenv fake_env(const std::map<std::string, std::string>& vars) {
  return [&vars](const char* name) -> const char* {
    const auto it = vars.find(name);
    return it == vars.end() ? nullptr : it->second.c_str();
  };
}

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "tcorg-config-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  std::string file(const std::string& name) const { return (path_ / name).string(); }
  // Writes `text` to `name` and returns its path.
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(file(name), std::ios::binary | std::ios::trunc) << text;
    return file(name);
  }

 private:
  std::filesystem::path path_;
};

}  // namespace tcorg::config::test
