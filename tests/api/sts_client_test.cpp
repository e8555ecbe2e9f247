// StsClient and MetadataClient on the wire, against small loopback servers: what is sent (signed
// for service sts, or unsigned), what is decoded, and that no secret reaches an error.

#include "exporter/api/sts_client.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "exporter/api/decode.h"
#include "exporter/api/metadata_client.h"
#include "tc3/signer.h"
#include "test_server.h"

namespace tcorg::api {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using testing::TestServer;

constexpr std::int64_t kNow = 1700000000;
const Credentials kCaller{"AKIDcallerEXAMPLE", "caller-secret-key-EXAMPLE", "caller-token-X"};
const RoleSession kSession{"qcs::cam::uin/100000000001:roleName/org-reader", "exporter-test", 900};

std::string header(const testing::Captured& c, const std::string& name) {
  const auto it = c.headers.find(name);
  return it == c.headers.end() ? "<absent>" : it->second;
}

std::string issued_answer() {
  return json{{"Response",
               {{"Credentials",
                 {{"Token", "issued-token"},
                  {"TmpSecretId", "AKIDissued"},
                  {"TmpSecretKey", "issued-secret"}}},
                {"ExpiredTime", kNow + 900},
                {"Expiration", "2023-11-14T22:28:20Z"},
                {"RequestId", "req-1"}}}}
      .dump();
}

StsOptions sts_options(const TestServer& server) {
  StsOptions o;
  o.endpoint = server.endpoint();
  o.endpoint_explicit = true;
  o.clock = [] { return kNow; };
  o.timeout = 2000ms;
  return o;
}

TEST(StsClient, AssumeRoleIsSignedForStsWithTheCallersToken) {
  TestServer server([](const httplib::Request&, httplib::Response& res) {
    res.set_content(issued_answer(), "application/json");
  });
  StsClient sts(sts_options(server));
  const auto issued = sts.assume_role(kCaller, "ap-guangzhou", kSession);
  ASSERT_TRUE(issued.ok()) << issued.error().to_string();
  EXPECT_EQ(issued->keys, (Credentials{"AKIDissued", "issued-secret", "issued-token"}));
  EXPECT_EQ(issued->expires_at, kNow + 900);

  const auto sent = server.requests().at(0);
  EXPECT_EQ(header(sent, "X-TC-Action"), "AssumeRole");
  EXPECT_EQ(header(sent, "X-TC-Version"), "2018-08-13");
  EXPECT_EQ(header(sent, "X-TC-Region"), "ap-guangzhou");
  EXPECT_EQ(header(sent, "X-TC-Token"), "caller-token-X");
  EXPECT_EQ(json::parse(sent.body), (json{{"RoleArn", kSession.role_arn},
                                          {"RoleSessionName", "exporter-test"},
                                          {"DurationSeconds", 900}}));
  tc3::Request req;
  req.host = header(sent, "Host");
  req.payload = sent.body;
  req.timestamp = kNow;
  req.service = "sts";
  EXPECT_EQ(header(sent, "Authorization"),
            tc3::sign(req, kCaller.secret_id, kCaller.secret_key).authorization);
}

TEST(StsClient, WebIdentityIsUnsignedAndItsTokenNeverInAnError) {
  const std::string token = "eyJweb-identity-token-SECRET";
  TestServer server([&](const httplib::Request& r, httplib::Response& res) {
    // A server that echoes the body into its error message.
    res.set_content(json{{"Response",
                          {{"Error",
                            {{"Code", "InvalidParameter.WebIdentityTokenError"},
                             {"Message", "bad token in " + r.body}}},
                           {"RequestId", "req-2"}}}}
                        .dump(),
                    "application/json");
  });
  StsClient sts(sts_options(server));
  const auto issued =
      sts.assume_role_with_web_identity("ap-shanghai", "tke-provider", token, kSession);
  ASSERT_FALSE(issued.ok());
  EXPECT_EQ(issued.error().code, "InvalidParameter.WebIdentityTokenError");
  EXPECT_EQ(issued.error().to_string().find(token), std::string::npos);
  EXPECT_NE(issued.error().message.find("<redacted>"), std::string::npos);

  const auto sent = server.requests().at(0);
  EXPECT_EQ(header(sent, "Authorization"), "SKIP");
  EXPECT_EQ(header(sent, "X-TC-Action"), "AssumeRoleWithWebIdentity");
  EXPECT_EQ(header(sent, "X-TC-Region"), "ap-shanghai");
  EXPECT_EQ(header(sent, "X-TC-Token"), "<absent>");
  const json body = json::parse(sent.body);
  EXPECT_EQ(body["ProviderId"], "tke-provider");
  EXPECT_EQ(body["WebIdentityToken"], token);
  EXPECT_EQ(body["RoleArn"], kSession.role_arn);
}

TEST(StsClient, PlainHttpOnlyWhenExplicitAndErrorsNameTheFlag) {
  StsOptions o;
  o.endpoint = "http://127.0.0.1:1";
  try {
    StsClient sts(o);
    FAIL() << "accepted a plain http endpoint that was not given explicitly";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("--tencentcloud.sts-endpoint"), std::string::npos);
  }
}

TEST(DecodeIssued, StsNeedsEveryFieldNonEmpty) {
  EXPECT_TRUE(decode_sts_credentials(issued_answer()).ok());
  json doc = json::parse(issued_answer());
  doc["Response"]["Credentials"]["Token"] = "";
  auto r = decode_sts_credentials(doc.dump());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "Response.Credentials.Token: must not be empty");
  doc = json::parse(issued_answer());
  doc["Response"].erase("ExpiredTime");
  r = decode_sts_credentials(doc.dump());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "Response.ExpiredTime: missing");
  doc["Response"].erase("Credentials");
  doc["Response"]["ExpiredTime"] = kNow;
  r = decode_sts_credentials(doc.dump());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "Response.Credentials: missing");
}

TEST(DecodeIssued, MetadataNeedsCodeSuccess) {
  const json good = {{"TmpSecretId", "AKIDm"}, {"TmpSecretKey", "k"}, {"Token", "t"},
                     {"ExpiredTime", kNow},    {"Expiration", "x"},   {"Code", "Success"}};
  const auto ok = decode_metadata_credentials(good.dump());
  ASSERT_TRUE(ok.ok()) << ok.error().to_string();
  EXPECT_EQ(ok->keys.secret_id, "AKIDm");
  json bad = good;
  bad["Code"] = "Failed";
  const auto r = decode_metadata_credentials(bad.dump());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kApi);
  EXPECT_EQ(r.error().code, "Failed");
  EXPECT_FALSE(decode_metadata_credentials("<html>").ok());
}

// Instance metadata: GETs on a loopback httplib server.
class MetadataServer {
 public:
  explicit MetadataServer(std::string role) : role_(std::move(role)) {
    server_.Get("/latest/meta-data/cam/security-credentials/",
                [this](const httplib::Request&, httplib::Response& res) {
                  if (role_.empty()) {
                    res.status = 404;
                  } else {
                    res.set_content(role_ + "\n", "text/plain");
                  }
                });
    server_.Get(R"(/latest/meta-data/cam/security-credentials/(.+))",
                [this](const httplib::Request& req, httplib::Response& res) {
                  if (req.matches[1] != role_) {
                    res.status = 404;
                    return;
                  }
                  res.set_content(json{{"TmpSecretId", "AKIDcvm"},
                                       {"TmpSecretKey", "cvm-secret"},
                                       {"Token", "cvm-token"},
                                       {"ExpiredTime", kNow + 3600},
                                       {"Expiration", "x"},
                                       {"Code", "Success"}}
                                      .dump(),
                                  "application/json");
                });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(1ms);
  }
  ~MetadataServer() {
    server_.stop();
    thread_.join();
  }
  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  std::string role_;
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
};

TEST(MetadataClient, DiscoversTheRoleAndItsKeys) {
  MetadataServer server("org-reader");
  MetadataClient client({server.endpoint(), 2000ms, nullptr});
  const auto role = client.role_name();
  ASSERT_TRUE(role.ok()) << role.error().to_string();
  EXPECT_EQ(*role, "org-reader");
  const auto keys = client.role_credentials(*role);
  ASSERT_TRUE(keys.ok()) << keys.error().to_string();
  EXPECT_EQ(keys->keys, (Credentials{"AKIDcvm", "cvm-secret", "cvm-token"}));
  EXPECT_EQ(keys->expires_at, kNow + 3600);
}

TEST(MetadataClient, NoRoleIs404AndAWrongRoleNamesIt) {
  MetadataServer none("");
  MetadataClient client({none.endpoint(), 2000ms, nullptr});
  const auto role = client.role_name();
  ASSERT_FALSE(role.ok());
  EXPECT_EQ(role.error().http_status, 404);

  MetadataServer bound("org-reader");
  MetadataClient other({bound.endpoint(), 2000ms, nullptr});
  const auto keys = other.role_credentials("someone-else");
  ASSERT_FALSE(keys.ok());
  EXPECT_EQ(keys.error().http_status, 404);
  EXPECT_NE(keys.error().message.find("someone-else"), std::string::npos);
  // A name that could leave the path is refused before anything is sent.
  EXPECT_FALSE(other.role_credentials("../../user-data").ok());
  EXPECT_FALSE(is_valid_role_name("a/b"));
  EXPECT_TRUE(is_valid_role_name("Org_Reader-1.x@y"));
}

}  // namespace
}  // namespace tcorg::api
