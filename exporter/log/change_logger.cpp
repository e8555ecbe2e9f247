#include "exporter/log/change_logger.h"

namespace tcorg::log {

bool ChangeLogger::log_if_changed(std::string_view key, std::string_view state, Level level,
                                  std::string_view msg, std::initializer_list<Field> fields) {
  {
    std::lock_guard lock(mu_);
    auto it = last_.find(key);
    if (it != last_.end() && it->second == state) return false;
    if (it == last_.end()) {
      last_.emplace(std::string(key), std::string(state));
    } else {
      it->second = std::string(state);
    }
  }
  // Written outside our lock: the logger has its own, and a slow sink must not serialize callers.
  logger_.log(level, msg, fields);
  return true;
}

bool ChangeLogger::reset(std::string_view key) {
  std::lock_guard lock(mu_);
  auto it = last_.find(key);
  if (it == last_.end()) return false;
  last_.erase(it);
  return true;
}

}  // namespace tcorg::log
