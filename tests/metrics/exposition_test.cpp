#include "exporter/metrics/exposition.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "exporter/http/server.h"
#include "exporter/metrics/gzip.h"
#include "tests/metrics/inflate.h"

namespace tcorg::metrics {
namespace {

using testing::inflate_one_member;

collectors::CycleResult members(int n, const std::string& name_prefix = "member-") {
  collectors::MembersSnapshot s;
  s.nodes.push_back({1, "root", 0, n});
  for (int i = 0; i < n; ++i) {
    api::MemberDetail m;
    m.uin = 100000 + i;
    m.name = name_prefix + std::to_string(i);
    m.node_id = 1;
    m.node_name = "root";
    s.members.push_back(m);
  }
  return {std::make_shared<const collectors::Snapshot>(std::move(s)), std::nullopt};
}

collectors::CycleResult failed() {
  return {nullptr, api::ApiError{api::ErrorKind::kApi, "InternalError", "boom", "r", 0}};
}

struct ExpositionTest : ::testing::Test {
  prometheus::Registry registry;
  Store store{registry, {{"members", 600}}, [] { return 1000.0; }};
  Exposition exposition{store, registry};

  ExpositionTest() { register_build_info(registry, "1.2.3", "abc"); }

  // The gzip body, inflated; empty optional when it is not exactly one gzip member.
  std::optional<std::string> inflated() { return inflate_one_member(exposition.body(true).str()); }
};

TEST_F(ExpositionTest, GzipInflatesToThePlainBody) {
  // Empty org part (nothing published), small, large.
  EXPECT_EQ(inflated(), exposition.body(false).str());
  for (int n : {3, 20000}) {
    store.publish("members", members(n), 1.0);
    const std::string plain = exposition.body(false).str();
    EXPECT_NE(plain.find("tencentcloud_org_member_info{"), std::string::npos);
    const auto gz = inflated();
    ASSERT_TRUE(gz.has_value()) << n;
    EXPECT_TRUE(*gz == plain) << n;
  }
}

TEST_F(ExpositionTest, PlainBodyIsLiveSeriesThenOrgSeries) {
  store.publish("members", members(2), 1.0);
  const Body b = exposition.body(false);
  EXPECT_FALSE(b.gzip);
  EXPECT_TRUE(b.tail.empty());
  EXPECT_EQ(b.organization_part, store.org()->text);
  EXPECT_NE(b.head.find("tencentcloud_org_exporter_build_info{"), std::string::npos);
  EXPECT_NE(b.head.find("tencentcloud_org_collector_success{collector=\"members\"} 1"),
            std::string::npos);
  EXPECT_EQ(exposition.render(), b.str());
}

TEST_F(ExpositionTest, NewCycleInvalidatesTheCachedGzip) {
  store.publish("members", members(5, "old-"), 1.0);
  const auto before = store.org();
  ASSERT_NE(inflated()->find("name=\"old-4\""), std::string::npos);

  store.publish("members", failed(), 1.0);  // no data: the cached part stays
  EXPECT_EQ(store.org(), before);

  store.publish("members", members(5, "new-"), 1.0);
  EXPECT_NE(store.org(), before);
  // The cached compressed form belongs to the new text.
  const auto org = store.org();
  const GzipFrame alone = gzip_frame("", org->deflated);
  EXPECT_EQ(inflate_one_member(alone.head + org->deflated.data + alone.tail), org->text);
  const auto gz = inflated();
  ASSERT_TRUE(gz.has_value());
  EXPECT_EQ(gz->find("name=\"old-4\""), std::string::npos);
  EXPECT_NE(gz->find("name=\"new-4\""), std::string::npos);
  EXPECT_EQ(*gz, exposition.body(false).str());
}

// What an event loop gets: a body only when it is made of kept parts, the same bytes body()
// gives; after a publish, nothing until a thread that may wait has made the new one.
TEST_F(ExpositionTest, TryBodyOnlyFromKeptParts) {
  store.publish("members", members(5), 1.0);
  Exposition lasting{store, registry, std::chrono::hours(1)};  // kept, however slow the test
  for (bool gzip : {false, true}) {
    EXPECT_FALSE(lasting.try_body(gzip).has_value()) << gzip;
    const std::string made = lasting.body(gzip).str();
    const auto kept = lasting.try_body(gzip);
    ASSERT_TRUE(kept.has_value()) << gzip;
    EXPECT_EQ(kept->str(), made) << gzip;
    EXPECT_EQ(kept->organization_part.data(),
              gzip ? store.org()->deflated.data.data() : store.org()->text.data());  // not a copy
  }
  store.publish("members", members(6), 1.0);
  EXPECT_FALSE(lasting.try_body(false).has_value());
  EXPECT_FALSE(lasting.try_body(true).has_value());
}

// The parts are what the server writes, one iovec each: together, in order, the whole body.
TEST_F(ExpositionTest, PartsAreTheBodyInOrder) {
  store.publish("members", members(50), 1.0);
  for (bool gzip : {false, true}) {
    const Body b = exposition.body(gzip);
    const auto parts = b.parts();
    std::string joined;
    for (std::string_view p : parts) joined.append(p);
    EXPECT_EQ(joined, b.head + std::string(b.organization_part) + b.tail) << gzip;
    EXPECT_EQ(joined.size(), b.size()) << gzip;
    EXPECT_EQ(parts[1].data(), b.organization_part.data()) << gzip;  // the Store's, not a copy
    EXPECT_FALSE(parts[1].empty()) << gzip;
  }
}

TEST_F(ExpositionTest, ConcurrentScrapesDuringPublishes) {
  // Every body is whole and consistent while cycles publish and the live series change.
  std::atomic<bool> done{false};
  std::atomic<int> bad{0};
  std::vector<std::thread> scrapers;
  for (int t = 0; t < 4; ++t) {
    scrapers.emplace_back([&, t] {
      while (!done) {
        const Body b = exposition.body(t % 2 == 0);
        const auto text = b.gzip ? inflate_one_member(b.str()) : std::optional(b.str());
        if (!text || text->find("tencentcloud_org_exporter_build_info") == std::string::npos) ++bad;
      }
    });
  }
  for (int i = 0; i < 20; ++i) {
    store.publish("members", members(200 + i, "cycle" + std::to_string(i) + "-"), 1.0);
  }
  done = true;
  for (auto& t : scrapers) t.join();
  EXPECT_EQ(bad.load(), 0);
  EXPECT_NE(inflated()->find("name=\"cycle19-0\""), std::string::npos);
}

TEST(Body, OfText) {
  EXPECT_EQ(Body::of_text("up 1\n", false).str(), "up 1\n");
  const Body gz = Body::of_text("up 1\n", true);
  EXPECT_TRUE(gz.gzip);
  EXPECT_EQ(inflate_one_member(gz.str()), "up 1\n");
}

// The scrape path end to end: the server must neither compress the body again nor pick another
// encoding, and the headers must say what the body is.
struct OverHttp : ExpositionTest {
  http::Server server{http::ServerOptions{"127.0.0.1:0", "/metrics", 2},
                      http::Handlers{[] { return true; }, [] { return std::string(); },
                                     [this](bool gzip, bool may_wait) {
                                       return may_wait ? exposition.body(gzip)
                                                       : exposition.try_body(gzip);
                                     }}};
  std::thread thread;
  int port = 0;

  void SetUp() override {
    std::string error;
    port = server.bind(error);
    ASSERT_GT(port, 0) << error;
    thread = std::thread([this] { server.serve(); });
    store.publish("members", members(3000), 1.0);
  }
  void TearDown() override {
    server.stop();
    if (thread.joinable()) thread.join();
  }
  httplib::Result get(const httplib::Headers& headers, bool head = false) {
    httplib::Client c("127.0.0.1", port);
    c.set_decompress(false);
    return head ? c.Head("/metrics", headers) : c.Get("/metrics", headers);
  }
};

TEST_F(OverHttp, GzipWhenAsked) {
  const auto plain = get({});
  ASSERT_TRUE(plain);
  const auto gz = get({{"Accept-Encoding", "gzip"}});
  ASSERT_TRUE(gz);
  EXPECT_EQ(gz->status, 200);
  EXPECT_EQ(gz->get_header_value_count("Content-Encoding"), 1u);
  EXPECT_EQ(gz->get_header_value("Content-Encoding"), "gzip");
  EXPECT_EQ(gz->get_header_value("Vary"), "Accept-Encoding");
  EXPECT_EQ(gz->get_header_value("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  const auto body = inflate_one_member(gz->body);
  ASSERT_TRUE(body.has_value());
  EXPECT_EQ(body->substr(0, 2), "# ");  // compressed once, not twice
  // The live part may differ by nothing here: no API calls between the two scrapes.
  EXPECT_TRUE(*body == plain->body);
}

TEST_F(OverHttp, PlainOtherwise) {
  for (const char* ae : {"", "br", "identity", "gzip;q=0", "deflate, br, zstd"}) {
    const auto res = get(ae[0] ? httplib::Headers{{"Accept-Encoding", ae}} : httplib::Headers{});
    ASSERT_TRUE(res) << ae;
    EXPECT_FALSE(res->has_header("Content-Encoding")) << ae;
    EXPECT_EQ(res->get_header_value("Vary"), "Accept-Encoding");
    EXPECT_EQ(res->get_header_value("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
    EXPECT_EQ(res->body.rfind("# HELP ", 0), 0u) << ae;
    EXPECT_EQ(res->body, exposition.body(false).str()) << ae;
  }
}

TEST_F(OverHttp, HeadGivesTheLengthOnly) {
  for (bool gzip : {false, true}) {
    const auto res =
        get(gzip ? httplib::Headers{{"Accept-Encoding", "gzip"}} : httplib::Headers{}, true);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
    EXPECT_TRUE(res->body.empty());
    EXPECT_EQ(res->get_header_value("Content-Length"),
              std::to_string(exposition.body(gzip).size()));
  }
}

// A server may ignore Range (RFC 9110 14.2); a part of a gzip member is of no use to a scraper.
TEST_F(OverHttp, RangeIsIgnored) {
  const auto res = get({{"Accept-Encoding", "gzip"}, {"Range", "bytes=0-9"}});
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_FALSE(res->has_header("Content-Range"));
  EXPECT_EQ(res->body, exposition.body(true).str());
}

// A text body the handler compressed (Body::of_text) goes out as it is.
TEST(OverHttpText, TextBodyIsGzippedOnce) {
  http::Server server{http::ServerOptions{"127.0.0.1:0", "/metrics", 1},
                      http::Handlers{nullptr, nullptr, [](bool gzip, bool) {
                                       return std::optional(Body::of_text("up 1\n", gzip));
                                     }}};
  std::string error;
  const int port = server.bind(error);
  ASSERT_GT(port, 0) << error;
  std::thread thread([&server] { server.serve(); });
  httplib::Client c("127.0.0.1", port);
  c.set_decompress(false);
  const auto res = c.Get("/metrics", {{"Accept-Encoding", "gzip, br"}});
  server.stop();
  thread.join();
  ASSERT_TRUE(res);
  EXPECT_EQ(res->get_header_value_count("Content-Encoding"), 1u);
  EXPECT_EQ(inflate_one_member(res->body), "up 1\n");
}

TEST(OverHttpText, EmptyBody) {
  http::Server server{http::ServerOptions{"127.0.0.1:0", "/metrics", 1},
                      http::Handlers{nullptr, nullptr, [](bool gzip, bool) {
                                       return std::optional(Body::of_text("", gzip));
                                     }}};
  std::string error;
  const int port = server.bind(error);
  ASSERT_GT(port, 0) << error;
  std::thread thread([&server] { server.serve(); });
  const auto res = httplib::Client("127.0.0.1", port).Get("/metrics");
  server.stop();
  thread.join();
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, "");
  EXPECT_EQ(res->get_header_value("Content-Length"), "0");
}

}  // namespace
}  // namespace tcorg::metrics
