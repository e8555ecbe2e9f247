#include "exporter/http/server.h"

#include <httplib.h>
#include <netinet/tcp.h>

#include <algorithm>
#include <charconv>
#include <memory>

#include "exporter/http/connection_pool.h"
#include "exporter/http/request_limit.h"
#include "exporter/http/tls.h"
#include "exporter/http/web_filter.h"
#include "exporter/metrics/gzip.h"

namespace tcorg::http {
namespace {

constexpr const char* kExpositionType = "text/plain; version=0.0.4; charset=utf-8";

// The telemetry path. The body is given to httplib through a content provider of known length:
// httplib 0.11 gzips (or brotli-compresses) a text/* body set with set_content whenever the
// client accepts it, even with a Content-Encoding already set, but never a provider's. So the
// encoding is ours alone: gzip only when asked, with the org part compressed once per cycle.
void serve_metrics(const Handlers& h, const httplib::Request& req, httplib::Response& res) {
  const bool gzip = metrics::accepts_gzip(req.get_header_value("Accept-Encoding"));
  auto body = std::make_shared<const metrics::Body>(
      h.metrics_body ? h.metrics_body(gzip) : metrics::Body::of_text(h.metrics(), gzip));
  res.set_header("Vary", "Accept-Encoding");
  if (body->gzip) res.set_header("Content-Encoding", "gzip");
  if (body->size() == 0) return res.set_content("", kExpositionType);
  res.set_content_provider(body->size(), kExpositionType,
                           [body](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
                             body->write(offset, length, [&sink](std::string_view part) {
                               sink.write(part.data(), part.size());
                             });
                             return true;
                           });
}

}  // namespace

bool split_listen_address(const std::string& address, std::string& host, int& port) {
  const auto colon = address.rfind(':');
  if (colon == std::string::npos) return false;
  host = address.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  const std::string p = address.substr(colon + 1);
  const auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), port);
  return ec == std::errc() && end == p.data() + p.size() && !p.empty() && port >= 0 &&
         port <= 65535;
}

struct Server::Impl {
  ServerOptions options;
  Handlers handlers;
  TlsSource tls;  // read by the SSL_CTX's ClientHello callback
  std::unique_ptr<WebFilter> filter;
  std::unique_ptr<RequestLimit> limit;
  int listen_socket = -1;                   // seen by the socket options callback
  std::unique_ptr<httplib::Server> server;  // last: goes first, before what it calls
};

namespace {

// An SSLServer when the web config asks for TLS. Its one SSL_CTX never changes: each handshake
// takes the TLS material current at its ClientHello (tls.h), so new certificates need no restart.
std::unique_ptr<httplib::Server> make_server(const WebConfigSource& web_config, TlsSource& tls) {
  if (!web_config || web_config()->tls == nullptr) return std::make_unique<httplib::Server>();
  tls = [web_config] { return web_config()->tls; };
  return std::make_unique<httplib::SSLServer>(
      [&tls](SSL_CTX& ctx) { return configure_tls_context(ctx, &tls); });
}

}  // namespace

Server::Server(ServerOptions options, Handlers handlers) : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  impl_->handlers = std::move(handlers);
  const ServerOptions& o = impl_->options;
  impl_->server = make_server(o.web_config, impl_->tls);
  auto& svr = *impl_->server;
  // A connection holds a thread from accept to close, so threads grow on demand past
  // --web.max-requests: the request over the limit still finds one to be told 503, and
  // health checks are served while every scrape slot is busy.
  const std::size_t threads = std::max(o.threads, connection_threads(o.max_requests));
  svr.new_task_queue = [threads] { return new ConnectionPool(threads); };
  // One request per connection: no idle keep-alive connection can sit on a thread. Prometheus
  // scrapes further apart than any useful idle timeout, so it loses nothing.
  svr.set_keep_alive_max_count(1);
  svr.set_keep_alive_timeout(5);  // now only the wait for the first byte
  svr.set_read_timeout(5);        // per read, the TLS handshake included
  svr.set_write_timeout(10);
  svr.set_payload_max_length(64 * 1024);
  // httplib writes the headers and each body piece separately: without TCP_NODELAY, Nagle holds
  // a short last segment until the client's delayed ACK, up to 40 ms per scrape.
  svr.set_tcp_nodelay(true);
  // httplib's default SO_REUSEPORT would let a second exporter share the port silently.
  svr.set_socket_options([impl = impl_.get()](int sock) {
    impl->listen_socket = sock;
    int yes = 1, no = 0;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    setsockopt(sock, IPPROTO_IPV6, IPV6_V6ONLY, &no, sizeof no);  // ":port" takes IPv4 too
    // The kernel keeps a connection until its first bytes arrive: silent ones take no thread.
    int defer_seconds = 5;
    setsockopt(sock, IPPROTO_TCP, TCP_DEFER_ACCEPT, &defer_seconds, sizeof defer_seconds);
  });

  if (o.web_config) {
    impl_->filter = std::make_unique<WebFilter>(o.web_config);
    WebFilter& filter = *impl_->filter;
    svr.set_pre_routing_handler([&filter](const httplib::Request& req, httplib::Response& res) {
      return filter.before(req, res);
    });
    svr.set_post_routing_handler(
        [&filter](const httplib::Request& req, httplib::Response& res) { filter.after(req, res); });
  }

  const Handlers& h = impl_->handlers;
  impl_->limit = std::make_unique<RequestLimit>(o.max_requests);
  svr.Get(o.telemetry_path,
          impl_->limit->wrap([&h](const httplib::Request& req, httplib::Response& res) {
            serve_metrics(h, req, res);
          }));
  svr.Get("/-/healthy", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("Healthy.\n", "text/plain; charset=utf-8");
  });
  svr.Get("/-/ready", [&h](const httplib::Request&, httplib::Response& res) {
    if (h.ready()) {
      res.set_content("Ready.\n", "text/plain; charset=utf-8");
    } else {
      res.status = 503;
      res.set_content("Not ready: waiting for the first cycle of every collector.\n",
                      "text/plain; charset=utf-8");
    }
  });
  if (impl_->options.telemetry_path != "/") {
    svr.Get("/", [&h](const httplib::Request&, httplib::Response& res) {
      res.set_content(h.landing_page(), "text/html; charset=utf-8");
    });
  }
}

Server::~Server() {
  stop();
}

int Server::bind(std::string& error) {
  std::string host;
  int port = 0;
  if (!split_listen_address(impl_->options.listen_address, host, port)) {
    error = "--web.listen-address: invalid address \"" + impl_->options.listen_address +
            "\" (expected host:port, [ipv6]:port or :port)";
    return -1;
  }
  if (!impl_->server->is_valid()) {
    error = "--web.config.file: cannot set up TLS";
    return -1;
  }
  // An empty host listens on every IPv4 and IPv6 address.
  if (host.empty()) host = "::";
  if (port == 0) {
    port = impl_->server->bind_to_any_port(host);
  } else if (!impl_->server->bind_to_port(host, port)) {
    port = -1;
  }
  // httplib listens with a backlog of 5, fixed when it was compiled: a burst of connections
  // would see SYNs dropped and retried a second or more later.
  if (port >= 0) ::listen(impl_->listen_socket, SOMAXCONN);
  if (port < 0) {
    error = "--web.listen-address: cannot listen on \"" + impl_->options.listen_address +
            "\" (address in use or not available)";
  }
  return port;
}

void Server::serve() {
  impl_->server->listen_after_bind();
}

void Server::stop() {
  impl_->server->stop();
}

}  // namespace tcorg::http
