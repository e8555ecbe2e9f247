#include "exporter/api/transport.h"

#include <httplib.h>
#include <openssl/x509.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <fstream>
#include <stdexcept>

namespace tcorg::api::detail {
namespace {

// Idle connections kept for reuse; more than this in flight at once are closed after use.
constexpr std::size_t kMaxIdle = 16;
// Idle connections older than this are closed rather than reused: below common server keep-alive
// (nginx 75 s) and NAT idle timeouts, which may drop a connection without telling the client.
constexpr auto kMaxIdleAge = std::chrono::seconds(30);

ApiError error_of(ErrorKind kind, std::string message) {
  ApiError e;
  e.kind = kind;
  e.message = std::move(message);
  return e;
}

std::string millis(std::chrono::milliseconds d) {
  return std::to_string(d.count()) + " ms";
}

// Why certificate verification failed, from OpenSSL's verify result (host mismatch leaves it OK).
std::string verify_reason(httplib::ClientImpl& connection) {
  const auto* ssl = dynamic_cast<httplib::SSLClient*>(&connection);
  if (ssl == nullptr) return "unknown reason";
  const long result = ssl->get_openssl_verify_result();
  if (result == X509_V_OK) return "certificate does not match the host name";
  return X509_verify_cert_error_string(result);
}

// Digits of `text` as an integer, or -1 unless all of them are digits.
int digits(std::string_view text) {
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc() && end == text.data() + text.size() && text.front() != '-' ? value : -1;
}

// httplib reports a read/write timeout as a plain Read/Write error: a failure that took (nearly)
// the whole timeout was the timeout; a quicker one was the connection breaking.
bool timed_out(httplib::Error error, std::chrono::steady_clock::duration elapsed,
               std::chrono::milliseconds timeout) {
  return (error == httplib::Error::Read || error == httplib::Error::Write) &&
         elapsed * 10 >= timeout * 9;
}

// Broken in the first tenth of the timeout: a server that read the request would take longer to
// give up on it; one that closes an idle connection as the request arrives resets it at once.
bool broke_at_once(httplib::Error error, std::chrono::steady_clock::duration elapsed,
                   std::chrono::milliseconds timeout) {
  return (error == httplib::Error::Read || error == httplib::Error::Write) &&
         elapsed * 10 < timeout;
}

}  // namespace

std::optional<std::int64_t> parse_http_date(std::string_view text) {
  // "Sun, 06 Nov 1994 08:49:37 GMT": fixed width, so each field sits at a fixed offset.
  static constexpr std::array<std::string_view, 7> kDays = {"Sun", "Mon", "Tue", "Wed",
                                                            "Thu", "Fri", "Sat"};
  static constexpr std::array<std::string_view, 12> kMonths = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (text.size() != 29 || text.substr(3, 2) != ", " || text[7] != ' ' || text[11] != ' ' ||
      text[16] != ' ' || text[19] != ':' || text[22] != ':' || text.substr(25) != " GMT") {
    return std::nullopt;
  }
  const auto day_name = std::find(kDays.begin(), kDays.end(), text.substr(0, 3));
  const auto month = std::find(kMonths.begin(), kMonths.end(), text.substr(8, 3));
  const int day = digits(text.substr(5, 2));
  const int year = digits(text.substr(12, 4));
  const int hour = digits(text.substr(17, 2));
  const int minute = digits(text.substr(20, 2));
  const int second = digits(text.substr(23, 2));
  if (day_name == kDays.end() || month == kMonths.end() || day < 0 || year < 0 || hour > 23 ||
      hour < 0 || minute > 59 || minute < 0 || second > 60 || second < 0) {
    return std::nullopt;
  }
  using namespace std::chrono;
  const year_month_day date{std::chrono::year(year),
                            std::chrono::month(static_cast<unsigned>(month - kMonths.begin() + 1)),
                            std::chrono::day(static_cast<unsigned>(day))};
  if (!date.ok()) return std::nullopt;
  const sys_days days(date);
  // A wrong weekday means the sender's formatting is broken: trust none of it.
  if (weekday(days).c_encoding() != static_cast<unsigned>(day_name - kDays.begin())) {
    return std::nullopt;
  }
  return duration_cast<seconds>(days.time_since_epoch()).count() + hour * 3600 + minute * 60 +
         second;
}

Transport::Transport(Endpoint endpoint, std::chrono::milliseconds timeout, std::string ca_file)
    : endpoint_(std::move(endpoint)), timeout_(timeout), ca_file_(std::move(ca_file)) {
  if (timeout_.count() <= 0) throw std::invalid_argument("API timeout must be positive");
  if (!ca_file_.empty() && !std::ifstream(ca_file_).good()) {
    throw std::invalid_argument("CA file \"" + ca_file_ + "\" cannot be read");
  }
}

Transport::~Transport() = default;

std::unique_ptr<httplib::ClientImpl> Transport::take() {
  {
    std::lock_guard lock(mu_);
    // The newest is at the back: if it is too old, all are.
    if (!idle_.empty() && std::chrono::steady_clock::now() - idle_.back().since > kMaxIdleAge) {
      idle_.clear();
    }
    if (!idle_.empty()) {
      auto c = std::move(idle_.back().connection);
      idle_.pop_back();
      return c;
    }
    ++opened_;
  }
  std::unique_ptr<httplib::ClientImpl> c;
  if (endpoint_.https) {
    auto tls = std::make_unique<httplib::SSLClient>(endpoint_.host, endpoint_.port);
    tls->enable_server_certificate_verification(true);
    if (!ca_file_.empty()) tls->set_ca_cert_path(ca_file_);
    c = std::move(tls);
  } else {
    c = std::make_unique<httplib::ClientImpl>(endpoint_.host, endpoint_.port);
  }
  c->set_keep_alive(true);
  // httplib writes a request in pieces; with Nagle on, a reused connection waits ~40 ms for the
  // server's delayed ACK on every call (measured).
  c->set_tcp_nodelay(true);
  // httplib applies these per connect / per socket read or write; a silent server therefore
  // fails after `timeout_` (post() also cuts a body that trickles in past the deadline).
  c->set_connection_timeout(timeout_);
  c->set_read_timeout(timeout_);
  c->set_write_timeout(timeout_);
  return c;
}

void Transport::give_back(std::unique_ptr<httplib::ClientImpl> connection) {
  std::lock_guard lock(mu_);
  if (idle_.size() < kMaxIdle) {
    idle_.push_back({std::move(connection), std::chrono::steady_clock::now()});
  }
}

std::uint64_t Transport::connections_opened() const {
  std::lock_guard lock(mu_);
  return opened_;
}

std::size_t Transport::idle_connections() const {
  std::lock_guard lock(mu_);
  return idle_.size();
}

Result<HttpAnswer> Transport::send(std::string method, std::string path, const HeaderList& headers,
                                   std::string body) {
  using Clock = std::chrono::steady_clock;
  auto connection = take();
  httplib::Request req;
  req.method = std::move(method);
  req.path = std::move(path);
  req.body = std::move(body);
  for (const auto& [name, value] : headers) req.headers.emplace(name, value);
  const auto start = Clock::now();
  const auto deadline = start + timeout_;
  req.progress = [deadline](std::uint64_t, std::uint64_t) { return Clock::now() < deadline; };

  // Open only when it comes from the idle stack: the server may have closed it since.
  const bool reused = connection->is_socket_open() != 0;
  auto res = connection->send(req);
  if (!res && reused && broke_at_once(res.error(), Clock::now() - start, timeout_)) {
    // The server ended the idle connection (its keep-alive timeout) as the request went out, so
    // it never read it: send it once more, on a new connection (httplib reconnects), as Go's
    // http.Transport does. Every action sent here only reads, and the cloud has seen one request.
    res = connection->send(req);
  }
  if (res) {
    HttpAnswer answer{res->status, std::move(res->body),
                      parse_http_date(res->get_header_value("Date"))};
    give_back(std::move(connection));
    return answer;
  }
  // The connection is dropped (not given back): its socket state is unknown after a failure.
  const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
  const std::string& host = endpoint_.host_header;
  switch (res.error()) {
    case httplib::Error::ConnectionTimeout:
      return error_of(ErrorKind::kTimeout, "connecting to " + host + " timed out after " +
                                               millis(elapsed) + " (timeout " + millis(timeout_) +
                                               ")");
    case httplib::Error::Canceled:  // the deadline check in req.progress
      return error_of(ErrorKind::kTimeout,
                      "answer from " + host + " not complete within " + millis(timeout_));
    case httplib::Error::Read:
    case httplib::Error::Write:
      if (timed_out(res.error(), elapsed, timeout_)) {
        return error_of(ErrorKind::kTimeout,
                        "no answer from " + host + " within " + millis(timeout_));
      }
      return error_of(
          ErrorKind::kTransport,
          std::string("connection to ") + host + " failed while " +
              (res.error() == httplib::Error::Read ? "reading the answer" : "sending the request"));
    case httplib::Error::Connection:
      return error_of(ErrorKind::kTransport,
                      "cannot connect to " + host + " (refused, unreachable or unresolvable)");
    case httplib::Error::SSLConnection:
      return error_of(ErrorKind::kTransport, "TLS handshake with " + host + " failed");
    case httplib::Error::SSLServerVerification:
      return error_of(ErrorKind::kTransport, "TLS certificate verification failed for " + host +
                                                 ": " + verify_reason(*connection));
    case httplib::Error::SSLLoadingCerts:
      return error_of(
          ErrorKind::kTransport,
          "cannot load CA certificates" + (ca_file_.empty() ? std::string(" from the system store")
                                                            : " from \"" + ca_file_ + "\""));
    case httplib::Error::Compression:
      return error_of(ErrorKind::kDecode, "answer from " + host + " could not be decompressed");
    default:
      return error_of(ErrorKind::kTransport,
                      "request to " + host + " failed: " + httplib::to_string(res.error()));
  }
}

}  // namespace tcorg::api::detail
