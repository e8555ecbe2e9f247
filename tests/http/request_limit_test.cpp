#include "exporter/http/request_limit.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <thread>

#include "exporter/http/connection_pool.h"

namespace tcorg::http {
namespace {

using namespace std::chrono_literals;

// --web.max-requests=N with N slow scrapes in progress: the next one is told 503 at once.
TEST(RequestLimit, OneMoreThanTheLimitGets503) {
  constexpr int kMax = 3;
  RequestLimit limit(kMax);
  std::atomic<bool> release{false};
  httplib::Server server;
  server.new_task_queue = [] { return new ConnectionPool(connection_threads(kMax)); };
  server.Get("/metrics", limit.wrap([&](const httplib::Request&, httplib::Response& res) {
    while (!release) std::this_thread::sleep_for(5ms);
    res.set_content("up 1\n", "text/plain");
  }));
  const int port = server.bind_to_any_port("127.0.0.1");
  ASSERT_GT(port, 0);
  std::thread serving([&] { server.listen_after_bind(); });

  auto get = [port] {
    httplib::Client c("127.0.0.1", port);
    auto res = c.Get("/metrics");
    return res ? res->status : -1;
  };
  std::vector<std::future<int>> slow;
  for (int i = 0; i < kMax; ++i) slow.push_back(std::async(std::launch::async, get));
  for (int i = 0; i < 400 && limit.in_flight() < kMax; ++i) std::this_thread::sleep_for(5ms);
  ASSERT_EQ(limit.in_flight(), kMax);

  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_EQ(get(), 503);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 1s);

  release = true;
  for (auto& f : slow) EXPECT_EQ(f.get(), 200);
  EXPECT_EQ(limit.in_flight(), 0);
  EXPECT_EQ(get(), 200);
  server.stop();
  serving.join();
}

TEST(RequestLimit, ZeroMeansUnlimitedAndExceptionsReleaseTheSlot) {
  RequestLimit unlimited(0);
  httplib::Response res;
  unlimited.wrap([](const httplib::Request&, httplib::Response& r) { r.status = 200; })({}, res);
  EXPECT_EQ(res.status, 200);

  RequestLimit one(1);
  auto throwing = one.wrap(
      [](const httplib::Request&, httplib::Response&) { throw std::runtime_error("boom"); });
  EXPECT_THROW(throwing({}, res), std::runtime_error);
  EXPECT_EQ(one.in_flight(), 0);
}

}  // namespace
}  // namespace tcorg::http
