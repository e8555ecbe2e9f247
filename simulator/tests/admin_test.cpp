// /_sim/* endpoints: read stats and ground truth, change faults, limit and credentials.

#include <gtest/gtest.h>

#include "simulator/tests/signed_call.h"

namespace tcorg::sim {
namespace {

using testing::Call;

class AdminTest : public ::testing::Test {
 protected:
  nlohmann::json get(const std::string& path) {
    const auto res = client_.Get(path.c_str());
    EXPECT_TRUE(res);
    EXPECT_EQ(res->status, 200);
    return nlohmann::json::parse(res->body);
  }
  int put(const std::string& path, const std::string& body) {
    const auto res = client_.Put(path.c_str(), body, "application/json");
    return res ? res->status : 0;
  }
  std::string api_code(const Call& c = {}) { return testing::send(client_, simulator_, c).code(); }

  Simulator simulator_{testing::small_options()};
  int port_ = simulator_.start();
  httplib::Client client_ = testing::client_for(simulator_);
};

TEST_F(AdminTest, StatsAndReset) {
  api_code();
  const auto stats = get("/_sim/stats");
  EXPECT_EQ(stats.at("requests"), 1);
  EXPECT_EQ(stats.at("actions").at("ListOrganizationNodes").at("accepted"), 1);
  EXPECT_EQ(client_.Post("/_sim/reset-stats")->status, 200);
  EXPECT_EQ(get("/_sim/stats").at("requests"), 0);
}

TEST_F(AdminTest, OrganizationGroundTruth) {
  const auto org = get("/_sim/org");
  EXPECT_EQ(org.at("members").size(), 30u);
  EXPECT_EQ(org.at("received").size() + org.at("sent").size(), 30u);
  EXPECT_TRUE(org.at("sent").at(0).at("expire_time").is_number_integer());
  EXPECT_EQ(org.at("nodes").at(0).at("parent_node_id"), 0);
}

TEST_F(AdminTest, FaultsMerge) {
  EXPECT_EQ(put("/_sim/faults", R"({"internal_error": 1})"), 200);
  EXPECT_EQ(put("/_sim/faults", R"({"latency_ms": 1})"), 200);  // keeps internal_error
  EXPECT_EQ(api_code(), "InternalError");
  EXPECT_EQ(get("/_sim/faults").at("latency_ms"), 1.0);
  EXPECT_EQ(put("/_sim/faults", R"({"internal_error": 0})"), 200);
  EXPECT_EQ(api_code(), "");
  EXPECT_EQ(put("/_sim/faults", R"({"nonsense": 1})"), 400);
  EXPECT_EQ(put("/_sim/faults", R"({"hang": 2})"), 400);
  EXPECT_EQ(put("/_sim/faults", "not json"), 400);
}

TEST_F(AdminTest, RateLimit) {
  EXPECT_EQ(put("/_sim/rate-limit", R"({"per_second": 1})"), 200);
  EXPECT_EQ(api_code(), "");
  EXPECT_EQ(api_code(), "RequestLimitExceeded");
  EXPECT_EQ(put("/_sim/rate-limit", R"({"per_second": "x"})"), 400);
}

TEST_F(AdminTest, Credentials) {
  EXPECT_EQ(put("/_sim/credentials", R"({"secret_id": "AKIDnew", "secret_key": "new-key"})"), 200);
  EXPECT_EQ(api_code(), "AuthFailure.SecretIdNotFound");
  Call c;
  c.secret_id = "AKIDnew";
  c.secret_key = "new-key";
  EXPECT_EQ(api_code(c), "");
  const auto res =
      client_.Put("/_sim/credentials", R"({"secret_id": "AKIDnew"})", "application/json");
  EXPECT_EQ(res->status, 400);
  EXPECT_EQ(res->body.find("new-key"), std::string::npos);
}

}  // namespace
}  // namespace tcorg::sim
