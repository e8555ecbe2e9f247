#include "exporter/config/credentials_source.h"

#include <filesystem>

#include "exporter/config/credentials_file.h"

namespace tcorg::config {

namespace {

constexpr const char* kIdVar = "TENCENTCLOUD_SECRET_ID";
constexpr const char* kKeyVar = "TENCENTCLOUD_SECRET_KEY";

std::string get(const Getenv& env, const char* name) {
  const char* value = env(name);
  return value != nullptr ? value : "";  // set but empty counts as unset, as shells make it easy
}

std::string no_credentials_message(const std::string& file) {
  return "no Tencent Cloud credentials: set TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY "
         "(and TENCENTCLOUD_SECURITY_TOKEN for temporary credentials), or write "
         "secret_id/secret_key under [default] in " +
         (file.empty() ? std::string("~/.tencentcloud/credentials") : file) +
         ", or pass --tencentcloud.credentials-file";
}

}  // namespace

Result<std::shared_ptr<CredentialsSource>> CredentialsSource::open(CredentialsOptions options) {
  const bool process_environment = !options.env;
  if (!options.env) options.env = process_env();
  if (!options.clock) options.clock = std::chrono::steady_clock::now;

  const std::string id = get(options.env, kIdVar);
  const std::string key = get(options.env, kKeyVar);
  if (!id.empty() || !key.empty()) {
    if (id.empty() || key.empty()) {
      const char* missing = id.empty() ? kIdVar : kKeyVar;
      const char* present = id.empty() ? kKeyVar : kIdVar;
      return Error{std::string(present) + " is set but " + missing +
                   " is not: set both, or neither to use the credentials file"};
    }
    std::string token = get(options.env, "TENCENTCLOUD_SECURITY_TOKEN");
    if (token.empty()) token = get(options.env, "TENCENTCLOUD_SESSION_TOKEN");
    api::Credentials creds{id, key, std::move(token)};
    // Read once, kept in creds: no longer in /proc/PID/environ, nor inherited by children.
    if (process_environment) {
      for (const char* secret :
           {kKeyVar, "TENCENTCLOUD_SECURITY_TOKEN", "TENCENTCLOUD_SESSION_TOKEN"}) {
        remove_from_process_env(secret);
      }
    }
    return std::shared_ptr<CredentialsSource>(
        new CredentialsSource(std::move(options), false, "environment", std::move(creds), {}));
  }

  const std::string file = options.file;
  std::error_code ec;
  if (file.empty() || (!options.file_explicit && !std::filesystem::exists(file, ec))) {
    return Error{no_credentials_message(file)};
  }
  auto stamp = stat_credentials_file(file);
  if (!stamp) return Error{stamp.error()};
  auto creds = read_credentials_file(file);
  if (!creds) return Error{creds.error()};
  return std::shared_ptr<CredentialsSource>(new CredentialsSource(
      std::move(options), true, file, std::move(creds).value(), stamp.value()));
}

CredentialsSource::CredentialsSource(CredentialsOptions options, bool from_file, std::string origin,
                                     api::Credentials creds, FileStamp stamp)
    : options_(std::move(options)),
      origin_(std::move(origin)),
      from_file_(from_file),
      creds_(std::move(creds)),
      stamp_(stamp),
      next_check_(options_.clock() + options_.check_interval) {}

api::Credentials CredentialsSource::current() const {
  std::string error;
  bool reloaded = false;
  api::Credentials out;
  {
    std::lock_guard lock(mu_);
    if (from_file_) {
      const auto now = options_.clock();
      if (now >= next_check_) {
        next_check_ = now + options_.check_interval;
        refresh_locked(error, reloaded);
      }
    }
    out = creds_;
  }
  // Reported after unlocking: the callbacks log, and may take their own locks.
  if (!error.empty() && options_.on_error) options_.on_error(error);
  if (reloaded && options_.on_reload) options_.on_reload(origin_);
  return out;
}

void CredentialsSource::refresh_locked(std::string& error, bool& reloaded) const {
  const auto report = [&](const std::string& message) {
    const std::string full = message + "; keeping the last good credentials";
    if (full != last_error_) error = last_error_ = full;
  };
  // Stat before reading: a write that lands after the stat changes the stamp again, so the
  // next check reads the finished file.
  const auto stamp = stat_credentials_file(origin_);
  if (!stamp) {
    stamp_ = {};  // whatever file appears next is new
    report(stamp.error());
    return;
  }
  if (stamp.value() == stamp_) return;
  stamp_ = stamp.value();
  auto creds = read_credentials_file(origin_);
  if (!creds) {
    report(creds.error());
    return;
  }
  last_error_.clear();
  if (creds.value() != creds_) {
    creds_ = std::move(creds).value();
    reloaded = true;
  }
}

}  // namespace tcorg::config
