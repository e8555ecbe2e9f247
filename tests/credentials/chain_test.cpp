// The chain's order and each source, against the simulator's metadata service and STS: which
// source wins, that its keys call the Organization API, that temporary keys stay valid across
// several lifetimes (rotating web identity token included), and clear errors for bad input.

#include "exporter/credentials/chain.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <thread>

#include "exporter/api/client.h"
#include "simulator/simulator.h"

namespace tcorg::credentials {
namespace {

using namespace std::chrono_literals;

class ChainTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("tcorg-chain-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  void start_sim() {
    sim_options_.org.members = 2;
    sim_options_.org.nodes = 2;
    sim_options_.org.invitations = 2;
    sim_ = std::make_unique<sim::Simulator>(sim_options_);
    sim_->start();
  }

  ChainOptions options() {
    ChainOptions o;
    o.static_keys.env = [this](const char* name) -> const char* {
      const auto it = env_.find(name);
      return it == env_.end() ? nullptr : it->second.c_str();
    };
    o.static_keys.file = (dir_ / "absent").string();
    o.fallback_files = {};
    o.metadata_endpoint = sim_ ? sim_->endpoint() : "http://127.0.0.1:1";
    o.sts_endpoint = sim_ ? sim_->endpoint() : "http://127.0.0.1:1";
    o.sts_endpoint_explicit = true;
    o.timeout = 5s;
    o.min_backoff = 100ms;
    return o;
  }

  std::string write(const std::string& name, const std::string& text) {
    const auto path = dir_ / name;
    std::ofstream(path) << text;
    return path.string();
  }

  api::Result<api::NodeList> call_with(const Chain& chain) {
    api::ClientOptions o;
    o.endpoint = sim_->endpoint();
    o.endpoint_explicit = true;
    o.credentials = [&chain] { return chain.current(); };
    o.timeout = 5s;
    return api::Client(o).list_nodes();
  }

  std::filesystem::path dir_;
  std::map<std::string, std::string> env_;
  sim::Options sim_options_;
  std::unique_ptr<sim::Simulator> sim_;
};

TEST_F(ChainTest, EnvironmentWinsOverEverythingElse) {
  sim_options_.cvm_role = "org-reader";
  start_sim();
  env_ = {{"TENCENTCLOUD_SECRET_ID", sim_options_.secret_id},
          {"TENCENTCLOUD_SECRET_KEY", sim_options_.secret_key},
          {"TKE_REGION", "ap-guangzhou"}};
  auto o = options();
  o.static_keys.file = write("credentials", "[default]\nsecret_id = AKIDfile\nsecret_key = k\n");
  auto chain = open_chain(o);
  ASSERT_TRUE(chain.ok()) << chain.error();
  EXPECT_EQ(chain.value()->source(), "environment");
  EXPECT_EQ(chain.value()->expires_at(), 0);
  EXPECT_TRUE(call_with(*chain.value()).ok());
  EXPECT_EQ(sim_->stats().metadata_requests, 0u);
}

TEST_F(ChainTest, FileThenTheSystemWideFallback) {
  start_sim();
  auto o = options();
  o.fallback_files = {write("etc-credentials", "[default]\nsecret_id = " + sim_options_.secret_id +
                                                   "\nsecret_key = " + sim_options_.secret_key +
                                                   "\n")};
  auto chain = open_chain(o);
  ASSERT_TRUE(chain.ok()) << chain.error();
  EXPECT_EQ(chain.value()->source(), "file");
  EXPECT_EQ(chain.value()->origin(), o.fallback_files[0]);
  EXPECT_TRUE(call_with(*chain.value()).ok());
}

TEST_F(ChainTest, TkeOidcKeysStayValidAcrossLifetimesWhileTheTokenRotates) {
  sim_options_.temporary_key_lifetime_seconds = 2;
  start_sim();
  const std::string token_file = write("token", sim_options_.web_identity_token + "\n");
  env_ = {{"TKE_REGION", "ap-guangzhou"},
          {"TKE_PROVIDER_ID", sim_options_.oidc_provider_id},
          {"TKE_WEB_IDENTITY_TOKEN_FILE", token_file},
          {"TKE_ROLE_ARN", sim_options_.role_arn}};
  auto chain = open_chain(options());
  ASSERT_TRUE(chain.ok()) << chain.error();
  EXPECT_EQ(chain.value()->source(), "tke_oidc");
  EXPECT_GT(chain.value()->expires_at(), 0);

  int failures = 0;
  const auto end = std::chrono::steady_clock::now() + 7s;
  bool rotated = false;
  while (std::chrono::steady_clock::now() < end) {
    if (!rotated && std::chrono::steady_clock::now() > end - 4s) {
      // The file rotates first, then the issuer accepts only the new token.
      write("token", "rotated-token");
      sim_->set_web_identity_token("rotated-token");
      rotated = true;
    }
    const auto r = call_with(*chain.value());
    if (!r.ok()) {
      ++failures;
      ADD_FAILURE() << r.error().to_string();
    }
    std::this_thread::sleep_for(100ms);
  }
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(sim_->stats().auth_failures, 0u);
  EXPECT_GE(sim_->stats().issued.at("AssumeRoleWithWebIdentity"), 3u);
}

TEST_F(ChainTest, TkeOidcErrorsNameWhatIsWrong) {
  start_sim();
  env_ = {{"TKE_REGION", "ap-guangzhou"}, {"TKE_PROVIDER_ID", "p"}};
  auto partial = open_chain(options());
  ASSERT_FALSE(partial.ok());
  EXPECT_NE(partial.error().find("TKE_WEB_IDENTITY_TOKEN_FILE"), std::string::npos);

  env_["TKE_ROLE_ARN"] = sim_options_.role_arn;
  env_["TKE_WEB_IDENTITY_TOKEN_FILE"] = (dir_ / "no-token").string();
  auto missing = open_chain(options());
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().find("no-token: cannot be read"), std::string::npos) << missing.error();

  env_["TKE_WEB_IDENTITY_TOKEN_FILE"] = write("empty-token", " \n");
  auto empty = open_chain(options());
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.error().find("is empty"), std::string::npos) << empty.error();

  env_["TKE_ROLE_ARN"] = "arn:aws:iam::1:role/x";
  auto bad_arn = open_chain(options());
  ASSERT_FALSE(bad_arn.ok());
  EXPECT_NE(bad_arn.error().find("TKE_ROLE_ARN"), std::string::npos);
}

TEST_F(ChainTest, CvmRoleFromMetadataAndNoRoleIsTheClearError) {
  sim_options_.cvm_role = "org-reader";
  start_sim();
  auto chain = open_chain(options());
  ASSERT_TRUE(chain.ok()) << chain.error();
  EXPECT_EQ(chain.value()->source(), "cvm_role");
  // The startup log names the discovered role, not only where it came from.
  EXPECT_EQ(chain.value()->origin(), "CAM role org-reader (instance metadata)");
  EXPECT_TRUE(call_with(*chain.value()).ok());

  sim_options_.cvm_role = "";
  start_sim();
  auto none = open_chain(options());
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.error().find("no Tencent Cloud credentials"), std::string::npos) << none.error();
  EXPECT_NE(none.error().find("no CAM role is bound"), std::string::npos) << none.error();
}

// What main tells apart by exit status: nothing configured here (3) from a broken source (2).
TEST_F(ChainTest, LocalSourceIsAnythingButTheInstanceMetadata) {
  EXPECT_FALSE(has_local_source(options()));
  auto with_role_arn = options();
  with_role_arn.role_arn = "qcs::cam::uin/100000000001:roleName/org-reader";
  EXPECT_FALSE(has_local_source(with_role_arn)) << "an ARN alone has no keys to assume it with";

  auto fallback = options();
  fallback.fallback_files = {write("etc-credentials", "[default]\n")};
  EXPECT_TRUE(has_local_source(fallback));
  auto named = options();
  named.static_keys.file_explicit = true;  // missing, but named: a broken source
  EXPECT_TRUE(has_local_source(named));
  auto role = options();
  role.cvm_role = "org-reader";
  EXPECT_TRUE(has_local_source(role));
  for (const char* var : {"TENCENTCLOUD_SECRET_ID", "TENCENTCLOUD_SECRET_KEY", "TKE_REGION",
                          "TKE_WEB_IDENTITY_TOKEN_FILE"}) {
    env_ = {{var, "x"}};
    EXPECT_TRUE(has_local_source(options())) << var;
  }
}

TEST_F(ChainTest, RoleArnAssumesTheRoleWithTheChainsKeys) {
  sim_options_.refuse_permanent_keys = true;
  start_sim();
  env_ = {{"TENCENTCLOUD_SECRET_ID", sim_options_.secret_id},
          {"TENCENTCLOUD_SECRET_KEY", sim_options_.secret_key}};
  auto o = options();
  o.role_arn = sim_options_.role_arn;
  auto chain = open_chain(o);
  ASSERT_TRUE(chain.ok()) << chain.error();
  EXPECT_EQ(chain.value()->source(), "assume_role");
  EXPECT_NE(chain.value()->origin().find("as environment"), std::string::npos);
  EXPECT_NE(chain.value()->current().secret_id, sim_options_.secret_id);
  EXPECT_TRUE(call_with(*chain.value()).ok());
  EXPECT_EQ(sim_->stats().issued.at("AssumeRole"), 1u);

  o.role_arn = "qcs::cam::uin/abc:roleName/x";
  auto bad = open_chain(o);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().find("--tencentcloud.role-arn"), std::string::npos);
}

TEST_F(ChainTest, StsErrorNamesTheCodeButNoSecret) {
  start_sim();
  env_ = {{"TENCENTCLOUD_SECRET_ID", sim_options_.secret_id},
          {"TENCENTCLOUD_SECRET_KEY", sim_options_.secret_key}};
  auto o = options();
  o.role_arn = "qcs::cam::uin/100000000001:roleName/not-this-one";
  auto chain = open_chain(o);
  ASSERT_FALSE(chain.ok());
  EXPECT_NE(chain.error().find("ResourceNotFound.RoleNotExist"), std::string::npos)
      << chain.error();
  EXPECT_EQ(chain.error().find(sim_options_.secret_key), std::string::npos);
}

}  // namespace
}  // namespace tcorg::credentials
