// The Client's requests and error mapping, checked on the wire against small loopback servers
// (the simulator-based tests are in client_test.cpp).

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <future>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <thread>

#include "exporter/api/client.h"
#include "tc3/signer.h"
#include "test_server.h"

namespace tcorg::api {
namespace {

using namespace std::chrono_literals;
using testing::TestServer;

const Credentials kCreds{"AKIDwireEXAMPLE", "wire-secret-key-EXAMPLE", ""};

void canned(const httplib::Request& req, httplib::Response& res) {
  res.set_content(testing::canned_answer(req.get_header_value("X-TC-Action")), "application/json");
}

std::string header(const testing::Captured& c, const std::string& name) {
  const auto it = c.headers.find(name);
  return it == c.headers.end() ? "<absent>" : it->second;
}

struct Attempt {
  std::string action;
  double seconds;
  std::optional<ErrorKind> error;
};

class RecordingObserver : public CallObserver {
 public:
  void on_attempt(std::string_view action, double seconds, const ApiError* error) override {
    std::lock_guard lock(mu);
    attempts.push_back({std::string(action), seconds,
                        error ? std::optional<ErrorKind>(error->kind) : std::nullopt});
  }
  std::mutex mu;
  std::vector<Attempt> attempts;
};

ClientOptions options_for(const std::string& endpoint, Credentials creds = kCreds) {
  ClientOptions o;
  o.endpoint = endpoint;
  o.endpoint_explicit = true;
  o.credentials = [creds] { return creds; };
  o.clock = [] { return std::int64_t{1700000000}; };
  o.timeout = 2000ms;
  return o;
}

TEST(ClientWire, HeadersAndSignature) {
  TestServer server(canned);
  Client client(options_for(server.endpoint()));
  ASSERT_TRUE(client.list_invitations(Direction::kReceived, 0, 50).ok());
  const auto c = server.requests().at(0);

  const std::string host = "127.0.0.1:" + std::to_string(server.port());
  EXPECT_EQ(header(c, "Host"), host);
  EXPECT_EQ(header(c, "Content-Type"), "application/json");
  EXPECT_EQ(header(c, "X-TC-Action"), "ListOrganizationInvitations");
  EXPECT_EQ(header(c, "X-TC-Version"), "2018-12-25");
  EXPECT_EQ(header(c, "X-TC-Timestamp"), "1700000000");
  EXPECT_EQ(header(c, "X-TC-RequestClient"), "tencentcloud_org_exporter");
  EXPECT_EQ(header(c, "X-TC-Region"), "<absent>");
  EXPECT_EQ(header(c, "X-TC-Token"), "<absent>");
  EXPECT_EQ(header(c, "X-TC-Language"), "<absent>");
  EXPECT_EQ(c.headers.count("Host"), 1u);
  EXPECT_EQ(c.headers.count("Content-Type"), 1u);

  // The Authorization is TC3 over exactly what was sent, for service "organization".
  tc3::Request signed_req;
  signed_req.host = header(c, "Host");
  signed_req.content_type = header(c, "Content-Type");
  signed_req.payload = c.body;
  signed_req.timestamp = 1700000000;
  signed_req.service = "organization";
  const auto want = tc3::sign(signed_req, kCreds.secret_id, kCreds.secret_key);
  EXPECT_EQ(header(c, "Authorization"), want.authorization);
  EXPECT_EQ(header(c, "Authorization")
                .rfind("TC3-HMAC-SHA256 Credential=AKIDwireEXAMPLE/2023-11-14/"
                       "organization/tc3_request, SignedHeaders=content-type;host, "
                       "Signature=",
                       0),
            0u);
}

TEST(ClientWire, OptionalHeadersWhenSet) {
  TestServer server(canned);
  ClientOptions o = options_for(server.endpoint(), {"AKIDx", "key", "session-token"});
  o.region = "ap-guangzhou";
  o.language = "en-US";
  o.request_client = "tcorg/1.2.3";
  Client client(std::move(o));
  ASSERT_TRUE(client.list_nodes().ok());
  const auto c = server.requests().at(0);
  EXPECT_EQ(header(c, "X-TC-Region"), "ap-guangzhou");
  EXPECT_EQ(header(c, "X-TC-Token"), "session-token");
  EXPECT_EQ(header(c, "X-TC-Language"), "en-US");
  EXPECT_EQ(header(c, "X-TC-RequestClient"), "tcorg/1.2.3");
}

TEST(ClientWire, BodiesAreExactJson) {
  TestServer server(canned);
  Client client(options_for(server.endpoint()));
  ASSERT_TRUE(client.list_invitations(Direction::kReceived, 0, 50).ok());
  ASSERT_TRUE(client.list_invitations(Direction::kSent, 20, 10).ok());
  ASSERT_TRUE(client.get_member(100000000001).ok());
  ASSERT_TRUE(client.list_members(50, 50).ok());
  ASSERT_TRUE(client.list_nodes().ok());
  const auto r = server.requests();
  ASSERT_EQ(r.size(), 5u);
  EXPECT_EQ(r[0].body, R"({"Invited":1,"Limit":50,"Offset":0})");
  EXPECT_EQ(r[1].body, R"({"Invited":0,"Limit":10,"Offset":20})");
  EXPECT_EQ(r[2].body, R"({"MemberUin":100000000001})");
  EXPECT_EQ(r[3].body, R"({"Limit":50,"Offset":50})");
  EXPECT_EQ(r[4].body, R"({})");
  EXPECT_EQ(header(r[2], "X-TC-Action"), "GetOrganizationMember");
  EXPECT_EQ(header(r[3], "X-TC-Action"), "ListOrganizationMembers");
  EXPECT_EQ(header(r[4], "X-TC-Action"), "ListOrganizationNodes");
}

TEST(ClientWire, DecodesEachAction) {
  TestServer server(canned);
  Client client(options_for(server.endpoint()));
  const auto inv = client.list_invitations(Direction::kReceived, 0, 50);
  ASSERT_TRUE(inv.ok());
  EXPECT_EQ(inv->invitations.at(0).status, invitation_status::kExpired);
  EXPECT_EQ(inv->request_id, "r1");
  EXPECT_EQ(client.get_member(123)->uin, 123);
  EXPECT_EQ(client.list_members(0, 50)->members.at(0).uin, 123);
  EXPECT_EQ(client.list_nodes()->nodes.at(0).name, "root");
}

TEST(ClientWire, KeepAliveAcrossCalls) {
  TestServer server(canned);
  Client client(options_for(server.endpoint()));
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(client.get_member(1).ok());
  EXPECT_EQ(server.connections(), 1u);
}

TEST(ClientWire, ConcurrentCallsShareOneClient) {
  TestServer server([](const httplib::Request& req, httplib::Response& res) {
    std::this_thread::sleep_for(2ms);
    canned(req, res);
  });
  RecordingObserver observer;
  ClientOptions o = options_for(server.endpoint());
  o.observer = &observer;
  Client client(std::move(o));
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 25; ++i) ok += client.get_member(123).ok() ? 1 : 0;
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok, 100);
  EXPECT_EQ(observer.attempts.size(), 100u);
  EXPECT_LE(server.connections(), 4u);  // one keep-alive connection per thread in flight
}

TEST(ClientWire, CredentialsReadEveryAttempt) {
  // Rotated keys apply to the next call; the per-day key cache must notice the change.
  TestServer server(canned);
  std::atomic<int> calls{0};
  ClientOptions o = options_for(server.endpoint());
  o.credentials = [&] {
    const int n = calls++;
    return Credentials{"AKID" + std::to_string(n), "key-" + std::to_string(n), ""};
  };
  std::atomic<std::int64_t> now{1700006399};  // 23:59:59 UTC: the next second is a new date
  o.clock = [&] { return now.load(); };
  Client client(std::move(o));
  ASSERT_TRUE(client.list_nodes().ok());
  ++now;
  ASSERT_TRUE(client.list_nodes().ok());
  ASSERT_TRUE(client.list_nodes().ok());
  EXPECT_EQ(calls, 3);
  const auto r = server.requests();
  for (int i = 0; i < 3; ++i) {
    tc3::Request req;
    req.host = header(r[i], "Host");
    req.payload = r[i].body;
    req.timestamp = std::stoll(header(r[i], "X-TC-Timestamp"));
    req.service = "organization";
    EXPECT_EQ(header(r[i], "Authorization"),
              tc3::sign(req, "AKID" + std::to_string(i), "key-" + std::to_string(i)).authorization)
        << i;
  }
  EXPECT_NE(header(r[0], "Authorization").find("/2023-11-14/"), std::string::npos);
  EXPECT_NE(header(r[1], "Authorization").find("/2023-11-15/"), std::string::npos);
}

TEST(ClientWire, ObserverOncePerAttempt) {
  TestServer server([](const httplib::Request& req, httplib::Response& res) {
    if (req.get_header_value("X-TC-Action") == "ListOrganizationNodes") {
      res.set_content(R"({"Response":{"Error":{"Code":"InternalError"},"RequestId":"x"}})",
                      "application/json");
    } else {
      canned(req, res);
    }
  });
  RecordingObserver observer;
  ClientOptions o = options_for(server.endpoint());
  o.observer = &observer;
  Client client(std::move(o));
  ASSERT_TRUE(client.get_member(1).ok());
  ASSERT_FALSE(client.list_nodes().ok());
  ASSERT_EQ(observer.attempts.size(), 2u);
  EXPECT_EQ(observer.attempts[0].action, "GetOrganizationMember");
  EXPECT_FALSE(observer.attempts[0].error.has_value());
  EXPECT_GT(observer.attempts[0].seconds, 0.0);
  EXPECT_LT(observer.attempts[0].seconds, 1.0);
  EXPECT_EQ(observer.attempts[1].action, "ListOrganizationNodes");
  EXPECT_EQ(observer.attempts[1].error, ErrorKind::kApi);
}

TEST(ClientWire, HttpStatusKeepsRequestId) {
  TestServer server([](const httplib::Request&, httplib::Response& res) {
    res.status = 503;
    res.set_content(R"({"Response":{"Error":{"Code":"ServiceUnavailable"},"RequestId":"rid-503"}})",
                    "application/json");
  });
  Client client(options_for(server.endpoint()));
  const auto r = client.list_nodes();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kHttpStatus);
  EXPECT_EQ(r.error().http_status, 503);
  EXPECT_EQ(r.error().request_id, "rid-503");
  EXPECT_EQ(r.error().label(), "http_503");
  EXPECT_TRUE(r.error().is_retryable());
}

TEST(ClientWire, HttpStatusPlainText) {
  TestServer server([](const httplib::Request&, httplib::Response& res) {
    res.status = 500;
    res.set_content("Internal Server Error", "text/plain");
  });
  Client client(options_for(server.endpoint()));
  const auto r = client.get_member(1);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kHttpStatus);
  EXPECT_EQ(r.error().http_status, 500);
  EXPECT_EQ(r.error().request_id, "");
}

TEST(ClientWire, NoCredentialsSendsNothing) {
  TestServer server(canned);
  RecordingObserver observer;
  ClientOptions o = options_for(server.endpoint(), Credentials{});
  o.observer = &observer;
  Client client(std::move(o));
  const auto r = client.list_nodes();
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().is_auth());
  EXPECT_TRUE(server.requests().empty());
  EXPECT_TRUE(observer.attempts.empty());
}

TEST(ClientWire, SetupErrorsThrow) {
  ClientOptions o = options_for("http://127.0.0.1:1");
  o.endpoint_explicit = false;
  try {
    Client c(o);
    FAIL() << "http:// accepted without endpoint_explicit";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("--tencentcloud.endpoint"), std::string::npos);
  }
  ClientOptions no_creds = options_for("http://127.0.0.1:1");
  no_creds.credentials = nullptr;
  EXPECT_THROW(Client{no_creds}, std::invalid_argument);
  ClientOptions bad_ca = options_for("https://127.0.0.1:1");
  bad_ca.ca_file = "/nonexistent/ca.pem";
  EXPECT_THROW(Client{bad_ca}, std::invalid_argument);
  EXPECT_THROW(Client{options_for("https://h/path")}, std::invalid_argument);
  // The default endpoint is valid as is.
  ClientOptions defaults;
  defaults.credentials = [] { return kCreds; };
  EXPECT_NO_THROW(Client{defaults});
}

// Every error class, provoked with recognisable secrets that some servers even echo back: none
// may appear in any text of the error.
TEST(ClientWire, SecretsNeverInErrors) {
  const std::string key = "SECRET-KEY-must-not-leak-7f3a";
  const std::string token = "SESSION-TOKEN-must-not-leak-91c2";
  const Credentials creds{"AKIDleakEXAMPLE", key, token};
  const auto echo = [&](const httplib::Request& req) {
    std::string all = key + " " + token + " ";
    for (const auto& [name, value] : req.headers) all += name + "=" + value + " ";
    return all;
  };
  std::vector<std::pair<std::string, ApiError>> errors;
  const auto collect = [&](const std::string& what, const std::string& endpoint,
                           const std::string& ca_file = "",
                           std::chrono::milliseconds timeout = 2000ms) {
    ClientOptions o = options_for(endpoint, creds);
    o.ca_file = ca_file;
    o.timeout = timeout;
    Client client(std::move(o));
    const auto r = client.list_invitations(Direction::kReceived, 0, 50);
    ASSERT_FALSE(r.ok()) << what;
    errors.emplace_back(what, r.error());
  };

  {
    TestServer api_error([&](const httplib::Request& req, httplib::Response& res) {
      nlohmann::json j;
      j["Response"]["Error"] = {{"Code", "AuthFailure.SignatureFailure " + key},
                                {"Message", echo(req)}};
      j["Response"]["RequestId"] = token;
      res.set_content(j.dump(), "application/json");
    });
    collect("api", api_error.endpoint());
  }
  {
    TestServer status([&](const httplib::Request& req, httplib::Response& res) {
      res.status = 500;
      nlohmann::json j;
      j["Response"]["Error"]["Code"] = key;
      j["Response"]["RequestId"] = token + echo(req);
      res.set_content(j.dump(), "application/json");
    });
    collect("http_status", status.endpoint());
  }
  {
    TestServer malformed([&](const httplib::Request& req, httplib::Response& res) {
      res.set_content(echo(req), "text/plain");
    });
    collect("decode (not JSON)", malformed.endpoint());
  }
  {
    TestServer bad_field([&](const httplib::Request&, httplib::Response& res) {
      nlohmann::json j;
      j["Response"] = {{"TotalCount", 1}, {"RequestId", token}};
      j["Response"]["Invitations"] = {{{"Id", 1}, {"Status", 0}, {"InviteTime", key}}};
      res.set_content(j.dump(), "application/json");
    });
    collect("decode (field)", bad_field.endpoint());
  }
  {
    testing::SilentListener silent;
    collect("timeout", "http://127.0.0.1:" + std::to_string(silent.port()), "", 200ms);
  }
  collect("transport", "http://127.0.0.1:" + std::to_string(testing::closed_port()));
  {
    const auto cert = testing::make_self_signed_cert("localhost", true);
    TestServer tls(canned, cert.cert_path, cert.key_path);
    collect("tls", tls.endpoint("https"));
    std::system(("rm -rf " + cert.dir).c_str());
  }

  ASSERT_EQ(errors.size(), 7u);
  std::set<ErrorKind> kinds;
  for (const auto& [what, e] : errors) {
    kinds.insert(e.kind);
    for (const std::string& text : {e.code, e.message, e.request_id, e.to_string(), e.label()}) {
      EXPECT_EQ(text.find(key), std::string::npos) << what << ": " << text;
      EXPECT_EQ(text.find(token), std::string::npos) << what << ": " << text;
    }
  }
  EXPECT_EQ(kinds.size(), 5u);  // api, http_status, decode, timeout, transport
}

// A secret that occurs in the placeholder itself ("d" in "<redacted>") is still redacted, and
// the redaction ends: it once searched again from the inserted placeholder, for ever.
TEST(ClientWire, SecretsInsideThePlaceholderAreRedactedAndEnd) {
  struct Case {
    std::string key, token;
  };
  for (const Case& c : {Case{"redacted", "<"}, Case{"d", ""}}) {
    TestServer echoing([&](const httplib::Request&, httplib::Response& res) {
      nlohmann::json j;
      j["Response"]["Error"] = {{"Code", "AuthFailure"},
                                {"Message", "echo " + c.key + " and " + c.token + " end"}};
      j["Response"]["RequestId"] = "id-" + c.key;
      res.set_content(j.dump(), "application/json");
    });
    auto done = std::make_shared<std::promise<ApiError>>();
    auto answer = done->get_future();
    // On a thread of its own, so a redaction that never ends fails the test instead of hanging.
    std::thread([done, endpoint = echoing.endpoint(),
                 creds = Credentials{"AKIDx", c.key, c.token}] {
      Client client(options_for(endpoint, creds));
      const auto r = client.list_invitations(Direction::kReceived, 0, 50);
      done->set_value(r.ok() ? ApiError{} : r.error());
    }).detach();
    if (answer.wait_for(20s) != std::future_status::ready) {
      ADD_FAILURE() << "redacting secret key \"" << c.key << "\" did not end";
      std::_Exit(1);  // the spinning thread cannot be stopped
    }
    const ApiError e = answer.get();
    // The secret in its place in the echo is gone (it also occurs inside every placeholder).
    EXPECT_EQ(e.message.find("echo " + c.key + " "), std::string::npos) << e.message;
    EXPECT_EQ(e.request_id.find("id-" + c.key), std::string::npos) << e.request_id;
    EXPECT_NE(e.message.find("<redacted>"), std::string::npos) << e.message;
  }
}

}  // namespace
}  // namespace tcorg::api
