#pragma once

// Reading the web config and the files it names: bounded reads and change detection by stat.
// Messages name the path and the system's reason, never the contents.

#include <cstddef>
#include <string>

#include "exporter/common/result.h"

namespace tcorg::web {

// What identifies one version of a file; a different stamp means "read it again".
struct FileStamp {
  unsigned long long device = 0, inode = 0;
  long long size = -1, mtime_ns = 0, ctime_ns = 0;
  friend bool operator==(const FileStamp&, const FileStamp&) = default;
};

// Follows symlinks, so a Kubernetes secret's swapped ..data link counts as a change.
Result<FileStamp> stat_file(const std::string& path);

// The whole file, if it is a regular file of at most `max_bytes`.
Result<std::string> read_file(const std::string& path, std::size_t max_bytes);

}  // namespace tcorg::web
