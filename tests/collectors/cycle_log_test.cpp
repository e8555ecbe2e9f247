#include "exporter/collectors/cycle_log.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>
#include <string>

namespace tcorg::collectors {
namespace {

class NamedCollector final : public Collector {
 public:
  std::string_view name() const override { return "members"; }
  std::chrono::milliseconds interval() const override { return std::chrono::milliseconds(1000); }
  CycleResult collect(const Snapshot*, std::stop_token) override { return {}; }
};

CycleResult ok() {
  return {std::make_shared<const Snapshot>(MembersSnapshot{}), std::nullopt};
}

CycleResult failed(std::string code) {
  api::ApiError e;
  e.kind = api::ErrorKind::kApi;
  e.code = std::move(code);
  return {nullptr, e};
}

int count(const std::string& text, const std::string& what) {
  int n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

int count_lines(const std::string& s) {
  return static_cast<int>(std::count(s.begin(), s.end(), '\n'));
}

struct CycleLogTest : ::testing::Test {
  std::ostringstream out;
  log::Logger logger{log::Level::kInfo, log::Format::kLogfmt, out};
  CycleLog cycles{logger};
  NamedCollector c;
};

TEST_F(CycleLogTest, AFailureIsLoggedOncePerErrorCode) {
  for (int i = 0; i < 5; ++i) cycles.record(c, failed("InternalError"), 0.1);
  EXPECT_EQ(count_lines(out.str()), 1) << out.str();
  EXPECT_NE(out.str().find("level=warn msg=\"collector failed; serving the last good data\" "
                           "collector=members"),
            std::string::npos)
      << out.str();
  cycles.record(c, failed("ServiceUnavailable"), 0.1);
  EXPECT_EQ(count_lines(out.str()), 2) << out.str();
}

TEST_F(CycleLogTest, AnAuthFailureIsAnErrorThatNamesTheCredentials) {
  cycles.record(c, failed("AuthFailure.SecretIdNotFound"), 0.1);
  cycles.record(c, failed("AuthFailure.SecretIdNotFound"), 0.1);
  EXPECT_EQ(count(out.str(), "level=error msg=\"collector failed: check the credentials"), 1)
      << out.str();
}

TEST_F(CycleLogTest, SuccessIsLoggedOnceThenAgainOnlyAfterAFailure) {
  cycles.record(c, ok(), 0.1);
  cycles.record(c, ok(), 0.1);
  EXPECT_EQ(count(out.str(), "msg=\"collector succeeded\""), 1) << out.str();
  cycles.record(c, failed("InternalError"), 0.1);
  cycles.record(c, ok(), 0.1);
  cycles.record(c, ok(), 0.1);
  EXPECT_EQ(count(out.str(), "level=info msg=\"collector succeeded\" collector=members"), 2)
      << out.str();
  EXPECT_EQ(count_lines(out.str()), 3) << out.str();
}

TEST_F(CycleLogTest, ACycleCutShortByShutdownLogsNothing) {
  CycleResult stopped{nullptr, api::stopped_error()};
  cycles.record(c, stopped, 0.1);
  EXPECT_EQ(out.str(), "");
  cycles.record(c, failed("InternalError"), 0.1);
  cycles.record(c, stopped, 0.1);
  cycles.record(c, failed("InternalError"), 0.1);  // the stop did not count as a change
  EXPECT_EQ(count_lines(out.str()), 1) << out.str();
}

TEST(CycleLog, EveryCycleIsLoggedAtDebugLevel) {
  std::ostringstream out;
  const log::Logger logger(log::Level::kDebug, log::Format::kLogfmt, out);
  CycleLog cycles(logger);
  NamedCollector c;
  cycles.record(c, ok(), 0.5);
  cycles.record(c, ok(), 0.5);
  cycles.record(c, failed("InternalError"), 0.5);
  cycles.record(c, failed("InternalError"), 0.5);
  EXPECT_EQ(count(out.str(), "level=debug msg=\"collection cycle done\" collector=members"), 2)
      << out.str();
  EXPECT_EQ(count(out.str(), "level=debug msg=\"collection cycle failed\" collector=members"), 2)
      << out.str();
}

}  // namespace
}  // namespace tcorg::collectors
