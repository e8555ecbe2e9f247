#pragma once

// RefreshingCredentials: temporary keys kept current in the background. The first keys are
// issued before start() returns (no keys, no exporter); then a thread asks the issuer again 5
// minutes before they expire, or at half their lifetime when they live less than 10 minutes. A
// failed refresh is retried with doubling backoff; the last good keys stay in use until they
// expire, so a metadata or STS blip costs no collection cycle. Once expired, current() is empty
// and the client sends nothing until a refresh succeeds.
//
// Thread-safe: current() hands out one consistent (id, key, token) triple under a lock, so a
// request is never signed with the id of one issue and the key of the next.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "exporter/api/credentials.h"
#include "exporter/common/result.h"

namespace tcorg::credentials {

struct RefreshOptions {
  // Asks the issuer (STS, instance metadata) for new keys. The message of an error names what
  // failed and never holds a secret.
  std::function<Result<api::IssuedCredentials>()> issue;
  std::function<std::int64_t()> clock;  // Unix seconds; default: the system clock
  std::chrono::milliseconds min_backoff{1000};
  std::chrono::milliseconds max_backoff{60000};
  // Called from the refresh thread (and from start()), outside the lock.
  std::function<void(std::int64_t expires_at)> on_refresh;
  std::function<void(const std::string& message)> on_error;
};

// When keys issued at `issued_at` that expire at `expires_at` are refreshed (Unix seconds).
std::int64_t refresh_time(std::int64_t issued_at, std::int64_t expires_at);

class RefreshingCredentials {
 public:
  // The first issue's error, when it fails.
  static Result<std::unique_ptr<RefreshingCredentials>> start(RefreshOptions options);
  ~RefreshingCredentials();  // stops and joins the refresh thread
  RefreshingCredentials(const RefreshingCredentials&) = delete;
  RefreshingCredentials& operator=(const RefreshingCredentials&) = delete;

  // The current keys; once they have expired without a successful refresh, empty keys whose
  // `unavailable` says since when and the last refresh error.
  api::Credentials current() const;
  std::int64_t expires_at() const;

 private:
  RefreshingCredentials(RefreshOptions options, api::IssuedCredentials first,
                        std::int64_t issued_at);
  void run(const std::stop_token& stop);

  const RefreshOptions options_;
  mutable std::mutex mu_;
  std::condition_variable_any wake_;
  api::Credentials keys_;
  std::int64_t expires_at_ = 0;
  std::int64_t issued_at_ = 0;
  std::string last_error_;  // of the last refresh, when it failed; empty after a success
  std::jthread thread_;     // last: it starts after the fields above exist
};

}  // namespace tcorg::credentials
