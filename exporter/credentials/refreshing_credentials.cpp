#include "exporter/credentials/refreshing_credentials.h"

#include <algorithm>
#include <utility>

namespace tcorg::credentials {
namespace {

constexpr std::int64_t kLongLived = 10 * 60;  // at least this long: refresh 5 minutes early
constexpr std::int64_t kEarly = 5 * 60;

std::int64_t system_clock_seconds() {
  using namespace std::chrono;
  return duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace

std::int64_t refresh_time(std::int64_t issued_at, std::int64_t expires_at) {
  const std::int64_t lifetime = expires_at - issued_at;
  if (lifetime >= kLongLived) return expires_at - kEarly;
  return issued_at + std::max<std::int64_t>(lifetime, 0) / 2;
}

Result<std::unique_ptr<RefreshingCredentials>> RefreshingCredentials::start(
    RefreshOptions options) {
  if (!options.clock) options.clock = system_clock_seconds;
  const std::int64_t now = options.clock();
  auto first = options.issue();
  if (!first) return Error{first.error()};
  if (first.value().expires_at <= now) {
    return Error{"the issued temporary keys had already expired (ExpiredTime " +
                 std::to_string(first.value().expires_at) + ", now " + std::to_string(now) +
                 "): check the host's clock"};
  }
  if (options.on_refresh) options.on_refresh(first.value().expires_at);
  return std::unique_ptr<RefreshingCredentials>(
      new RefreshingCredentials(std::move(options), std::move(first).value(), now));
}

RefreshingCredentials::RefreshingCredentials(RefreshOptions options, api::IssuedCredentials first,
                                             std::int64_t issued_at)
    : options_(std::move(options)),
      keys_(std::move(first.keys)),
      expires_at_(first.expires_at),
      issued_at_(issued_at),
      thread_([this](const std::stop_token& stop) { run(stop); }) {}

RefreshingCredentials::~RefreshingCredentials() {
  thread_.request_stop();
  wake_.notify_all();
}  // thread_ joins here, before the fields it uses go

api::Credentials RefreshingCredentials::current() const {
  std::lock_guard lock(mu_);
  const std::int64_t now = options_.clock();
  if (now < expires_at_) return keys_;
  api::Credentials none;
  none.unavailable = "the temporary keys expired " + std::to_string(now - expires_at_) +
                     " s ago and no refresh has succeeded since";
  if (!last_error_.empty()) none.unavailable += " (last refresh error: " + last_error_ + ")";
  return none;
}

std::int64_t RefreshingCredentials::expires_at() const {
  std::lock_guard lock(mu_);
  return expires_at_;
}

void RefreshingCredentials::run(const std::stop_token& stop) {
  std::chrono::milliseconds backoff{0};
  while (!stop.stop_requested()) {
    std::chrono::milliseconds wait = backoff;
    if (backoff.count() == 0) {
      std::lock_guard lock(mu_);
      wait = std::chrono::seconds(
          std::max<std::int64_t>(refresh_time(issued_at_, expires_at_) - options_.clock(), 0));
    }
    {
      std::unique_lock lock(mu_);
      if (wake_.wait_for(lock, stop, wait, [] { return false; }) || stop.stop_requested()) return;
    }
    const std::int64_t now = options_.clock();
    auto issued = options_.issue();
    if (issued && issued.value().expires_at > now) {
      {
        std::lock_guard lock(mu_);
        keys_ = std::move(issued.value().keys);
        expires_at_ = issued.value().expires_at;
        issued_at_ = now;
        last_error_.clear();
      }
      backoff = std::chrono::milliseconds{0};
      if (options_.on_refresh) options_.on_refresh(issued.value().expires_at);
      continue;
    }
    backoff =
        backoff.count() == 0 ? options_.min_backoff : std::min(backoff * 2, options_.max_backoff);
    std::string error =
        issued ? "the refreshed temporary keys had already expired" : std::string(issued.error());
    {
      std::lock_guard lock(mu_);
      last_error_ = error;
    }
    if (options_.on_error) options_.on_error(error);
  }
}

}  // namespace tcorg::credentials
