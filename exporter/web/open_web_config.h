#pragma once

// open_web_config: --web.config.file as the exporter runs it, kept current and logged. Problems
// with a changed file are logged once each at error level (the messages never hold a password or
// hash); a reload is logged at info; settings accepted but ignored (ActiveWebConfig's
// config.notes) are logged as warnings, when the file is opened and after each reload.

#include <memory>
#include <string>

#include "exporter/common/result.h"
#include "exporter/log/logger.h"
#include "exporter/web/web_config_file.h"

namespace tcorg::web {

// Null when `path` is empty (the flag was not given); an error if the file is unusable at start.
// `logger` must outlive the returned file.
Result<std::shared_ptr<WebConfigFile>> open_web_config(const std::string& path,
                                                       const log::Logger& logger);

}  // namespace tcorg::web
