#include "exporter/api/transport.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <thread>

#include "test_server.h"

namespace tcorg::api::detail {
namespace {

using namespace std::chrono_literals;
using api::testing::ResettingServer;
using api::testing::SilentListener;
using api::testing::TestServer;
using Clock = std::chrono::steady_clock;

void ok_handler(const httplib::Request&, httplib::Response& res) {
  res.set_content(R"({"Response":{"RequestId":"r"}})", "application/json");
}

Transport transport_to(const std::string& endpoint, std::chrono::milliseconds timeout = 2000ms,
                       const std::string& ca_file = "") {
  return Transport(parse_endpoint(endpoint, true), timeout, ca_file);
}

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

TEST(Transport, PostsAndReturnsAnyStatus) {
  TestServer server([](const httplib::Request& req, httplib::Response& res) {
    res.status = req.body == "teapot" ? 418 : 200;
    res.set_content(req.body, "text/plain");
  });
  Transport t = transport_to(server.endpoint());
  const auto a = t.post({{"Content-Type", "application/json"}}, "hello");
  ASSERT_TRUE(a.ok()) << a.error().to_string();
  EXPECT_EQ(a->status, 200);
  EXPECT_EQ(a->body, "hello");
  const auto b = t.post({}, "teapot");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->status, 418);
}

TEST(Transport, KeepAliveReusesOneConnection) {
  TestServer server(ok_handler);
  Transport t = transport_to(server.endpoint());
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(t.post({}, "{}").ok());
  EXPECT_EQ(t.connections_opened(), 1u);
  EXPECT_EQ(server.connections(), 1u);
  EXPECT_EQ(t.idle_connections(), 1u);
}

TEST(Transport, ReconnectsWhenServerCloses) {
  // A server that closes after every answer: the pooled client notices and reconnects.
  TestServer server([](const httplib::Request& req, httplib::Response& res) {
    res.set_header("Connection", "close");
    ok_handler(req, res);
  });
  Transport t = transport_to(server.endpoint());
  for (int i = 0; i < 5; ++i) {
    const auto a = t.post({}, "{}");
    ASSERT_TRUE(a.ok()) << i << ": " << a.error().to_string();
  }
  EXPECT_EQ(server.connections(), 5u);
  EXPECT_EQ(t.connections_opened(), 1u);
}

TEST(Transport, ReconnectsAfterIdleTimeout) {
  // The server drops idle keep-alive connections after 1 s; the next call must still succeed.
  TestServer server(ok_handler);
  server.set_keep_alive_timeout(1);
  Transport t = transport_to(server.endpoint());
  ASSERT_TRUE(t.post({}, "{}").ok());
  std::this_thread::sleep_for(1500ms);
  const auto a = t.post({}, "{}");
  ASSERT_TRUE(a.ok()) << a.error().to_string();
  EXPECT_EQ(server.connections(), 2u);
}

TEST(Transport, KeptConnectionClosedAsTheRequestArrivesIsRetriedOnANewOne) {
  ResettingServer server(1);
  Transport t = transport_to(server.endpoint());
  ASSERT_TRUE(t.post({}, "{}").ok());
  const auto again = t.post({}, "{}");  // the kept connection is reset: a new one answers
  ASSERT_TRUE(again.ok()) << again.error().to_string();
  EXPECT_EQ(server.connections(), 2);
  EXPECT_EQ(server.answers(), 2);
}

TEST(Transport, NewConnectionThatBreaksIsAnErrorNotARetry) {
  ResettingServer server(0);  // resets every request, the first on a connection too
  Transport t = transport_to(server.endpoint());
  const auto a = t.post({}, "{}");
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.error().kind, ErrorKind::kTransport) << a.error().to_string();
  EXPECT_EQ(server.connections(), 1);
  EXPECT_EQ(server.answers(), 0);
}

TEST(Transport, ConcurrentCallsUseSeparateConnections) {
  TestServer server([](const httplib::Request& req, httplib::Response& res) {
    std::this_thread::sleep_for(20ms);
    ok_handler(req, res);
  });
  Transport t = transport_to(server.endpoint());
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      for (int j = 0; j < 5; ++j) ok += t.post({}, "{}").ok() ? 1 : 0;
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok, 20);
  EXPECT_LE(t.connections_opened(), 4u);
  EXPECT_GE(t.connections_opened(), 2u);
}

std::string gzip(const std::string& data) {
  z_stream z{};
  deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY);  // 31: gzip
  std::string out(deflateBound(&z, data.size()) + 32, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

TEST(Transport, GzipAnswerIsDecompressed) {
  const std::string json = R"({"pad":")" + std::string(20000, 'a') + R"("})";
  TestServer server([&](const httplib::Request&, httplib::Response& res) {
    // Not a JSON content type: httplib's server would gzip it a second time.
    res.set_header("Content-Encoding", "gzip");
    res.set_content(gzip(json), "application/octet-stream");
  });
  Transport t = transport_to(server.endpoint());
  const auto a = t.post({{"Accept-Encoding", "gzip"}}, "{}");
  ASSERT_TRUE(a.ok()) << a.error().to_string();
  EXPECT_EQ(a->body, json);
  EXPECT_EQ(server.requests().at(0).headers.find("Accept-Encoding")->second, "gzip");
}

TEST(Transport, CorruptGzipIsAnError) {
  TestServer server([&](const httplib::Request&, httplib::Response& res) {
    res.set_header("Content-Encoding", "gzip");
    res.set_content("this is not gzip", "application/octet-stream");
  });
  Transport t = transport_to(server.endpoint());
  const auto a = t.post({{"Accept-Encoding", "gzip"}}, "{}");
  // httplib 0.11.4 reports a failed inflate as a read error, so it surfaces as kTransport.
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.error().kind, ErrorKind::kTransport) << a.error().to_string();
}

TEST(Transport, ClosedPortIsTransportError) {
  Transport t = transport_to("http://127.0.0.1:" + std::to_string(api::testing::closed_port()));
  const auto a = t.post({}, "{}");
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.error().kind, ErrorKind::kTransport);
  EXPECT_NE(a.error().message.find("cannot connect to 127.0.0.1:"), std::string::npos)
      << a.error().message;
}

TEST(Transport, SilentServerTimesOutOnTime) {
  SilentListener silent;
  for (const auto timeout : {300ms, 700ms}) {
    Transport t = transport_to("http://127.0.0.1:" + std::to_string(silent.port()), timeout);
    const auto start = Clock::now();
    const auto a = t.post({}, "{}");
    const double elapsed = ms_since(start);
    ASSERT_FALSE(a.ok());
    EXPECT_EQ(a.error().kind, ErrorKind::kTimeout) << a.error().to_string();
    EXPECT_GE(elapsed, static_cast<double>(timeout.count()) * 0.9);
    EXPECT_LT(elapsed, static_cast<double>(timeout.count()) + 200);
    std::printf("timeout %ld ms -> came back after %.1f ms\n", static_cast<long>(timeout.count()),
                elapsed);
  }
}

TEST(Transport, TrickledBodyIsCutAtTheDeadline) {
  // Headers at once, then one byte every 50 ms: each read is quick, the whole answer is not.
  TestServer server([](const httplib::Request&, httplib::Response& res) {
    res.set_content_provider(100, "application/json",
                             [](std::size_t offset, std::size_t, httplib::DataSink& sink) {
                               std::this_thread::sleep_for(50ms);
                               return sink.write(" ", 1) && offset < 100;
                             });
  });
  Transport t = transport_to(server.endpoint(), 400ms);
  const auto start = Clock::now();
  const auto a = t.post({}, "{}");
  const double elapsed = ms_since(start);
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.error().kind, ErrorKind::kTimeout) << a.error().to_string();
  EXPECT_LT(elapsed, 700);
  std::printf("trickled body cut after %.1f ms (timeout 400 ms)\n", elapsed);
}

class TlsTransport : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    loopback_cert_ =
        new api::testing::TempCert(api::testing::make_self_signed_cert("localhost", true));
    other_cert_ =
        new api::testing::TempCert(api::testing::make_self_signed_cert("example.invalid", false));
  }
  static void TearDownTestSuite() {
    for (auto* c : {loopback_cert_, other_cert_}) {
      std::system(("rm -rf " + c->dir).c_str());
      delete c;
    }
  }
  static api::testing::TempCert* loopback_cert_;
  static api::testing::TempCert* other_cert_;
};
api::testing::TempCert* TlsTransport::loopback_cert_ = nullptr;
api::testing::TempCert* TlsTransport::other_cert_ = nullptr;

TEST_F(TlsTransport, SelfSignedCertificateIsRejected) {
  TestServer server(ok_handler, loopback_cert_->cert_path, loopback_cert_->key_path);
  Transport t = transport_to(server.endpoint("https"));
  const auto a = t.post({}, "{}");
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.error().kind, ErrorKind::kTransport);
  EXPECT_EQ(a.error().message, "TLS certificate verification failed for 127.0.0.1:" +
                                   std::to_string(server.port()) + ": self-signed certificate");
}

TEST_F(TlsTransport, TrustedViaCaFile) {
  TestServer server(ok_handler, loopback_cert_->cert_path, loopback_cert_->key_path);
  for (const std::string host : {"127.0.0.1", "localhost"}) {
    Transport t(parse_endpoint("https://" + host + ":" + std::to_string(server.port()), false),
                2000ms, loopback_cert_->cert_path);
    const auto a = t.post({}, "{}");
    ASSERT_TRUE(a.ok()) << host << ": " << a.error().to_string();
    EXPECT_EQ(a->status, 200);
  }
}

TEST_F(TlsTransport, HostNameMismatchIsRejected) {
  TestServer server(ok_handler, other_cert_->cert_path, other_cert_->key_path);
  Transport t = transport_to(server.endpoint("https"), 2000ms, other_cert_->cert_path);
  const auto a = t.post({}, "{}");
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.error().kind, ErrorKind::kTransport);
  EXPECT_NE(a.error().message.find("does not match the host name"), std::string::npos)
      << a.error().message;
}

TEST_F(TlsTransport, SystemStoreIsOpenSslDefault) {
  // Without ca_file the client trusts OpenSSL's default store, which SSL_CERT_FILE replaces:
  // so trusting our certificate through it proves the system store (not nothing) is loaded.
  TestServer server(ok_handler, loopback_cert_->cert_path, loopback_cert_->key_path);
  ::setenv("SSL_CERT_FILE", loopback_cert_->cert_path.c_str(), 1);
  Transport t = transport_to(server.endpoint("https"));
  const auto a = t.post({}, "{}");
  ::unsetenv("SSL_CERT_FILE");
  ASSERT_TRUE(a.ok()) << a.error().to_string();
}

TEST_F(TlsTransport, HttpsToPlainHttpPortIsHandshakeFailure) {
  TestServer server(ok_handler);
  Transport t = transport_to(server.endpoint("https"));
  const auto a = t.post({}, "{}");
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.error().kind, ErrorKind::kTransport);
  EXPECT_EQ(a.error().message,
            "TLS handshake with 127.0.0.1:" + std::to_string(server.port()) + " failed");
}

TEST(Transport, SetupErrorsThrow) {
  EXPECT_THROW(Transport(parse_endpoint("https://h", false), 0ms, ""), std::invalid_argument);
  EXPECT_THROW(Transport(parse_endpoint("https://h", false), 1000ms, "/nonexistent/ca.pem"),
               std::invalid_argument);
}

}  // namespace
}  // namespace tcorg::api::detail
