#include "exporter/log/logger.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace tcorg::log {
namespace {

using std::chrono::milliseconds;
using std::chrono::system_clock;

system_clock::time_point fixed_time() {
  return system_clock::time_point{milliseconds{1795449600123}};
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST(Logger, WritesLogfmt) {
  std::ostringstream out;
  Logger logger(Level::kInfo, Format::kLogfmt, out, fixed_time);
  logger.info("scrape done", {{"collector", "members"}, {"err", "x y"}});
  EXPECT_EQ(out.str(),
            "ts=2026-11-23T16:00:00.123Z level=info msg=\"scrape done\" collector=members "
            "err=\"x y\"\n");
}

TEST(Logger, WritesJson) {
  std::ostringstream out;
  Logger logger(Level::kDebug, Format::kJson, out, fixed_time);
  logger.debug("d", {{"n", 2}});
  EXPECT_EQ(out.str(), R"({"ts":"2026-11-23T16:00:00.123Z","level":"debug","msg":"d","n":2})"
                       "\n");
}

TEST(Logger, FiltersByLevel) {
  std::ostringstream out;
  Logger logger(Level::kWarn, Format::kLogfmt, out, fixed_time);
  logger.debug("no");
  logger.info("no");
  logger.warn("yes1");
  logger.error("yes2");
  EXPECT_FALSE(logger.enabled(Level::kInfo));
  EXPECT_TRUE(logger.enabled(Level::kError));
  const auto lines = lines_of(out.str());
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_NE(lines[0].find("level=warn msg=yes1"), std::string::npos);
  EXPECT_NE(lines[1].find("level=error msg=yes2"), std::string::npos);
}

TEST(Logger, WithAddsFieldsToEveryLineOfTheChildOnly) {
  std::ostringstream out;
  Logger root(Level::kInfo, Format::kLogfmt, out, fixed_time);
  Logger child = root.with({{"collector", "members"}});
  Logger grandchild = child.with({{"action", "ListOrganizationMembers"}});
  child.info("a", {{"k", 1}});
  grandchild.info("b");
  root.info("c");
  const auto lines = lines_of(out.str());
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_NE(lines[0].find("msg=a collector=members k=1"), std::string::npos) << lines[0];
  EXPECT_NE(lines[1].find("msg=b collector=members action=ListOrganizationMembers"),
            std::string::npos)
      << lines[1];
  EXPECT_EQ(lines[2].find("collector"), std::string::npos) << lines[2];
}

TEST(Logger, AcceptsAFieldVector) {
  std::ostringstream out;
  Logger logger(Level::kInfo, Format::kLogfmt, out, fixed_time);
  std::vector<Field> fields{{"a", "1"}};
  fields.emplace_back("b", 2);
  logger.log(Level::kInfo, "v", fields);
  EXPECT_NE(out.str().find("msg=v a=1 b=2\n"), std::string::npos);
}

// Several threads log at once: every line must come out whole, none lost.
TEST(Logger, ConcurrentLinesStayIntact) {
  std::ostringstream out;
  Logger logger(Level::kInfo, Format::kLogfmt, out);
  constexpr int kThreads = 8;
  constexpr int kLines = 500;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&logger, t] {
      const Logger mine = logger.with({{"thread", t}});
      for (int i = 0; i < kLines; ++i) {
        mine.info("a message with spaces", {{"i", i}, {"payload", std::string(64, 'x')}});
      }
    });
  }
  for (auto& th : threads) th.join();

  const std::regex line_re(
      R"(ts=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z level=info msg="a message with spaces" )"
      R"(thread=(\d+) i=(\d+) payload=x{64})");
  std::set<std::pair<int, int>> seen;
  const auto lines = lines_of(out.str());
  ASSERT_EQ(lines.size(), static_cast<std::size_t>(kThreads * kLines));
  for (const auto& line : lines) {
    std::smatch m;
    ASSERT_TRUE(std::regex_match(line, m, line_re)) << line;
    seen.emplace(std::stoi(m[1]), std::stoi(m[2]));
  }
  EXPECT_EQ(seen.size(), static_cast<std::size_t>(kThreads * kLines));
}

}  // namespace
}  // namespace tcorg::log
