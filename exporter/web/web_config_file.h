#pragma once

// WebConfigFile: --web.config.file, kept current while the exporter runs.
//
// The file and the certificate, key and CA files it names are stat'ed at most once per
// check_interval (from current(), so on requests and handshakes, with no thread of its own);
// when any stamp changes, all are read again. A new version that fails to parse or load is
// reported once through on_error and the last good version stays in use. Switching TLS on or
// off is refused the same way: the listener was made for one or the other.
//
// Thread-safe: current() is called for every request and every TLS handshake.

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "exporter/common/result.h"
#include "exporter/web/file_io.h"
#include "exporter/web/tls_material.h"
#include "exporter/web/web_config.h"

namespace tcorg::web {

// One complete, usable version: the parsed file and, when it asks for TLS, the loaded material.
struct ActiveWebConfig {
  WebSecurity config;
  std::shared_ptr<const TlsMaterial> tls;  // set exactly when config.tls is
};

// The web config in effect now; never returns null. Called from any thread.
using WebConfigSource = std::function<std::shared_ptr<const ActiveWebConfig>()>;

struct WebConfigFileOptions {
  std::string path;
  // Called outside any lock, once per distinct problem. Messages never hold a hash or password.
  std::function<void(const std::string& message)> on_error;
  // Called outside any lock after a changed version was loaded.
  std::function<void(const ActiveWebConfig&)> on_reload;
  std::function<std::chrono::steady_clock::time_point()> clock;  // empty: steady_clock::now
  std::chrono::milliseconds check_interval{1000};
};

class WebConfigFile {
 public:
  // Loads the file once; an error (naming file, key and line) if it is unusable.
  static Result<std::shared_ptr<WebConfigFile>> open(WebConfigFileOptions options);

  // The last good version; never null.
  std::shared_ptr<const ActiveWebConfig> current() const;

  WebConfigFile(const WebConfigFile&) = delete;
  WebConfigFile& operator=(const WebConfigFile&) = delete;

 private:
  using Watched = std::vector<std::pair<std::string, FileStamp>>;

  explicit WebConfigFile(WebConfigFileOptions options);
  // Stats, reads, parses and loads everything; `watched` gets the stamps taken before reading.
  Result<std::shared_ptr<const ActiveWebConfig>> load(Watched& watched) const;
  bool changed_locked() const;
  void refresh_locked(std::string& error, std::shared_ptr<const ActiveWebConfig>& reloaded) const;

  const WebConfigFileOptions options_;
  mutable std::mutex mu_;
  mutable std::shared_ptr<const ActiveWebConfig> current_;
  mutable Watched watched_;  // from the last attempt, good or not
  mutable std::chrono::steady_clock::time_point next_check_;
  mutable std::string last_error_;  // reported already; cleared by a good load
};

}  // namespace tcorg::web
