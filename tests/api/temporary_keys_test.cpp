// The STS and metadata clients against the simulator: the keys they are issued work for the
// Organization API until the simulator lets them expire, and a failing issuer is an error value.

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "exporter/api/client.h"
#include "exporter/api/metadata_client.h"
#include "exporter/api/sts_client.h"
#include "simulator/simulator.h"

namespace tcorg::api {
namespace {

using namespace std::chrono_literals;

sim::Options sim_options() {
  sim::Options o;
  o.org.members = 3;
  o.org.nodes = 2;
  o.org.invitations = 2;
  o.cvm_role = "org-reader";
  return o;
}

Result<NodeList> list_nodes_with(const sim::Simulator& sim, const Credentials& keys) {
  ClientOptions o;
  o.endpoint = sim.endpoint();
  o.endpoint_explicit = true;
  o.credentials = [keys] { return keys; };
  o.timeout = 5000ms;
  return Client(o).list_nodes();
}

StsClient sts_for(const sim::Simulator& sim) {
  StsOptions o;
  o.endpoint = sim.endpoint();
  o.endpoint_explicit = true;
  o.timeout = 5000ms;
  return StsClient(o);
}

TEST(TemporaryKeys, MetadataRoleKeysCallTheOrganizationApi) {
  sim::Simulator sim(sim_options());
  sim.start();
  MetadataClient metadata({sim.endpoint(), 5000ms, nullptr});
  const auto role = metadata.role_name();
  ASSERT_TRUE(role.ok()) << role.error().to_string();
  EXPECT_EQ(*role, "org-reader");
  const auto issued = metadata.role_credentials(*role);
  ASSERT_TRUE(issued.ok()) << issued.error().to_string();
  EXPECT_FALSE(issued->keys.token.empty());
  const auto nodes = list_nodes_with(sim, issued->keys);
  ASSERT_TRUE(nodes.ok()) << nodes.error().to_string();
  EXPECT_EQ(nodes->nodes.size(), 2u);
  EXPECT_EQ(sim.stats().issued.at("metadata"), 1u);
}

TEST(TemporaryKeys, AssumedRoleKeysWorkUntilTheyExpire) {
  auto options = sim_options();
  options.temporary_key_lifetime_seconds = 2;
  sim::Simulator sim(options);
  sim.start();
  auto sts = sts_for(sim);
  const Credentials permanent{options.secret_id, options.secret_key, ""};
  const auto issued =
      sts.assume_role(permanent, kDefaultStsRegion, {options.role_arn, "test-session", 900});
  ASSERT_TRUE(issued.ok()) << issued.error().to_string();
  ASSERT_TRUE(list_nodes_with(sim, issued->keys).ok());

  // Wait by condition: expired once the simulator refuses them, within a generous bound.
  Result<NodeList> after = list_nodes_with(sim, issued->keys);
  for (int i = 0; i < 100 && after.ok(); ++i) {
    std::this_thread::sleep_for(100ms);
    after = list_nodes_with(sim, issued->keys);
  }
  ASSERT_FALSE(after.ok()) << "issued keys still accepted 10 s after a 2 s lifetime";
  EXPECT_TRUE(after.error().is_auth()) << after.error().to_string();
  EXPECT_EQ(after.error().to_string().find(issued->keys.token), std::string::npos);
}

TEST(TemporaryKeys, WebIdentityNeedsTheCurrentTokenAndFailuresAreValues) {
  const auto options = sim_options();
  sim::Simulator sim(options);
  sim.start();
  auto sts = sts_for(sim);
  const RoleSession session{options.role_arn, "oidc-session", 900};
  const auto good = sts.assume_role_with_web_identity("ap-guangzhou", options.oidc_provider_id,
                                                      options.web_identity_token, session);
  ASSERT_TRUE(good.ok()) << good.error().to_string();
  EXPECT_TRUE(list_nodes_with(sim, good->keys).ok());

  sim.set_web_identity_token("rotated-token");
  const auto stale = sts.assume_role_with_web_identity("ap-guangzhou", options.oidc_provider_id,
                                                       options.web_identity_token, session);
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().code, "InvalidParameter.WebIdentityTokenError");
  EXPECT_EQ(stale.error().to_string().find(options.web_identity_token), std::string::npos);

  sim::Faults faults;
  faults.credentials_fail = true;
  sim.set_faults(faults);
  const auto failing = sts.assume_role_with_web_identity("ap-guangzhou", options.oidc_provider_id,
                                                         "rotated-token", session);
  ASSERT_FALSE(failing.ok());
  EXPECT_EQ(failing.error().code, "InternalError");
  MetadataClient metadata({sim.endpoint(), 5000ms, nullptr});
  const auto down = metadata.role_credentials("org-reader");
  ASSERT_FALSE(down.ok());
  EXPECT_EQ(down.error().http_status, 500);
}

}  // namespace
}  // namespace tcorg::api
