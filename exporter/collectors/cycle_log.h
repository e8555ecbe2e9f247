#pragma once

// CycleLog: the log policy for collection cycles. A failure is logged once per change of error
// code (so an expired key does not flood the log every cycle), at error level for auth failures
// and warn otherwise; recovery is logged once; every cycle is logged at debug level. A cycle cut
// short by shutdown (api::ApiError::is_stopped) is not a failure and logs nothing.
// Thread-safe: the scheduler calls record() from each collector's thread.

#include "exporter/collectors/collector.h"
#include "exporter/log/change_logger.h"
#include "exporter/log/logger.h"

namespace tcorg::collectors {

class CycleLog {
 public:
  // `logger` must outlive this object.
  explicit CycleLog(const log::Logger& logger) : logger_(logger), changes_(logger) {}

  // One finished cycle of `c`, which took `seconds`.
  void record(const Collector& c, const CycleResult& r, double seconds);

 private:
  const log::Logger& logger_;
  log::ChangeLogger changes_;
};

}  // namespace tcorg::collectors
