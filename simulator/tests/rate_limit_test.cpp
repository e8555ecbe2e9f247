// The per-action limit, end to end: strict at the window, never hit by a pacing client.

#include <gtest/gtest.h>

#include <thread>

#include "simulator/tests/signed_call.h"

namespace tcorg::sim {
namespace {

using testing::Call;

class RateLimitTest : public ::testing::Test {
 protected:
  // Counts answers by code ("" for success).
  std::map<std::string, int> burst(const Call& c, int n) {
    std::map<std::string, int> codes;
    for (int i = 0; i < n; ++i) ++codes[testing::send(client_, simulator_, c).code()];
    return codes;
  }

  Simulator simulator_{testing::small_options()};
  int port_ = simulator_.start();
  httplib::Client client_ = testing::client_for(simulator_);
};

TEST_F(RateLimitTest, BurstOfThirtyAdmitsExactlyTwenty) {
  Call c;
  c.action = "ListOrganizationInvitations";
  c.body = R"({"Invited":1})";
  const auto codes = burst(c, 30);
  EXPECT_EQ(codes.at(""), 20);
  EXPECT_EQ(codes.at("RequestLimitExceeded"), 10);
  EXPECT_EQ(codes.size(), 2u);

  // Other actions have their own quota.
  EXPECT_EQ(burst(Call{}, 1).count(""), 1u);
  Call members;
  members.action = "ListOrganizationMembers";
  EXPECT_EQ(burst(members, 1).count(""), 1u);

  const Stats stats = simulator_.stats();
  EXPECT_EQ(stats.actions.at("ListOrganizationInvitations").accepted, 20u);
  EXPECT_EQ(stats.actions.at("ListOrganizationInvitations").throttled, 10u);
  EXPECT_EQ(stats.actions.at("ListOrganizationNodes").throttled, 0u);
  EXPECT_EQ(stats.errors.at("RequestLimitExceeded"), 10u);
}

TEST_F(RateLimitTest, ConcurrentBurstAdmitsExactlyTwenty) {
  std::atomic<int> ok{0}, throttled{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      auto client = testing::client_for(simulator_);
      for (int i = 0; i < 10; ++i) {
        const auto code = testing::send(client, simulator_, Call{}).code();
        ++(code.empty() ? ok : throttled);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok, 20);
  EXPECT_EQ(throttled, 20);
}

TEST_F(RateLimitTest, PacingClientIsNeverThrottled) {
  // 1/19 s apart for 2 s: at most 19-20 in any second, under the limit of 20.
  const auto start = std::chrono::steady_clock::now();
  int sent = 0;
  while (std::chrono::steady_clock::now() - start < std::chrono::seconds(2)) {
    EXPECT_EQ(testing::send(client_, simulator_, Call{}).code(), "");
    ++sent;
    std::this_thread::sleep_for(std::chrono::microseconds(1000000 / 19));
  }
  EXPECT_GE(sent, 30);
  EXPECT_EQ(simulator_.stats().actions.at("ListOrganizationNodes").throttled, 0u);
}

TEST_F(RateLimitTest, QuotaReturnsAfterOneSecond) {
  EXPECT_EQ(burst(Call{}, 21).at("RequestLimitExceeded"), 1);
  std::this_thread::sleep_for(std::chrono::milliseconds(1010));
  EXPECT_EQ(burst(Call{}, 20).at(""), 20);
}

TEST_F(RateLimitTest, RejectedAuthDoesNotUseQuota) {
  Call bad;
  bad.secret_key = "wrong";
  EXPECT_EQ(burst(bad, 25).at("AuthFailure.SignatureFailure"), 25);
  EXPECT_EQ(burst(Call{}, 20).at(""), 20);
}

TEST_F(RateLimitTest, LimitCanBeChanged) {
  simulator_.set_rate_limit(5);
  auto codes = burst(Call{}, 8);
  EXPECT_EQ(codes.at(""), 5);
  EXPECT_EQ(codes.at("RequestLimitExceeded"), 3);
  simulator_.set_rate_limit(-1);
  EXPECT_EQ(burst(Call{}, 50).at(""), 50);
}

}  // namespace
}  // namespace tcorg::sim
