#pragma once

// CredentialsSource: where the API keys come from, resolved once at startup and kept current.
//
// Order: the environment (TENCENTCLOUD_SECRET_ID + TENCENTCLOUD_SECRET_KEY, token from
// TENCENTCLOUD_SECURITY_TOKEN, else TENCENTCLOUD_SESSION_TOKEN), else the credentials file. The
// file is optional unless it was named explicitly (flag or TENCENTCLOUD_CREDENTIALS_FILE).
// Credentials taken from the process environment leave it: the key and both token variables
// are unset and wiped from /proc/PID/environ once read (open() must run before any thread).
//
// A file source re-reads the file when its inode, size, mtime or ctime changes (looked at no
// more than once per check_interval), so rotated keys apply without a restart. If the new file
// is broken or gone, the last good credentials stay in use and the problem is reported once.
//
// Thread-safe: current() is called once per API request, from any thread.

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "exporter/api/credentials.h"
#include "exporter/common/result.h"
#include "exporter/config/env.h"

namespace tcorg::config {

struct CredentialsOptions {
  std::string file;            // empty: no file
  bool file_explicit = false;  // a missing file is then an error
  Getenv env;                  // empty: the process environment
  // Called outside any lock, once per distinct problem with a changed file. Must not block long.
  std::function<void(const std::string& message)> on_error;
  // Called outside any lock after different credentials were loaded from the file.
  std::function<void(const std::string& path)> on_reload;
  std::function<std::chrono::steady_clock::time_point()> clock;  // empty: steady_clock::now
  std::chrono::milliseconds check_interval{1000};
};

class CredentialsSource {
 public:
  // An error when nothing usable is found: a half-set environment (naming the missing variable),
  // an explicit file that is missing, a broken file, or no credentials at all.
  static Result<std::shared_ptr<CredentialsSource>> open(CredentialsOptions options);

  // The latest good credentials; never empty.
  api::Credentials current() const;
  // "environment" or the file's path, for the startup log.
  const std::string& origin() const { return origin_; }

  CredentialsSource(const CredentialsSource&) = delete;
  CredentialsSource& operator=(const CredentialsSource&) = delete;

  // What identifies one version of the file; a change means "read it again".
  struct FileStamp {
    unsigned long long device = 0, inode = 0;
    long long size = -1, mtime_ns = 0, ctime_ns = 0;
    friend bool operator==(const FileStamp&, const FileStamp&) = default;
  };

 private:
  CredentialsSource(CredentialsOptions options, bool from_file, std::string origin,
                    api::Credentials creds, FileStamp stamp);
  // Under mu_: re-reads a changed file; sets `error` or `reloaded` for the caller to report.
  void refresh_locked(std::string& error, bool& reloaded) const;

  const CredentialsOptions options_;
  const std::string origin_;
  const bool from_file_;  // false: from the environment, which never changes
  mutable std::mutex mu_;
  mutable api::Credentials creds_;
  mutable FileStamp stamp_;
  mutable std::chrono::steady_clock::time_point next_check_;
  mutable std::string last_error_;  // reported already; cleared by a good read
};

}  // namespace tcorg::config
