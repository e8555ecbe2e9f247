#include "exporter/ratelimit/limiter_set.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "exporter/api/api.h"
#include "tests/ratelimit/fake_clock.h"

namespace tcorg::ratelimit {
namespace {

TEST(LimiterSet, OneIndependentLimiterPerAction) {
  FakeClock clock;
  LimiterSet set({.requests_per_second = 20}, clock);
  std::set<std::string> seen;
  set.for_each([&](std::string_view action, const Limiter& limiter) {
    seen.emplace(action);
    EXPECT_EQ(limiter.max_rate(), 20);
  });
  EXPECT_EQ(seen.size(), std::size(api::action::kAll));

  set.get(api::action::kGetOrganizationMember).on_throttled();
  EXPECT_EQ(set.get(api::action::kGetOrganizationMember).effective_rate(), 10);
  EXPECT_EQ(set.get(api::action::kListOrganizationMembers).effective_rate(), 20);
  EXPECT_EQ(&set.clock(), &clock);
}

TEST(LimiterSet, UnknownActionIsAProgrammerError) {
  FakeClock clock;
  LimiterSet set({}, clock);
  EXPECT_THROW(set.get("DescribeInstances"), std::out_of_range);
}

}  // namespace
}  // namespace tcorg::ratelimit
