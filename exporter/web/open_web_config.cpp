#include "exporter/web/open_web_config.h"

#include <utility>

namespace tcorg::web {

Result<std::shared_ptr<WebConfigFile>> open_web_config(const std::string& path,
                                                       const log::Logger& logger) {
  if (path.empty()) return std::shared_ptr<WebConfigFile>();
  const auto warn_notes = [&logger](const ActiveWebConfig& active) {
    for (const auto& note : active.config.notes) logger.warn(note);
  };
  WebConfigFileOptions options;
  options.path = path;
  options.on_error = [&logger](const std::string& m) {
    logger.error("web config file unusable", {{"err", m}});
  };
  options.on_reload = [&logger, warn_notes](const ActiveWebConfig& active) {
    logger.info("web config reloaded", {{"file", active.config.path}});
    warn_notes(active);
  };
  auto file = WebConfigFile::open(std::move(options));
  if (file) warn_notes(*file.value()->current());
  return file;
}

}  // namespace tcorg::web
