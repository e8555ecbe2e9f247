#include "exporter/collectors/cycle_log.h"

#include <string>

namespace tcorg::collectors {

void CycleLog::record(const Collector& c, const CycleResult& r, double seconds) {
  const std::string name(c.name());
  if (r.ok()) {
    changes_.log_if_changed(name, "ok", log::Level::kInfo, "collector succeeded",
                            {{"collector", name}, {"duration_seconds", seconds}});
    logger_.debug("collection cycle done", {{"collector", name}, {"duration_seconds", seconds}});
    return;
  }
  const auto& e = *r.error;
  if (e.is_stopped()) return;  // shutting down, not a failure worth a line
  changes_.log_if_changed(name, e.label(), e.is_auth() ? log::Level::kError : log::Level::kWarn,
                          e.is_auth() ? "collector failed: check the credentials and their "
                                        "CAM permissions"
                                      : "collector failed; serving the last good data",
                          {{"collector", name}, {"err", e.to_string()}});
  logger_.debug("collection cycle failed", {{"collector", name}, {"err", e.to_string()}});
}

}  // namespace tcorg::collectors
