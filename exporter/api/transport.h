#pragma once

// HTTP(S) requests (POSTs to the APIs, GETs of instance metadata) to one endpoint over a pool of
// keep-alive connections, with the per-request timeout and httplib's failures turned into ApiError
// values (kTransport / kTimeout). Knows nothing of signing or JSON. Private to the api library (and
// its tests).

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "exporter/api/endpoint.h"
#include "exporter/api/error.h"

namespace httplib {
class ClientImpl;
}

namespace tcorg::api::detail {

struct HttpAnswer {
  int status = 0;
  std::string body;  // decompressed
  // The server's clock when it answered (its Date header), Unix seconds; for clock-skew
  // correction.
  std::optional<std::int64_t> date;
};

// An HTTP Date header in IMF-fixdate form ("Sun, 06 Nov 1994 08:49:37 GMT", RFC 7231) as Unix
// seconds; nullopt for anything else. The obsolete RFC 850 and asctime forms are not accepted:
// servers must send IMF-fixdate, and a wrong correction is worse than none.
std::optional<std::int64_t> parse_http_date(std::string_view text);

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// Thread-safe. An httplib client must not serve two requests at once, so each post() takes an
// idle connection from a stack (or opens a new one) and puts it back when done; a connection that
// failed is dropped instead, and so is one idle for longer than a NAT or load balancer may keep it
// (a silently dropped connection would otherwise cost a full timeout). A request on a kept
// connection that breaks at once is sent once more on a new one: the server closed the idle
// connection as the request arrived, unread. HTTPS always verifies the server certificate and
// host name, against `ca_file` or else OpenSSL's default store (Debian: /etc/ssl/certs;
// SSL_CERT_FILE/SSL_CERT_DIR are honoured).
class Transport {
 public:
  // Throws std::invalid_argument if `ca_file` is set but unreadable, or the timeout is not
  // positive.
  Transport(Endpoint endpoint, std::chrono::milliseconds timeout, std::string ca_file);
  ~Transport();
  Transport(const Transport&) = delete;
  Transport& operator=(const Transport&) = delete;

  // POST / with exactly these headers (httplib adds Content-Length). Any HTTP status is an answer;
  // only a failure to get one is an error. A silent server gives kTimeout after about `timeout`.
  Result<HttpAnswer> post(const HeaderList& headers, std::string body) {
    return send("POST", "/", headers, std::move(body));
  }
  // The same for any method and path (instance metadata is GET).
  Result<HttpAnswer> send(std::string method, std::string path, const HeaderList& headers,
                          std::string body);

  const Endpoint& endpoint() const { return endpoint_; }
  // Connection objects created so far (each may reconnect if the server closed it while idle).
  std::uint64_t connections_opened() const;
  std::size_t idle_connections() const;

 private:
  std::unique_ptr<httplib::ClientImpl> take();
  void give_back(std::unique_ptr<httplib::ClientImpl> connection);

  const Endpoint endpoint_;
  const std::chrono::milliseconds timeout_;
  const std::string ca_file_;
  struct Idle {
    std::unique_ptr<httplib::ClientImpl> connection;
    std::chrono::steady_clock::time_point since;
  };
  mutable std::mutex mu_;
  std::vector<Idle> idle_;  // most recently used last
  std::uint64_t opened_ = 0;
};

}  // namespace tcorg::api::detail
