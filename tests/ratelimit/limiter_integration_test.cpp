// Real time, real threads: a member sweep through RateLimitedApi with 8 calls in flight against
// an inner Api that takes 100-300 ms per call and throttles like the cloud (strict sliding
// one-second window at arrival). The limiter, not the latency, must bound throughput: >= 95% of
// R, and not one call throttled. Takes about 3.3 s.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <numeric>
#include <random>
#include <thread>
#include <vector>

#include "exporter/common/concurrently.h"
#include "exporter/ratelimit/rate_limited_api.h"
#include "tests/ratelimit/scripted_api.h"
#include "tests/ratelimit/send_times.h"

namespace tcorg::ratelimit {
namespace {

using namespace std::chrono_literals;

// GetOrganizationMember with latency, rejecting a call when R calls already arrived in the
// closed second before it (what the simulator enforces).
class SlowStrictApi final : public api::Api {
 public:
  explicit SlowStrictApi(double rate) : rate_(static_cast<std::size_t>(rate)) {}

  api::Result<api::MemberDetail> get_member(std::int64_t uin) override {
    std::chrono::milliseconds latency;
    {
      std::lock_guard lock(mutex_);
      const auto now = std::chrono::steady_clock::now();
      std::size_t recent = 0;
      for (auto t : accepted_) recent += (now - t <= 1s) ? 1 : 0;
      if (recent >= rate_) {
        ++throttled_;
        return testing::api_error("RequestLimitExceeded");
      }
      accepted_.push_back(now);
      latency = std::chrono::milliseconds(std::uniform_int_distribution<int>(100, 300)(rng_));
    }
    std::this_thread::sleep_for(latency);
    api::MemberDetail member;
    member.uin = uin;
    return member;
  }
  api::Result<api::InvitationPage> list_invitations(api::Direction, std::int64_t,
                                                    std::int64_t) override {
    return api::InvitationPage{};
  }
  api::Result<api::MemberPage> list_members(std::int64_t, std::int64_t) override {
    return api::MemberPage{};
  }
  api::Result<api::NodeList> list_nodes() override { return api::NodeList{}; }

  testing::TimePoints accepted() const {
    std::lock_guard lock(mutex_);
    return accepted_;
  }
  int throttled() const {
    std::lock_guard lock(mutex_);
    return throttled_;
  }

 private:
  const std::size_t rate_;
  mutable std::mutex mutex_;
  std::mt19937 rng_{7};
  testing::TimePoints accepted_;
  int throttled_ = 0;
};

TEST(LimiterIntegration, MemberSweepReachesRateWithoutThrottling) {
  constexpr double kRate = 20;
  SteadyClock clock;
  LimiterSet limiters({.requests_per_second = kRate}, clock);
  SlowStrictApi inner(kRate);
  std::stop_source stop;
  RateLimitedApi api(inner, limiters, RetryPolicy{}, stop.get_token());

  std::vector<std::int64_t> uins(60);
  std::iota(uins.begin(), uins.end(), 100000);
  std::atomic<int> ok{0};
  for_each_concurrently(
      uins, 8, [&](std::int64_t uin) { ok += api.get_member(uin).ok() ? 1 : 0; }, stop.get_token());

  const testing::TimePoints sends = inner.accepted();
  const double rate = testing::achieved_rate(sends);
  RecordProperty("achieved_rate", std::to_string(rate));
  RecordProperty("max_in_window", testing::max_in_window(sends));
  const double span = testing::min_span_seconds(sends, static_cast<std::size_t>(kRate) + 1);
  std::printf(
      "achieved %.2f calls/s (%.1f%% of %g), max in any 1 s window %d, shortest span of R+1 "
      "arrivals %.4f s, throttled %d\n",
      rate, 100 * rate / kRate, kRate, testing::max_in_window(sends), span, inner.throttled());

  EXPECT_EQ(ok.load(), 60);
  EXPECT_EQ(inner.throttled(), 0);
  EXPECT_LE(testing::max_in_window(sends), static_cast<int>(kRate));
  EXPECT_GT(span, 1.0);
  EXPECT_GE(rate, 0.95 * kRate);
}

}  // namespace
}  // namespace tcorg::ratelimit
