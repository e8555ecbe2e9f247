#include "exporter/api/transport.h"

#include <httplib.h>
#include <openssl/x509.h>

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

}  // namespace

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

Result<HttpAnswer> Transport::post(const HeaderList& headers, std::string body) {
  using Clock = std::chrono::steady_clock;
  auto connection = take();
  httplib::Request req;
  req.method = "POST";
  req.path = "/";
  req.body = std::move(body);
  for (const auto& [name, value] : headers) req.headers.emplace(name, value);
  const auto start = Clock::now();
  const auto deadline = start + timeout_;
  req.progress = [deadline](std::uint64_t, std::uint64_t) { return Clock::now() < deadline; };

  auto res = connection->send(req);
  if (res) {
    HttpAnswer answer{res->status, std::move(res->body)};
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
      // httplib reports a read/write timeout as a plain Read/Write error: a failure that took
      // (nearly) the whole timeout was the timeout; a quick one was the connection breaking.
      if (elapsed * 10 >= timeout_ * 9) {
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
