#include "exporter/log/change_logger.h"

#include <gtest/gtest.h>

#include <sstream>

namespace tcorg::log {
namespace {

int count_lines(const std::string& s) {
  return static_cast<int>(std::count(s.begin(), s.end(), '\n'));
}

TEST(ChangeLogger, LogsOnlyWhenTheStateChanges) {
  std::ostringstream out;
  ChangeLogger changes(Logger(Level::kInfo, Format::kLogfmt, out));
  EXPECT_TRUE(changes.log_if_changed("members", "AuthFailure.SecretIdNotFound", Level::kError,
                                     "auth failed", {{"collector", "members"}}));
  for (int i = 0; i < 5; ++i) {
    EXPECT_FALSE(changes.log_if_changed("members", "AuthFailure.SecretIdNotFound", Level::kError,
                                        "auth failed"));
  }
  EXPECT_TRUE(changes.log_if_changed("members", "AuthFailure.SignatureFailure", Level::kError,
                                     "auth failed"));
  EXPECT_EQ(count_lines(out.str()), 2);
  EXPECT_NE(out.str().find("level=error msg=\"auth failed\" collector=members"), std::string::npos);
}

TEST(ChangeLogger, KeysAreIndependent) {
  std::ostringstream out;
  ChangeLogger changes(Logger(Level::kInfo, Format::kLogfmt, out));
  EXPECT_TRUE(changes.log_if_changed("a", "x", Level::kWarn, "m"));
  EXPECT_TRUE(changes.log_if_changed("b", "x", Level::kWarn, "m"));
  EXPECT_FALSE(changes.log_if_changed("a", "x", Level::kWarn, "m"));
  EXPECT_EQ(count_lines(out.str()), 2);
}

TEST(ChangeLogger, ResetMakesTheSameStateLogAgain) {
  std::ostringstream out;
  ChangeLogger changes(Logger(Level::kInfo, Format::kLogfmt, out));
  EXPECT_FALSE(changes.reset("a"));  // nothing recorded yet: nothing to report as recovered
  changes.log_if_changed("a", "x", Level::kWarn, "m");
  EXPECT_TRUE(changes.reset("a"));
  EXPECT_FALSE(changes.reset("a"));
  EXPECT_TRUE(changes.log_if_changed("a", "x", Level::kWarn, "m"));
  EXPECT_EQ(count_lines(out.str()), 2);
}

TEST(ChangeLogger, FilteredLevelStillRecordsTheState) {
  std::ostringstream out;
  ChangeLogger changes(Logger(Level::kError, Format::kLogfmt, out));
  EXPECT_TRUE(changes.log_if_changed("a", "x", Level::kDebug, "m"));
  EXPECT_FALSE(changes.log_if_changed("a", "x", Level::kDebug, "m"));
  EXPECT_EQ(out.str(), "");
}

}  // namespace
}  // namespace tcorg::log
