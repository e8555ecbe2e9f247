#pragma once

// The standard process_* series every Prometheus client library exports (client_golang's names
// and meanings), read from /proc on each collect: CPU time, memory, file descriptors, start time.
// They are what dashboards and alerts on any exporter's own health use. Outside Linux, or if
// /proc cannot be read, the series that cannot be read are left out.

#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tcorg::metrics {

// The fields of /proc/<pid>/stat this collector uses, in their raw units.
struct ProcStat {
  double cpu_ticks = 0;       // utime + stime, in clock ticks
  double start_ticks = 0;     // after boot, in clock ticks
  double virtual_bytes = 0;   // vsize
  double resident_pages = 0;  // rss
};

// Parses one /proc/<pid>/stat line. The command name (field 2) is in parentheses and may hold
// spaces and ')' itself, so fields are counted from the last ')'. nullopt if malformed.
std::optional<ProcStat> parse_proc_stat(std::string_view line);

class ProcessCollector final : public prometheus::Collectable {
 public:
  // `proc` is the /proc mount; the process is always this one ("self").
  explicit ProcessCollector(std::string proc = "/proc");

  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  std::string proc_;
  double boot_time_ = -1;  // btime of <proc>/stat, read once; -1 if unknown
};

}  // namespace tcorg::metrics
