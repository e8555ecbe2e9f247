#include "exporter/web/web_config_file.h"

namespace tcorg::web {
namespace {

FileStamp stamp_or_missing(const std::string& path) {
  auto stamp = stat_file(path);
  return stamp ? stamp.value() : FileStamp{};
}

}  // namespace

Result<std::shared_ptr<WebConfigFile>> WebConfigFile::open(WebConfigFileOptions options) {
  if (!options.clock) options.clock = std::chrono::steady_clock::now;
  std::shared_ptr<WebConfigFile> file(new WebConfigFile(std::move(options)));
  auto loaded = file->load(file->watched_);
  if (!loaded) return Error{loaded.error()};
  file->current_ = std::move(loaded).value();
  return file;
}

WebConfigFile::WebConfigFile(WebConfigFileOptions options)
    : options_(std::move(options)), next_check_(options_.clock() + options_.check_interval) {}

Result<std::shared_ptr<const ActiveWebConfig>> WebConfigFile::load(Watched& watched) const {
  // Stat before reading: a write that lands after the stat changes the stamp again, so the
  // next check reads the finished file.
  watched = {{options_.path, stamp_or_missing(options_.path)}};
  auto text = read_file(options_.path, kMaxWebConfigBytes);
  if (!text) return Error{text.error()};
  auto parsed = parse_web_config(text.value(), options_.path);
  if (!parsed) return Error{parsed.error()};
  auto active = std::make_shared<ActiveWebConfig>();
  active->config = std::move(parsed).value();
  if (!active->config.tls) return std::shared_ptr<const ActiveWebConfig>(std::move(active));

  const TlsServerConfig& tls = *active->config.tls;
  for (const std::string* f : {&tls.cert_file, &tls.key_file, &tls.client_ca_file}) {
    if (!f->empty()) watched.emplace_back(*f, stamp_or_missing(*f));
  }
  auto material = load_tls_material(active->config);
  if (!material) return Error{material.error()};
  active->tls = std::move(material).value();
  return std::shared_ptr<const ActiveWebConfig>(std::move(active));
}

std::shared_ptr<const ActiveWebConfig> WebConfigFile::current() const {
  std::string error;
  std::shared_ptr<const ActiveWebConfig> reloaded;
  std::shared_ptr<const ActiveWebConfig> out;
  {
    std::lock_guard lock(mu_);
    const auto now = options_.clock();
    if (now >= next_check_) {
      next_check_ = now + options_.check_interval;
      refresh_locked(error, reloaded);
    }
    out = current_;
  }
  // Reported after unlocking: the callbacks log, and may take their own locks.
  if (!error.empty() && options_.on_error) options_.on_error(error);
  if (reloaded && options_.on_reload) options_.on_reload(*reloaded);
  return out;
}

bool WebConfigFile::changed_locked() const {
  for (const auto& [path, stamp] : watched_) {
    if (stamp_or_missing(path) != stamp) return true;
  }
  return false;
}

void WebConfigFile::refresh_locked(std::string& error,
                                   std::shared_ptr<const ActiveWebConfig>& reloaded) const {
  if (!changed_locked()) return;
  const auto report = [&](const std::string& message) {
    const std::string full = message + "; keeping the last good web config";
    if (full != last_error_) error = last_error_ = full;
  };
  auto loaded = load(watched_);
  if (!loaded) return report(loaded.error());
  if ((loaded.value()->tls == nullptr) != (current_->tls == nullptr)) {
    return report(options_.path + ": switching TLS " +
                  (current_->tls ? std::string("off") : std::string("on")) + " needs a restart");
  }
  last_error_.clear();
  current_ = reloaded = std::move(loaded).value();
}

}  // namespace tcorg::web
