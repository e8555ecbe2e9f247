// Clock skew: the Date header is parsed strictly, and a SignatureExpire answer corrects the
// signing clock once (logged once), after which that request is resent once.

#include <gtest/gtest.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <atomic>
#include <ctime>
#include <mutex>
#include <thread>
#include <vector>

#include "exporter/api/client.h"
#include "exporter/api/transport.h"
#include "exporter/metrics/api_metrics.h"
#include "simulator/simulator.h"
#include "test_server.h"

namespace tcorg::api {
namespace {

using namespace std::chrono_literals;
using detail::parse_http_date;
using testing::TestServer;

constexpr std::int64_t kLocalNow = 1700000000;  // the client's (fake) clock
const Credentials kCreds{"AKIDskewEXAMPLE", "skew-secret-key-EXAMPLE", ""};

std::string http_date(std::int64_t unix_seconds) {
  const std::time_t t = unix_seconds;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return buf;
}

// A server whose clock reads `server_now`: it rejects timestamps more than 300 s off with
// SignatureExpire, as the real API does, and dates every answer unless `send_date` is false.
struct SkewedServer {
  explicit SkewedServer(std::int64_t server_now, bool send_date = true)
      : server([this, server_now, send_date](const httplib::Request& req, httplib::Response& res) {
          if (send_date) res.set_header("Date", http_date(server_now));
          const std::int64_t ts = std::stoll(req.get_header_value("X-TC-Timestamp"));
          {
            std::lock_guard lock(mu);
            timestamps.push_back(ts);
          }
          if (always_expired || std::llabs(ts - server_now) > 300) {
            res.set_content(
                R"({"Response":{"Error":{"Code":"AuthFailure.SignatureExpire","Message":"x"},)"
                R"("RequestId":"e"}})",
                "application/json");
            return;
          }
          res.set_content(testing::canned_answer(req.get_header_value("X-TC-Action")),
                          "application/json");
        }) {}

  std::vector<std::int64_t> seen() {
    std::lock_guard lock(mu);
    return timestamps;
  }

  std::atomic<bool> always_expired{false};
  std::mutex mu;
  std::vector<std::int64_t> timestamps;
  TestServer server;  // last: its handler uses the members above
};

struct Corrections {
  std::mutex mu;
  std::vector<std::pair<std::int64_t, std::int64_t>> seen;  // (skew, previous)
  void operator()(std::int64_t skew, std::int64_t previous) {
    std::lock_guard lock(mu);
    seen.emplace_back(skew, previous);
  }
};

ClientOptions options_for(const std::string& endpoint, Corrections& corrections) {
  ClientOptions o;
  o.endpoint = endpoint;
  o.endpoint_explicit = true;
  o.credentials = [] { return kCreds; };
  o.clock = [] { return kLocalNow; };
  o.timeout = 2000ms;
  o.on_clock_skew = [&corrections](std::int64_t s, std::int64_t p) { corrections(s, p); };
  return o;
}

TEST(ParseHttpDate, ImfFixdate) {
  EXPECT_EQ(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), 784111777);
  EXPECT_EQ(parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT"), 0);
  EXPECT_EQ(parse_http_date("Tue, 14 Nov 2023 22:13:20 GMT"), kLocalNow);
  EXPECT_EQ(parse_http_date("Thu, 29 Feb 2024 23:59:59 GMT"), 1709251199);
  EXPECT_EQ(parse_http_date(http_date(kLocalNow + 123456)), kLocalNow + 123456);
}

TEST(ParseHttpDate, AnythingElseIsRefused) {
  for (const char* bad : {
           "",
           "Sunday, 06-Nov-94 08:49:37 GMT",  // RFC 850
           "Sun Nov  6 08:49:37 1994",        // asctime
           "Mon, 06 Nov 1994 08:49:37 GMT",   // wrong weekday
           "Sun, 06 Nov 1994 08:49:37 UTC",
           "Sun, 06 Nov 1994 08:49:37 gmt",
           "Sun, 06 Nov 1994 08:49:37 GMT ",
           "Sun, 6 Nov 1994 08:49:37 GMT",
           "Sun, 06 Foo 1994 08:49:37 GMT",
           "Thu, 30 Feb 2023 08:49:37 GMT",  // no such day
           "Sun, 06 Nov 1994 24:49:37 GMT",
           "Sun, 06 Nov 1994 08:60:37 GMT",
           "Sun, 06 Nov 1994 08:49:61 GMT",
           "Sun, 06 Nov 1994 08:-9:37 GMT",
           "Sun, 06 Nov 19x4 08:49:37 GMT",
       }) {
    EXPECT_EQ(parse_http_date(bad), std::nullopt) << bad;
  }
}

TEST(ClockSkew, SignatureExpireCorrectsTheClockAndResendsOnce) {
  SkewedServer s(kLocalNow + 3600);  // the server is an hour ahead
  Corrections corrections;
  Client client(options_for(s.server.endpoint(), corrections));

  const auto first = client.list_nodes();
  ASSERT_TRUE(first.ok()) << first.error().to_string();
  EXPECT_EQ(s.seen(), (std::vector<std::int64_t>{kLocalNow, kLocalNow + 3600}));
  EXPECT_EQ(client.clock_skew(), 3600);
  ASSERT_EQ(corrections.seen.size(), 1u);
  EXPECT_EQ(corrections.seen[0].first, 3600);
  EXPECT_EQ(corrections.seen[0].second, 0);

  // Later calls are signed with the corrected time from the start, and nothing more is logged.
  ASSERT_TRUE(client.get_member(1).ok());
  EXPECT_EQ(s.seen().size(), 3u);
  EXPECT_EQ(s.seen().back(), kLocalNow + 3600);
  EXPECT_EQ(corrections.seen.size(), 1u);
}

TEST(ClockSkew, ServerBehindGivesANegativeSkew) {
  SkewedServer s(kLocalNow - 1000);
  Corrections corrections;
  Client client(options_for(s.server.endpoint(), corrections));
  ASSERT_TRUE(client.list_nodes().ok());
  EXPECT_EQ(client.clock_skew(), -1000);
  EXPECT_EQ(s.seen().back(), kLocalNow - 1000);
}

TEST(ClockSkew, WithoutADateHeaderNothingChanges) {
  SkewedServer s(kLocalNow + 3600, /*send_date=*/false);
  Corrections corrections;
  Client client(options_for(s.server.endpoint(), corrections));
  const auto r = client.list_nodes();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "AuthFailure.SignatureExpire");
  EXPECT_EQ(s.seen().size(), 1u);
  EXPECT_EQ(client.clock_skew(), 0);
  EXPECT_TRUE(corrections.seen.empty());
}

TEST(ClockSkew, AServerThatKeepsRejectingGetsOneResendOnly) {
  SkewedServer s(kLocalNow + 3600);
  s.always_expired = true;
  Corrections corrections;
  Client client(options_for(s.server.endpoint(), corrections));
  const auto r = client.list_nodes();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "AuthFailure.SignatureExpire");
  EXPECT_EQ(s.seen().size(), 2u);
  // The estimate now equals the skew in use: no correction to make, so no resend.
  ASSERT_FALSE(client.list_nodes().ok());
  EXPECT_EQ(s.seen().size(), 3u);
  EXPECT_EQ(corrections.seen.size(), 1u);
}

TEST(ClockSkew, ManyCallsAtOnceCorrectOnceAndAllSucceed) {
  SkewedServer s(kLocalNow + 900);
  Corrections corrections;
  Client client(options_for(s.server.endpoint(), corrections));
  std::atomic<int> ok{0};
  {
    std::vector<std::jthread> threads;
    for (int i = 0; i < 8; ++i) {
      threads.emplace_back([&, i] { ok += client.get_member(i + 1).ok() ? 1 : 0; });
    }
  }
  EXPECT_EQ(ok.load(), 8);
  EXPECT_EQ(corrections.seen.size(), 1u);
  EXPECT_EQ(client.clock_skew(), 900);
  EXPECT_LE(s.seen().size(), 16u);  // at most one resend per call
}

TEST(ClockSkew, OtherAuthFailuresDoNotTouchTheClock) {
  TestServer server([](const httplib::Request&, httplib::Response& res) {
    res.set_header("Date", http_date(kLocalNow + 3600));
    res.set_content(R"({"Response":{"Error":{"Code":"AuthFailure.SignatureFailure","Message":"x"},)"
                    R"("RequestId":"e"}})",
                    "application/json");
  });
  Corrections corrections;
  Client client(options_for(server.endpoint(), corrections));
  EXPECT_FALSE(client.list_nodes().ok());
  EXPECT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(client.clock_skew(), 0);
}

// End to end against the simulator on the real clocks: it runs 15 minutes ahead, beyond the
// 5 minutes a signature is valid for.
TEST(ClockSkew, SimulatorAheadOfTheSystemClock) {
  for (const int offset : {900, -900}) {
    sim::Options so;
    so.clock_offset_seconds = offset;
    so.org.members = 3;
    sim::Simulator sim(so);
    sim.start();
    Corrections corrections;
    ClientOptions o = options_for(sim.endpoint(), corrections);
    o.credentials = [&so] { return Credentials{so.secret_id, so.secret_key, ""}; };
    o.clock = nullptr;  // the system clock
    Client client(std::move(o));
    const auto nodes = client.list_nodes();
    ASSERT_TRUE(nodes.ok()) << nodes.error().to_string();
    // Date has one-second resolution, and a second may tick during the request.
    EXPECT_NEAR(static_cast<double>(client.clock_skew()), offset, 1.0);
    EXPECT_EQ(corrections.seen.size(), 1u);
    EXPECT_EQ(sim.stats().errors["AuthFailure.SignatureExpire"], 1u);
  }
}

TEST(ClockSkew, GaugeStartsAtZeroAndShowsTheCorrection) {
  prometheus::Registry registry;
  metrics::ApiMetrics metrics(registry);
  const auto text = [&] { return prometheus::TextSerializer().Serialize(registry.Collect()); };
  EXPECT_NE(text().find("\ntencentcloud_org_clock_skew_seconds 0\n"), std::string::npos) << text();
  metrics.set_clock_skew(-42);
  EXPECT_NE(text().find("\ntencentcloud_org_clock_skew_seconds -42\n"), std::string::npos);
}

}  // namespace
}  // namespace tcorg::api
