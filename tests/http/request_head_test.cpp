#include "exporter/http/request_head.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace tcorg::http {
namespace {

constexpr std::size_t kMax = 16 * 1024;

HeadStatus parse(std::string_view data, RequestHead& out, std::size_t max_size = kMax) {
  return parse_request_head(data, max_size, out);
}

HeadStatus parse(std::string_view data) {
  RequestHead out;
  return parse_request_head(data, kMax, out);
}

TEST(RequestHead, SimpleGet) {
  const std::string data =
      "GET /metrics?debug=1&x=y HTTP/1.1\r\nHost: localhost:10110\r\n"
      "Accept-Encoding: gzip\r\nX-Empty:\r\nX-Padded: \t value \t\r\n\r\n";
  RequestHead head;
  ASSERT_EQ(parse(data, head), HeadStatus::kComplete);
  const httplib::Request& req = head.request;
  EXPECT_EQ(req.method, "GET");
  EXPECT_EQ(req.target, "/metrics?debug=1&x=y");
  EXPECT_EQ(req.path, "/metrics");
  EXPECT_EQ(req.version, "HTTP/1.1");
  EXPECT_EQ(req.get_header_value("Host"), "localhost:10110");
  EXPECT_EQ(req.get_header_value("host"), "localhost:10110");
  EXPECT_EQ(req.get_header_value("ACCEPT-ENCODING"), "gzip");
  EXPECT_TRUE(req.has_header("X-Empty"));
  EXPECT_EQ(req.get_header_value("X-Empty"), "");
  EXPECT_EQ(req.get_header_value("x-padded"), "value");  // optional whitespace trimmed
  EXPECT_FALSE(req.has_header("Connection"));
  EXPECT_EQ(head.size, data.size());
  EXPECT_EQ(head.body_length, 0u);
  EXPECT_TRUE(head.keep_alive);
}

// RFC 9112 3.2.2: the absolute form, as proxies send it, is served as its path and query.
TEST(RequestHead, AbsoluteFormServedAsItsPath) {
  const struct {
    std::string_view target, want_target, want_path;
  } cases[] = {
      {"http://exporter:10110/metrics?debug=1", "/metrics?debug=1", "/metrics"},
      {"HTTPS://exporter/metrics", "/metrics", "/metrics"},
      {"http://exporter:10110", "/", "/"},
      {"http://exporter?x=1", "/?x=1", "/"},
      {"ftp://exporter/metrics", "ftp://exporter/metrics", "ftp://exporter/metrics"},
      {"/a://b", "/a://b", "/a://b"},
  };
  for (const auto& c : cases) {
    RequestHead head;
    const std::string data = "GET " + std::string(c.target) + " HTTP/1.1\r\nHost: x\r\n\r\n";
    ASSERT_EQ(parse(data, head), HeadStatus::kComplete) << c.target;
    EXPECT_EQ(head.request.target, c.want_target) << c.target;
    EXPECT_EQ(head.request.path, c.want_path) << c.target;
  }
}

TEST(RequestHead, OtherMethodsAndHttp10) {
  RequestHead head;
  ASSERT_EQ(parse("HEAD / HTTP/1.0\r\n\r\n", head), HeadStatus::kComplete);
  EXPECT_EQ(head.request.method, "HEAD");
  EXPECT_EQ(head.request.target, "/");
  EXPECT_EQ(head.request.path, "/");
  EXPECT_EQ(head.request.version, "HTTP/1.0");
  EXPECT_TRUE(head.request.headers.empty());
  ASSERT_EQ(parse("OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n", head), HeadStatus::kComplete);
  EXPECT_EQ(head.request.method, "OPTIONS");
  EXPECT_EQ(head.request.target, "*");
}

TEST(RequestHead, IncompleteUntilTheBlankLine) {
  const std::string full = "GET /metrics HTTP/1.1\r\nHost: a\r\n\r\n";
  // Every proper prefix is incomplete, including one ending in a single CRLF.
  for (std::size_t n = 0; n < full.size(); ++n) {
    EXPECT_EQ(parse(full.substr(0, n)), HeadStatus::kIncomplete) << n;
  }
  EXPECT_EQ(parse(full), HeadStatus::kComplete);
}

TEST(RequestHead, TooLargeOnceOverMaxSize) {
  const std::string start = "GET / HTTP/1.1\r\nHost: h\r\nX-Pad: ";
  // No end yet: incomplete up to max_size bytes, too large beyond.
  RequestHead head;
  EXPECT_EQ(parse(start + std::string(100 - start.size(), 'a'), head, 100),
            HeadStatus::kIncomplete);
  EXPECT_EQ(parse(start + std::string(101 - start.size(), 'a'), head, 100), HeadStatus::kTooLarge);
  // A whole head larger than max_size is too large as well; one of exactly max_size is not.
  const std::string exact = start + std::string(100 - start.size() - 4, 'a') + "\r\n\r\n";
  ASSERT_EQ(exact.size(), 100u);
  EXPECT_EQ(parse(exact, head, 100), HeadStatus::kComplete);
  EXPECT_EQ(head.size, 100u);
  EXPECT_EQ(parse(start + std::string(100 - start.size(), 'a') + "\r\n\r\n", head, 100),
            HeadStatus::kTooLarge);
  // The default limit of the server.
  EXPECT_EQ(parse(start + std::string(kMax, 'a')), HeadStatus::kTooLarge);
}

TEST(RequestHead, BareLineFeeds) {
  RequestHead head;
  const std::string data = "GET /x HTTP/1.1\nHost: a\nConnection: close\n\n";
  ASSERT_EQ(parse(data, head), HeadStatus::kComplete);
  EXPECT_EQ(head.request.path, "/x");
  EXPECT_EQ(head.request.version, "HTTP/1.1");
  EXPECT_EQ(head.request.get_header_value("Host"), "a");
  EXPECT_FALSE(head.keep_alive);
  EXPECT_EQ(head.size, data.size());
  // Mixed: CRLF lines ended by a bare LF, and the other way round.
  const std::string mixed = "GET /y HTTP/1.1\r\nHost: b\r\n\n";
  ASSERT_EQ(parse(mixed, head), HeadStatus::kComplete);
  EXPECT_EQ(head.request.get_header_value("Host"), "b");
  EXPECT_EQ(head.size, mixed.size());
  const std::string mixed2 = "GET /z HTTP/1.1\nHost: c\n\r\n";
  ASSERT_EQ(parse(mixed2, head), HeadStatus::kComplete);
  EXPECT_EQ(head.request.get_header_value("Host"), "c");
  EXPECT_EQ(head.size, mixed2.size());
  EXPECT_EQ(parse("GET / HTTP/1.1\nHost: a\n"), HeadStatus::kIncomplete);
}

TEST(RequestHead, LeadingEmptyLinesIgnored) {
  RequestHead head;
  const std::string data = "\r\n\r\n\nGET /metrics HTTP/1.1\r\nHost: h\r\n\r\n";
  ASSERT_EQ(parse(data, head), HeadStatus::kComplete);
  EXPECT_EQ(head.request.method, "GET");
  EXPECT_EQ(head.request.path, "/metrics");
  EXPECT_EQ(head.size, data.size());  // the empty lines are used up too
  // Only empty lines so far: wait for the request.
  EXPECT_EQ(parse("\r\n\r\n"), HeadStatus::kIncomplete);
}

TEST(RequestHead, SizeCountsTheHeadExactlySoPipelinedRequestsRemain) {
  const std::string first = "GET /metrics HTTP/1.1\r\nHost: a\r\n\r\n";
  const std::string second = "HEAD /-/healthy HTTP/1.1\r\nHost: b\r\n\r\n";
  const std::string data = first + second + "GET /-/re";
  RequestHead head;
  ASSERT_EQ(parse(data, head), HeadStatus::kComplete);
  EXPECT_EQ(head.size, first.size());
  EXPECT_EQ(head.request.path, "/metrics");
  EXPECT_EQ(head.request.get_header_value("Host"), "a");
  EXPECT_FALSE(head.request.has_header("HEAD /-/healthy HTTP/1.1"));
  std::string_view rest(data);
  rest.remove_prefix(head.size);
  ASSERT_EQ(parse(rest, head), HeadStatus::kComplete);
  EXPECT_EQ(head.size, second.size());
  EXPECT_EQ(head.request.method, "HEAD");
  EXPECT_EQ(head.request.path, "/-/healthy");
  EXPECT_EQ(head.request.get_header_value("Host"), "b");
  rest.remove_prefix(head.size);
  EXPECT_EQ(rest, "GET /-/re");
  EXPECT_EQ(parse(rest, head), HeadStatus::kIncomplete);
}

TEST(RequestHead, SizeExcludesTheBody) {
  const std::string h = "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\n";
  RequestHead head;
  ASSERT_EQ(parse(h + "hello", head), HeadStatus::kComplete);
  EXPECT_EQ(head.size, h.size());
  EXPECT_EQ(head.body_length, 5u);
}

// RFC 9112 3.2: an HTTP/1.1 request has exactly one Host (Go's server answers 400 too).
TEST(RequestHead, Http11NeedsExactlyOneHost) {
  EXPECT_EQ(parse("GET / HTTP/1.1\r\n\r\n"), HeadStatus::kBad);
  EXPECT_EQ(parse("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"), HeadStatus::kBad);
  EXPECT_EQ(parse("GET / HTTP/1.1\r\nhost: a\r\n\r\n"), HeadStatus::kComplete);
  EXPECT_EQ(parse("GET / HTTP/1.1\r\nHost:\r\n\r\n"), HeadStatus::kComplete);  // may be empty
  EXPECT_EQ(parse("GET / HTTP/1.0\r\n\r\n"), HeadStatus::kComplete);  // 1.0 has no such rule
}

TEST(RequestHead, KeepAliveHttp11) {
  RequestHead head;
  ASSERT_EQ(parse("GET / HTTP/1.1\r\nHost: h\r\n\r\n", head), HeadStatus::kComplete);
  EXPECT_TRUE(head.keep_alive);
  for (const char* value : {"close", "Close", "CLOSE", "foo, Close", "close , foo", " close "}) {
    ASSERT_EQ(
        parse(std::string("GET / HTTP/1.1\r\nHost: h\r\nConnection: ") + value + "\r\n\r\n", head),
        HeadStatus::kComplete)
        << value;
    EXPECT_FALSE(head.keep_alive) << value;
  }
  // Header names ignore case too.
  ASSERT_EQ(parse("GET / HTTP/1.1\r\nHost: h\r\nconnection: close\r\n\r\n", head),
            HeadStatus::kComplete);
  EXPECT_FALSE(head.keep_alive);
  for (const char* value : {"keep-alive", "closed", "foo", "", "xclose"}) {
    ASSERT_EQ(
        parse(std::string("GET / HTTP/1.1\r\nHost: h\r\nConnection: ") + value + "\r\n\r\n", head),
        HeadStatus::kComplete)
        << value;
    EXPECT_TRUE(head.keep_alive) << value;
  }
}

TEST(RequestHead, KeepAliveHttp10) {
  RequestHead head;
  ASSERT_EQ(parse("GET / HTTP/1.0\r\n\r\n", head), HeadStatus::kComplete);
  EXPECT_FALSE(head.keep_alive);
  for (const char* value : {"keep-alive", "Keep-Alive", "foo, KEEP-ALIVE"}) {
    ASSERT_EQ(parse(std::string("GET / HTTP/1.0\r\nConnection: ") + value + "\r\n\r\n", head),
              HeadStatus::kComplete)
        << value;
    EXPECT_TRUE(head.keep_alive) << value;
  }
  ASSERT_EQ(parse("GET / HTTP/1.0\r\nConnection: close\r\n\r\n", head), HeadStatus::kComplete);
  EXPECT_FALSE(head.keep_alive);
}

TEST(RequestHead, ContentLength) {
  RequestHead head;
  ASSERT_EQ(parse("GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 1234\r\n\r\n", head),
            HeadStatus::kComplete);
  EXPECT_EQ(head.body_length, 1234u);
  ASSERT_EQ(parse("GET / HTTP/1.1\r\nHost: h\r\ncontent-length:0\r\n\r\n", head),
            HeadStatus::kComplete);
  EXPECT_EQ(head.body_length, 0u);
  // Repeated with the same value: allowed.
  ASSERT_EQ(
      parse("GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 7\r\nContent-Length: 7\r\n\r\n", head),
      HeadStatus::kComplete);
  EXPECT_EQ(head.body_length, 7u);
  // A previous parse leaves nothing behind.
  ASSERT_EQ(parse("GET / HTTP/1.1\r\nHost: h\r\n\r\n", head), HeadStatus::kComplete);
  EXPECT_EQ(head.body_length, 0u);
}

TEST(RequestHead, BadVersion) {
  EXPECT_EQ(parse("GET / HTTP/2.0\r\n\r\n"), HeadStatus::kBad);
  EXPECT_EQ(parse("GET / HTTP/1.2\r\n\r\n"), HeadStatus::kBad);
  EXPECT_EQ(parse("GET / http/1.1\r\n\r\n"), HeadStatus::kBad);
  EXPECT_EQ(parse("GET / garbage\r\n\r\n"), HeadStatus::kBad);
  EXPECT_EQ(parse("GET / HTTP/1.1x\r\n\r\n"), HeadStatus::kBad);
  EXPECT_EQ(parse("garbage\r\n\r\n"), HeadStatus::kBad);
  using namespace std::string_literals;
  EXPECT_EQ(parse("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n"s),  // TLS hello
            HeadStatus::kBad);
}

TEST(RequestHead, BadRequestLine) {
  EXPECT_EQ(parse("GET HTTP/1.1\r\nHost: h\r\n\r\n"), HeadStatus::kBad);   // no target
  EXPECT_EQ(parse("GET  HTTP/1.1\r\nHost: h\r\n\r\n"), HeadStatus::kBad);  // empty target
  EXPECT_EQ(parse("GET\r\n\r\n"), HeadStatus::kBad);
  EXPECT_EQ(parse(" / HTTP/1.1\r\nHost: h\r\n\r\n"), HeadStatus::kBad);  // no method
  EXPECT_EQ(parse("GET  / HTTP/1.1\r\nHost: h\r\n\r\n"), HeadStatus::kBad);
  EXPECT_EQ(parse("GET /  HTTP/1.1\r\nHost: h\r\n\r\n"), HeadStatus::kBad);
  EXPECT_EQ(parse("GET / HTTP/1.1 \r\n\r\n"), HeadStatus::kBad);
  EXPECT_EQ(parse(" GET / HTTP/1.1\r\nHost: h\r\n\r\n"), HeadStatus::kBad);
  EXPECT_EQ(parse("GET\t/\tHTTP/1.1\r\nHost: h\r\n\r\n"), HeadStatus::kBad);
  EXPECT_EQ(parse("G(T / HTTP/1.1\r\nHost: h\r\n\r\n"), HeadStatus::kBad);  // not a token
  EXPECT_EQ(parse("GET / HTTP/1.1\rX\r\n\r\n"), HeadStatus::kBad);          // CR inside a line
}

TEST(RequestHead, ControlCharactersInTarget) {
  EXPECT_EQ(parse("GET /a\tb HTTP/1.1\r\nHost: h\r\n\r\n"), HeadStatus::kBad);
  EXPECT_EQ(parse("GET /a\x01 HTTP/1.1\r\nHost: h\r\n\r\n"), HeadStatus::kBad);
  EXPECT_EQ(parse("GET /a\x7f HTTP/1.1\r\nHost: h\r\n\r\n"), HeadStatus::kBad);
  EXPECT_EQ(parse("GET /a\x1b[0m HTTP/1.1\r\nHost: h\r\n\r\n"), HeadStatus::kBad);
}

TEST(RequestHead, BadHeaders) {
  EXPECT_EQ(parse("GET / HTTP/1.1\r\nHost: h\r\nHost localhost\r\n\r\n"),
            HeadStatus::kBad);  // no colon
  EXPECT_EQ(parse("GET / HTTP/1.1\r\nHost: h\r\nHost : localhost\r\n\r\n"), HeadStatus::kBad);
  EXPECT_EQ(parse("GET / HTTP/1.1\r\nHost: h\r\nHost\t: localhost\r\n\r\n"), HeadStatus::kBad);
  EXPECT_EQ(parse("GET / HTTP/1.1\r\nHost: h\r\n: localhost\r\n\r\n"),
            HeadStatus::kBad);  // empty name
  EXPECT_EQ(parse("GET / HTTP/1.1\r\nHost: h\r\nX(y): z\r\n\r\n"), HeadStatus::kBad);
  // Obsolete line folding.
  EXPECT_EQ(parse("GET / HTTP/1.1\r\nHost: h\r\nX-A: b\r\n c\r\n\r\n"), HeadStatus::kBad);
  EXPECT_EQ(parse("GET / HTTP/1.1\r\nHost: h\r\nX-A: b\r\n\tc\r\n\r\n"), HeadStatus::kBad);
  EXPECT_EQ(parse("GET / HTTP/1.1\r\nHost: h\r\n Host: a\r\n\r\n"), HeadStatus::kBad);
  // A CR alone inside a header line.
  EXPECT_EQ(parse("GET / HTTP/1.1\r\nHost: h\r\nX-A: b\rc\r\n\r\n"), HeadStatus::kBad);
}

TEST(RequestHead, BadContentLength) {
  for (const char* value :
       {"abc", "5x", "-1", "+5", "0x10", "1 2", "", "1.0", "99999999999999999999999999"}) {
    EXPECT_EQ(
        parse(std::string("GET / HTTP/1.1\r\nHost: h\r\nContent-Length: ") + value + "\r\n\r\n"),
        HeadStatus::kBad)
        << '"' << value << '"';
  }
  EXPECT_EQ(parse("GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n"),
            HeadStatus::kBad);
  EXPECT_EQ(parse("GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 5, 6\r\n\r\n"), HeadStatus::kBad);
}

TEST(RequestHead, TransferEncodingRefused) {
  EXPECT_EQ(parse("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"),
            HeadStatus::kBad);
  EXPECT_EQ(parse("GET / HTTP/1.1\r\nHost: h\r\ntransfer-encoding: identity\r\n\r\n"),
            HeadStatus::kBad);
  EXPECT_EQ(
      parse(
          "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"),
      HeadStatus::kBad);
}

TEST(RequestHead, NulByte) {
  using namespace std::string_literals;
  EXPECT_EQ(parse("GET /\0 HTTP/1.1\r\nHost: h\r\n\r\n"s), HeadStatus::kBad);
  EXPECT_EQ(parse("GET / HTTP/1.1\0\r\n\r\n"s), HeadStatus::kBad);
  EXPECT_EQ(parse("GET / HTTP/1.1\r\nHost: h\r\nX-A: b\0c\r\n\r\n"s), HeadStatus::kBad);
  EXPECT_EQ(parse("GET / HTTP/1.1\r\nHost: h\r\nX-\0A: b\r\n\r\n"s), HeadStatus::kBad);
}

}  // namespace
}  // namespace tcorg::http
