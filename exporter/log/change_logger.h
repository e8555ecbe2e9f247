#pragma once

// ChangeLogger: logs a key's state only when it changes, so a persistent failure (say, an auth
// error on every request) is logged once, then again only when it turns into another error or is
// cleared. Thread-safe.
//
//   if (!result) changes.log_if_changed("members", result.error().label(), Level::kError,
//                                       "collection failed", {{"err",
//                                       result.error().to_string()}});
//   else if (changes.reset("members")) logger.info("collection recovered", {{"collector",
//   "members"}});

#include <initializer_list>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "exporter/log/logger.h"

namespace tcorg::log {

class ChangeLogger {
 public:
  explicit ChangeLogger(Logger logger) : logger_(std::move(logger)) {}

  // Logs (level, msg, fields) when `state` differs from the state last recorded for `key`, and
  // records it. Returns whether it logged.
  bool log_if_changed(std::string_view key, std::string_view state, Level level,
                      std::string_view msg, std::initializer_list<Field> fields = {});
  // Forgets `key`, so its next state logs again. Returns whether the key had a state.
  bool reset(std::string_view key);

 private:
  Logger logger_;
  std::mutex mu_;
  std::map<std::string, std::string, std::less<>> last_;
};

}  // namespace tcorg::log
