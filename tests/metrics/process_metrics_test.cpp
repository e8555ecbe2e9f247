#include "exporter/metrics/process_metrics.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <map>

#include "exporter/metrics/collectable_list.h"

namespace tcorg::metrics {
namespace {

std::map<std::string, double> values(const ProcessCollector& c) {
  std::map<std::string, double> out;
  for (const auto& f : c.Collect()) {
    EXPECT_EQ(f.metric.size(), 1u) << f.name;
    EXPECT_FALSE(f.help.empty()) << f.name;
    out[f.name] = f.type == prometheus::MetricType::Counter ? f.metric.at(0).counter.value
                                                            : f.metric.at(0).gauge.value;
  }
  return out;
}

double process_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

TEST(ParseProcStat, CountsFieldsFromTheLastParenthesis) {
  // A command name with a space and a ')' of its own; fields 3.. as the kernel writes them.
  const std::string line =
      "4242 (my exp) orter) S 1 4242 4242 0 -1 4194560 500 0 0 0 "
      "150 50 0 0 20 0 9 0 123456 987654321 2048 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 "
      "17 1 0 0 0 0 0\n";
  const auto stat = parse_proc_stat(line);
  ASSERT_TRUE(stat);
  EXPECT_EQ(stat->cpu_ticks, 200);  // utime 150 + stime 50
  EXPECT_EQ(stat->start_ticks, 123456);
  EXPECT_EQ(stat->virtual_bytes, 987654321);
  EXPECT_EQ(stat->resident_pages, 2048);
}

TEST(ParseProcStat, RejectsMalformedLines) {
  EXPECT_FALSE(parse_proc_stat(""));
  EXPECT_FALSE(parse_proc_stat("4242 no parenthesis S 1 2 3"));
  EXPECT_FALSE(parse_proc_stat("4242 (short) S 1 2 3"));
  EXPECT_FALSE(parse_proc_stat(
      "1 (x) S 1 1 1 0 -1 0 0 0 0 0 x 50 0 0 20 0 9 0 1 1 1 1"));  // utime not a number
}

TEST(ProcessCollector, ReportsThisProcess) {
  const ProcessCollector collector;
  const auto v = values(collector);
  for (const char* name : {"process_cpu_seconds_total", "process_resident_memory_bytes",
                           "process_virtual_memory_bytes", "process_start_time_seconds",
                           "process_open_fds", "process_max_fds"}) {
    EXPECT_TRUE(v.count(name)) << name;
  }
  rusage usage{};
  ASSERT_EQ(getrusage(RUSAGE_SELF, &usage), 0);
  const double peak_rss = static_cast<double>(usage.ru_maxrss) * 1024;
  EXPECT_GT(v.at("process_resident_memory_bytes"), 1e6);
  EXPECT_LE(v.at("process_resident_memory_bytes"), peak_rss);
  EXPECT_GE(v.at("process_virtual_memory_bytes"), v.at("process_resident_memory_bytes"));

  const double now = static_cast<double>(std::time(nullptr));
  EXPECT_LE(v.at("process_start_time_seconds"), now + 1);
  EXPECT_GT(v.at("process_start_time_seconds"), now - 3600);  // this test started just now

  rlimit limit{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &limit), 0);
  EXPECT_EQ(v.at("process_max_fds"), static_cast<double>(limit.rlim_cur));
}

TEST(ProcessCollector, CpuSecondsFollowTheProcessClock) {
  const ProcessCollector collector;
  const double before = values(collector).at("process_cpu_seconds_total");
  const double clock_before = process_cpu_seconds();
  volatile double sink = 0;
  while (process_cpu_seconds() - clock_before < 0.2) sink = sink + 1;
  const double after = values(collector).at("process_cpu_seconds_total");
  // Clock ticks are 10 ms: 0.2 s of CPU shows as at least 0.15 s.
  EXPECT_GE(after - before, 0.15);
  EXPECT_LE(after, process_cpu_seconds() + 0.02);
}

TEST(ProcessCollector, OpenFdsCountsDescriptorsExactly) {
  const ProcessCollector collector;
  const double before = values(collector).at("process_open_fds");
  const int a = open("/dev/null", O_RDONLY | O_CLOEXEC);
  const int b = open("/dev/null", O_RDONLY | O_CLOEXEC);
  ASSERT_GE(a, 0);
  ASSERT_GE(b, 0);
  EXPECT_EQ(values(collector).at("process_open_fds"), before + 2);
  close(a);
  close(b);
  EXPECT_EQ(values(collector).at("process_open_fds"), before);
}

TEST(ProcessCollector, UnreadableProcLeavesTheProcSeriesOut) {
  const ProcessCollector collector("/nonexistent");
  const auto v = values(collector);
  EXPECT_FALSE(v.count("process_cpu_seconds_total"));
  EXPECT_FALSE(v.count("process_open_fds"));
  EXPECT_TRUE(v.count("process_max_fds"));  // from getrlimit, not /proc
}

TEST(CollectableList, CollectsEveryPartInOrder) {
  const ProcessCollector a("/nonexistent");
  const ProcessCollector b;
  const CollectableList list({&a, &b});
  const auto families = list.Collect();
  ASSERT_EQ(families.size(), a.Collect().size() + b.Collect().size());
  EXPECT_EQ(families.front().name, "process_max_fds");  // a's only family comes first
}

}  // namespace
}  // namespace tcorg::metrics
