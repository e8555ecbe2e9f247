// Injected faults: each answer and its counter, and that only accepted calls get them.

#include "simulator/faults.h"

#include <gtest/gtest.h>

#include "simulator/tests/signed_call.h"

namespace tcorg::sim {
namespace {

using testing::Call;

class FaultsTest : public ::testing::Test {
 protected:
  testing::Reply call(const Call& c = {}) { return testing::send(client_, simulator_, c); }
  std::uint64_t errors(const std::string& label) {
    const auto stats = simulator_.stats();
    const auto it = stats.errors.find(label);
    return it == stats.errors.end() ? 0 : it->second;
  }

  Simulator simulator_{testing::small_options()};
  int port_ = simulator_.start();
  httplib::Client client_ = testing::client_for(simulator_);
};

TEST_F(FaultsTest, InternalError) {
  Faults f;
  f.internal_error = 1;
  simulator_.set_faults(f);
  const auto reply = call();
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.code(), "InternalError");
  EXPECT_EQ(errors("InternalError"), 1u);
  EXPECT_EQ(simulator_.stats().actions.at("ListOrganizationNodes").accepted, 1u);
}

TEST_F(FaultsTest, FailAll) {
  Faults f;
  f.fail_all = true;
  simulator_.set_faults(f);
  EXPECT_EQ(call().code(), "InternalError");
  EXPECT_EQ(call().code(), "InternalError");
  EXPECT_EQ(errors("InternalError"), 2u);
}

TEST_F(FaultsTest, Http500) {
  Faults f;
  f.http_500 = 1;
  simulator_.set_faults(f);
  const auto reply = call();
  EXPECT_EQ(reply.status, 500);
  EXPECT_TRUE(reply.json.is_null());
  EXPECT_EQ(errors("http_500"), 1u);
}

TEST_F(FaultsTest, MalformedBody) {
  Faults f;
  f.malformed = 1;
  simulator_.set_faults(f);
  const auto reply = call();
  EXPECT_EQ(reply.status, 200);
  EXPECT_FALSE(reply.body.empty());
  EXPECT_TRUE(reply.json.is_null());  // not JSON
  EXPECT_EQ(errors("decode"), 1u);
}

TEST_F(FaultsTest, HangEndsWithoutAnAnswer) {
  Faults f;
  f.hang = 1;
  f.hang_seconds = 0.2;
  simulator_.set_faults(f);
  const auto start = std::chrono::steady_clock::now();
  const auto reply = call();
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(200));
  EXPECT_EQ(reply.status, 0);  // the client got no complete answer
  EXPECT_EQ(errors("hang"), 1u);
}

TEST_F(FaultsTest, LatencyDelaysTheAnswer) {
  Faults f;
  f.latency_ms = 150;
  f.jitter_ms = 20;
  simulator_.set_faults(f);
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(call().code(), "");
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(150));
}

TEST_F(FaultsTest, RejectedCallsGetNoFault) {
  Faults f;
  f.fail_all = true;
  simulator_.set_faults(f);
  simulator_.set_rate_limit(1);
  Call bad;
  bad.secret_key = "wrong";
  EXPECT_EQ(call(bad).code(), "AuthFailure.SignatureFailure");
  EXPECT_EQ(call().code(), "InternalError");
  EXPECT_EQ(call().code(), "RequestLimitExceeded");
  EXPECT_EQ(errors("InternalError"), 1u);
}

TEST_F(FaultsTest, InvalidFaultsAreRejected) {
  Faults f;
  f.hang = 1.5;
  EXPECT_THROW(simulator_.set_faults(f), std::invalid_argument);
}

TEST(PlanFaults, JitterStaysInRange) {
  Random random(3);
  Faults f;
  f.latency_ms = 10;
  f.jitter_ms = 5;
  for (int i = 0; i < 1000; ++i) {
    const auto plan = plan_faults(f, random);
    EXPECT_EQ(plan.kind, FaultKind::kNone);
    EXPECT_GE(plan.delay, std::chrono::milliseconds(10));
    EXPECT_LE(plan.delay, std::chrono::milliseconds(15));
  }
}

TEST(PlanFaults, ProbabilityIsRoughlyHonoured) {
  Random random(4);
  Faults f;
  f.internal_error = 0.25;
  int hits = 0;
  for (int i = 0; i < 4000; ++i) hits += plan_faults(f, random).kind == FaultKind::kInternalError;
  EXPECT_NEAR(hits, 1000, 150);
}

}  // namespace
}  // namespace tcorg::sim
