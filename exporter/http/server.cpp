#include "exporter/http/server.h"

#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <charconv>
#include <memory>
#include <optional>
#include <system_error>

#include "exporter/http/blocking_reply_pool.h"
#include "exporter/http/content_types.h"
#include "exporter/http/event_server.h"
#include "exporter/http/request_limit.h"
#include "exporter/http/web_filter.h"
#include "exporter/metrics/gzip.h"
#include "exporter/web/tls.h"

namespace tcorg::http {
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
  web::TlsSource tls;  // read by the SSL_CTX's ClientHello callback
  SSL_CTX* ssl_ctx = nullptr;
  std::unique_ptr<WebFilter> filter;
  std::unique_ptr<RequestLimit> limit;
  std::unique_ptr<EventServer> events;  // last: goes first, before what it calls
  std::atomic<bool> stopped{false};

  ~Impl() {
    events.reset();
    if (ssl_ctx != nullptr) SSL_CTX_free(ssl_ctx);
  }

  // nullopt when answering would wait and `may_wait` is false: bcrypt takes tens of
  // milliseconds, the body may have its live part to refresh or a publish to wait for, and an
  // event loop never waits.
  std::optional<Reply> respond(const httplib::Request& req, bool may_wait) {
    Reply r;
    r.res.status = 200;
    try {
      if (!route(req, r, may_wait)) return std::nullopt;
    } catch (const std::exception&) {
      r = Reply{};
      r.res.status = 500;
      r.res.set_content("Internal Server Error\n", kTextType);
    }
    if (filter) filter->after(req, r.res);
    return r;
  }

  // False: not answered, as answering would wait.
  bool route(const httplib::Request& req, Reply& r, bool may_wait) {
    httplib::Response& res = r.res;
    if (filter) {
      switch (filter->before(req, res, may_wait)) {
        case FilterVerdict::kPass:
          break;
        case FilterVerdict::kAnswered:
          return true;
        case FilterVerdict::kLater:
          return false;
      }
    }
    const bool known = req.path == options.telemetry_path || req.path == "/-/healthy" ||
                       req.path == "/-/ready" || req.path == "/";
    if (!known) {
      res.status = 404;
      res.set_content("404 page not found\n", kTextType);
      return true;
    }
    if (req.method != "GET" && req.method != "HEAD") {
      res.status = 405;
      res.set_header("Allow", "GET, HEAD");
      res.set_content("Method Not Allowed\n", kTextType);
      return true;
    }
    if (req.path == options.telemetry_path) return serve_metrics(req, r, may_wait);
    if (req.path == "/-/healthy") {
      res.set_content("Healthy.\n", kTextType);
    } else if (req.path == "/-/ready") {
      if (handlers.ready()) {
        res.set_content("Ready.\n", kTextType);
      } else {
        res.status = 503;
        res.set_content("Not ready: waiting for the first cycle of every collector.\n", kTextType);
      }
    } else {
      res.set_content(handlers.landing_page(), kHtmlType);
    }
    return true;
  }

  // The org part comes from memory, compressed once per cycle; gzip only when asked.
  bool serve_metrics(const httplib::Request& req, Reply& r, bool may_wait) {
    auto slot = limit->try_acquire();
    if (!slot) {
      r.res.status = 503;
      r.res.set_content("Limit of concurrent requests reached (" + std::to_string(limit->max()) +
                            "), try again later.\n",
                        kTextType);
      return true;
    }
    const bool gzip = metrics::accepts_gzip(req.get_header_value("Accept-Encoding"));
    auto body = handlers.metrics_body(gzip, may_wait);
    if (!body) return false;  // the slot goes back until the pool asks again
    r.body = std::make_shared<const metrics::Body>(std::move(*body));
    r.keep_until_sent = std::move(slot);  // until the last byte is written
    r.res.set_header("Content-Type", kExpositionType);
    r.res.set_header("Vary", "Accept-Encoding");
    if (r.body->gzip) r.res.set_header("Content-Encoding", "gzip");
    return true;
  }
};

Server::Server(ServerOptions options, Handlers handlers) : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  impl_->handlers = std::move(handlers);
  const ServerOptions& o = impl_->options;
  if (o.web_config) {
    impl_->filter = std::make_unique<WebFilter>(o.web_config);
    // Whether to serve TLS is decided here; each handshake takes the material current at its
    // ClientHello (tls.h), so new certificates need no restart.
    if (o.web_config()->tls != nullptr) {
      impl_->tls = [wc = o.web_config] { return wc()->tls; };
      impl_->ssl_ctx = SSL_CTX_new(TLS_server_method());
      if (impl_->ssl_ctx != nullptr) {
        web::configure_tls_context(*impl_->ssl_ctx, &impl_->tls);
      } else {
        ERR_clear_error();
      }
    }
  }
  impl_->limit = std::make_unique<RequestLimit>(o.max_requests);
}

Server::~Server() {
  stop();
}

namespace {

// A listening, non-blocking socket on host:port; -1 with errno set on failure.
int open_listener(const std::string& host, int port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string service = std::to_string(port);
  if (getaddrinfo(host.c_str(), service.c_str(), &hints, &found) != 0) return -1;
  int fd = -1;
  for (addrinfo* a = found; a != nullptr && fd < 0; a = a->ai_next) {
    fd = socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    int yes = 1, no = 0;
    // No SO_REUSEPORT: a second exporter must not share the port silently.
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    if (a->ai_family == AF_INET6) {
      setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &no, sizeof no);  // ":port" takes IPv4 too
    }
    // The kernel keeps a connection until its first bytes arrive (or 5 s pass).
    int defer_seconds = 5;
    setsockopt(fd, IPPROTO_TCP, TCP_DEFER_ACCEPT, &defer_seconds, sizeof defer_seconds);
    if (::bind(fd, a->ai_addr, a->ai_addrlen) != 0 || ::listen(fd, SOMAXCONN) != 0) {
      ::close(fd);
      fd = -1;
    }
  }
  freeaddrinfo(found);
  return fd;
}

int bound_port(int fd) {
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) return -1;
  if (addr.ss_family == AF_INET) {
    return ntohs(reinterpret_cast<const sockaddr_in&>(addr).sin_port);
  }
  return ntohs(reinterpret_cast<const sockaddr_in6&>(addr).sin6_port);
}

}  // namespace

int Server::bind(std::string& error) {
  std::string host;
  int port = 0;
  if (!split_listen_address(impl_->options.listen_address, host, port)) {
    error = "--web.listen-address: invalid address \"" + impl_->options.listen_address +
            "\" (expected host:port, [ipv6]:port or :port)";
    return -1;
  }
  if (impl_->tls && impl_->ssl_ctx == nullptr) {
    error = "--web.config.file: cannot set up TLS";
    return -1;
  }
  // An empty host listens on every IPv4 and IPv6 address.
  if (host.empty()) host = "::";
  const int fd = open_listener(host, port);
  if (fd < 0) {
    error = "--web.listen-address: cannot listen on \"" + impl_->options.listen_address +
            "\" (address in use or not available)";
    return -1;
  }
  Impl& impl = *impl_;
  EventServerOptions eo;
  eo.loops = impl.options.threads;
  eo.pool_threads = blocking_reply_threads(impl.options.max_requests);
  eo.max_connections = impl.options.max_connections;
  const int bound = bound_port(fd);
  try {
    impl.events = std::make_unique<EventServer>(
        fd, impl.ssl_ctx, eo,
        Responder{[&impl](const httplib::Request& req, bool may_wait) {
                    return impl.respond(req, may_wait);
                  },
                  [&impl](httplib::Response& res) {
                    if (impl.filter) impl.filter->after(httplib::Request{}, res);
                  }});
  } catch (const std::system_error& e) {  // out of file descriptors or threads
    ::close(fd);
    error = std::string("--web.listen-address: cannot start the web server: ") + e.what();
    return -1;
  }
  if (impl.stopped) impl.events->stop();
  return bound;
}

void Server::serve() {
  if (impl_->events) impl_->events->run();
}

void Server::stop() {
  impl_->stopped = true;
  if (impl_->events) impl_->events->stop();
}

}  // namespace tcorg::http
