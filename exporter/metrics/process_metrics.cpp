#include "exporter/metrics/process_metrics.h"

#include <sys/resource.h>
#include <unistd.h>

#include <charconv>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <utility>

namespace tcorg::metrics {
namespace {

using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;

std::optional<double> number(std::string_view s) {
  double v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

std::optional<std::string> read_all(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

double read_boot_time(const std::string& proc) {
  const auto stat = read_all(proc + "/stat");
  if (!stat) return -1;
  std::istringstream lines(*stat);
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with("btime ")) return number(line.substr(6)).value_or(-1);
  }
  return -1;
}

MetricFamily family(std::string name, std::string help, MetricType type, double value) {
  ClientMetric m;
  if (type == MetricType::Counter) {
    m.counter.value = value;
  } else {
    m.gauge.value = value;
  }
  return MetricFamily{std::move(name), std::move(help), type, {std::move(m)}};
}

}  // namespace

std::optional<ProcStat> parse_proc_stat(std::string_view line) {
  const auto paren = line.rfind(')');
  if (paren == std::string_view::npos) return std::nullopt;
  // Fields from 3 on ("state" is field 3), split by single spaces.
  std::vector<std::string_view> fields;
  for (std::size_t at = paren + 1; at < line.size();) {
    while (at < line.size() && (line[at] == ' ' || line[at] == '\n')) ++at;
    const auto end = line.find_first_of(" \n", at);
    if (at < line.size()) fields.push_back(line.substr(at, end - at));
    at = end == std::string_view::npos ? line.size() : end;
  }
  // proc(5): utime 14, stime 15, starttime 22, vsize 23, rss 24; fields[0] is field 3.
  auto field = [&](std::size_t n) -> std::optional<double> {
    return n - 3 < fields.size() ? number(fields[n - 3]) : std::nullopt;
  };
  const auto utime = field(14), stime = field(15), start = field(22), vsize = field(23),
             rss = field(24);
  if (!utime || !stime || !start || !vsize || !rss) return std::nullopt;
  return ProcStat{*utime + *stime, *start, *vsize, *rss};
}

ProcessCollector::ProcessCollector(std::string proc)
    : proc_(std::move(proc)), boot_time_(read_boot_time(proc_)) {}

std::vector<MetricFamily> ProcessCollector::Collect() const {
  std::vector<MetricFamily> out;
  const auto ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  const auto page = static_cast<double>(sysconf(_SC_PAGESIZE));
  const auto text = read_all(proc_ + "/self/stat");
  if (const auto stat = text ? parse_proc_stat(*text) : std::nullopt; stat && ticks > 0) {
    out.push_back(family("process_cpu_seconds_total",
                         "Total user and system CPU time spent in seconds.", MetricType::Counter,
                         stat->cpu_ticks / ticks));
    out.push_back(family("process_resident_memory_bytes", "Resident memory size in bytes.",
                         MetricType::Gauge, stat->resident_pages * page));
    out.push_back(family("process_virtual_memory_bytes", "Virtual memory size in bytes.",
                         MetricType::Gauge, stat->virtual_bytes));
    if (boot_time_ >= 0) {
      out.push_back(family("process_start_time_seconds",
                           "Start time of the process since unix epoch in seconds.",
                           MetricType::Gauge, boot_time_ + stat->start_ticks / ticks));
    }
  }
  std::error_code ec;
  double fds = 0;
  for (std::filesystem::directory_iterator it(proc_ + "/self/fd", ec), end; !ec && it != end;
       it.increment(ec)) {
    ++fds;
  }
  if (!ec) {
    // The iterator's own descriptor is counted too, and then closed: leave it out.
    out.push_back(family("process_open_fds", "Number of open file descriptors.", MetricType::Gauge,
                         fds > 0 ? fds - 1 : 0));
  }
  if (rlimit limit{}; getrlimit(RLIMIT_NOFILE, &limit) == 0) {
    out.push_back(
        family("process_max_fds", "Maximum number of open file descriptors.", MetricType::Gauge,
               limit.rlim_cur == RLIM_INFINITY ? -1 : static_cast<double>(limit.rlim_cur)));
  }
  return out;
}

}  // namespace tcorg::metrics
