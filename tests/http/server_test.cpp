#include "exporter/http/server.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <thread>

namespace tcorg::http {
namespace {

struct ServerTest : ::testing::Test {
  std::atomic<bool> ready{false};
  Server server{
      ServerOptions{"127.0.0.1:0", "/metrics", 4},
      Handlers{[this] { return ready.load(); }, [] { return std::string("<html>landing</html>"); },
               [](bool gzip, bool) {
                 return std::optional(
                     metrics::Body::of_text("up 1\n# a long enough body to compress well\n", gzip));
               }}};
  int port = 0;
  std::thread thread;

  void SetUp() override {
    std::string error;
    port = server.bind(error);
    ASSERT_GT(port, 0) << error;
    thread = std::thread([this] { server.serve(); });
  }
  void TearDown() override {
    server.stop();
    thread.join();
  }
  httplib::Client client() { return httplib::Client("127.0.0.1", port); }
};

TEST_F(ServerTest, MetricsHasExpositionContentType) {
  auto res = client().Get("/metrics");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_EQ(res->body.rfind("up 1\n", 0), 0u);
}

TEST_F(ServerTest, MetricsGzippedWhenAccepted) {
  auto c = client();
  c.set_decompress(false);
  auto res = c.Get("/metrics", {{"Accept-Encoding", "gzip"}});
  ASSERT_TRUE(res);
  EXPECT_EQ(res->get_header_value("Content-Encoding"), "gzip");
  ASSERT_GE(res->body.size(), 2u);
  EXPECT_EQ(static_cast<unsigned char>(res->body[0]), 0x1f);  // gzip magic
  EXPECT_EQ(static_cast<unsigned char>(res->body[1]), 0x8b);
}

TEST_F(ServerTest, HealthyAlwaysReadyOnlyAfterFirstCycles) {
  EXPECT_EQ(client().Get("/-/healthy")->status, 200);
  EXPECT_EQ(client().Get("/-/ready")->status, 503);
  ready = true;
  EXPECT_EQ(client().Get("/-/ready")->status, 200);
}

TEST_F(ServerTest, LandingPageAndUnknownPath) {
  auto res = client().Get("/");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, "<html>landing</html>");
  EXPECT_EQ(client().Get("/nope")->status, 404);
}

TEST(SplitListenAddress, Forms) {
  std::string host;
  int port = 0;
  EXPECT_TRUE(split_listen_address(":10110", host, port));
  EXPECT_EQ(host, "");
  EXPECT_EQ(port, 10110);
  EXPECT_TRUE(split_listen_address("[::1]:80", host, port));
  EXPECT_EQ(host, "::1");
  EXPECT_TRUE(split_listen_address("127.0.0.1:0", host, port));
  EXPECT_FALSE(split_listen_address("localhost", host, port));
  EXPECT_FALSE(split_listen_address("host:99999", host, port));
  EXPECT_FALSE(split_listen_address("host:", host, port));
  EXPECT_FALSE(split_listen_address("host:80x", host, port));
}

TEST(Server, BindFailureNamesTheFlag) {
  Server a{ServerOptions{"127.0.0.1:0", "/metrics", 1}, Handlers{}};
  std::string error;
  const int port = a.bind(error);
  ASSERT_GT(port, 0);
  Server b{ServerOptions{"127.0.0.1:" + std::to_string(port), "/metrics", 1}, Handlers{}};
  EXPECT_EQ(b.bind(error), -1);
  EXPECT_NE(error.find("--web.listen-address"), std::string::npos);
}

}  // namespace
}  // namespace tcorg::http
