#pragma once

// The exporter's HTTP endpoints: `/` landing page, the telemetry path, `/-/healthy`, `/-/ready`.
// Handlers see only what they need through callbacks; the server never calls the cloud.
// With a web config (--web.config.file) every endpoint gets its TLS, basic auth and headers.
// Connections are served by event loops (event_server.h) and kept alive between requests.

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "exporter/metrics/exposition.h"
#include "exporter/web/web_config_file.h"

namespace tcorg::http {

struct ServerOptions {
  std::string listen_address = ":10110";  // host:port, [v6]:port, or :port for every address
  std::string telemetry_path = "/metrics";
  std::size_t threads = 2;  // event loops; a core each is plenty
  int max_requests = 0;     // --web.max-requests: scrapes at once, more get 503; 0: no limit
  std::size_t max_connections = 512;  // --web.max-connections: open at once, all loops together
  // TLS, basic auth and headers; empty: plain HTTP, open to all. Whether to serve TLS is
  // decided once, from what this returns when the Server is made.
  web::WebConfigSource web_config = {};
};

struct Handlers {
  std::function<bool()> ready;
  std::function<std::string()> landing_page;
  // The telemetry path's body in pieces, gzip-encoded when asked (see metrics::Exposition::body).
  // Called on an event loop with `may_wait` false, where nullopt means "not without waiting"; then
  // again on a pool thread with `may_wait` true, where it must answer.
  std::function<std::optional<metrics::Body>(bool gzip, bool may_wait)> metrics_body = {};
};

// Splits "host:port", "[::1]:port" or ":port"; an empty host means every address.
bool split_listen_address(const std::string& address, std::string& host, int& port);

class Server {
 public:
  Server(ServerOptions options, Handlers handlers);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds the listen address; returns the bound port, or -1 with `error` set. Call once.
  int bind(std::string& error);
  // Serves until stop(); call after a successful bind().
  void serve();
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tcorg::http
