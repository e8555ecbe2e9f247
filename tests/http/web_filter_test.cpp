#include "exporter/http/web_filter.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "test_pki.h"

namespace tcorg::http {
namespace {

struct WebFilterTest : ::testing::Test {
  std::shared_ptr<web::ActiveWebConfig> active = std::make_shared<web::ActiveWebConfig>();
  std::unique_ptr<WebFilter> filter;
  httplib::Server server;
  int port = 0;
  std::thread thread;

  void SetUp() override {
    active->config.users = {{"alice", web::testing::bcrypt_hash("s3cret")}};
    active->config.headers = {{"X-Frame-Options", "deny"},
                              {"Strict-Transport-Security", "max-age=60"}};
    filter = std::make_unique<WebFilter>([this] { return active; });
    server.set_pre_routing_handler([this](const httplib::Request& q, httplib::Response& r) {
      return filter->before(q, r) == FilterVerdict::kAnswered
                 ? httplib::Server::HandlerResponse::Handled
                 : httplib::Server::HandlerResponse::Unhandled;
    });
    server.set_post_routing_handler(
        [this](const httplib::Request& q, httplib::Response& r) { filter->after(q, r); });
    for (const char* path : {"/", "/metrics", "/-/healthy", "/-/ready"}) {
      server.Get(path, [](const httplib::Request&, httplib::Response& res) {
        res.set_content("ok\n", "text/plain");
      });
    }
    port = server.bind_to_any_port("127.0.0.1");
    ASSERT_GT(port, 0);
    thread = std::thread([this] { server.listen_after_bind(); });
    // A stop() before the listen loop starts would be missed, and TearDown would wait forever.
    while (!server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  void TearDown() override {
    server.stop();
    thread.join();
  }
  httplib::Result get(const std::string& path, const std::string& user = "",
                      const std::string& password = "") {
    httplib::Client c("127.0.0.1", port);
    if (!user.empty()) c.set_basic_auth(user, password);
    return c.Get(path);
  }
};

TEST_F(WebFilterTest, EveryPathNeedsTheRightPassword) {
  for (const char* path : {"/", "/metrics", "/-/healthy", "/-/ready", "/nope"}) {
    for (const auto& [user, password] : std::vector<std::pair<std::string, std::string>>{
             {"", ""}, {"alice", "wrong"}, {"mallory", "s3cret"}, {"alice", ""}}) {
      auto res = get(path, user, password);
      ASSERT_TRUE(res) << path;
      EXPECT_EQ(res->status, 401) << path << " as " << user;
      EXPECT_EQ(res->get_header_value("WWW-Authenticate"), "Basic");
      EXPECT_EQ(res->body, "Unauthorized\n");
    }
    auto ok = get(path, "alice", "s3cret");
    ASSERT_TRUE(ok);
    EXPECT_EQ(ok->status, std::string(path) == "/nope" ? 404 : 200) << path;
  }
}

TEST_F(WebFilterTest, HeadersOnEveryResponse) {
  const std::vector<std::pair<std::string, std::string>> requests{
      {"/metrics", ""}, {"/metrics", "s3cret"}, {"/nope", "s3cret"}};
  for (const auto& [path, password] : requests) {
    auto res = get(path, password.empty() ? "" : "alice", password);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->get_header_value("X-Frame-Options"), "deny");
    EXPECT_EQ(res->get_header_value("Strict-Transport-Security"), "max-age=60");
  }
}

// As an event loop asks: a password only bcrypt can check is left for later, not refused.
TEST_F(WebFilterTest, WithoutWaitingBcryptIsLeftForLater) {
  httplib::Request req;
  req.set_header("Authorization", "Basic YWxpY2U6czNjcmV0");  // alice:s3cret
  httplib::Response res;
  EXPECT_EQ(filter->before(req, res, false), FilterVerdict::kLater);
  EXPECT_EQ(filter->before(req, res, true), FilterVerdict::kPass);
  EXPECT_EQ(filter->before(req, res, false), FilterVerdict::kPass);  // remembered
  httplib::Request bearer;
  bearer.set_header("Authorization", "Bearer abc");
  EXPECT_EQ(filter->before(bearer, res, false), FilterVerdict::kAnswered);
  EXPECT_EQ(res.status, 401);
}

// bcrypt saturated (here: no place in its queue at all): 503 with Retry-After, not 401.
TEST_F(WebFilterTest, SaturatedBcryptAnswers503WithRetryAfter) {
  web::BasicAuthOptions options;
  options.max_waiting = 0;
  WebFilter saturated([this] { return active; }, options);
  httplib::Request req;
  req.set_header("Authorization", "Basic YWxpY2U6czNjcmV0");  // alice:s3cret
  for (const bool may_wait : {false, true}) {
    httplib::Response res;
    EXPECT_EQ(saturated.before(req, res, may_wait), FilterVerdict::kAnswered);
    EXPECT_EQ(res.status, 503);
    EXPECT_EQ(res.get_header_value("Retry-After"), "1");
    EXPECT_FALSE(res.has_header("WWW-Authenticate"));
  }
}

TEST_F(WebFilterTest, NoUsersNoAuth) {
  active->config.users.clear();
  auto res = get("/metrics");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_FALSE(res->has_header("WWW-Authenticate"));
}

}  // namespace
}  // namespace tcorg::http
