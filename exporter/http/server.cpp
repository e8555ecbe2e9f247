#include "exporter/http/server.h"

#include <httplib.h>

#include <charconv>

namespace tcorg::http {
namespace {

constexpr const char* kExpositionType = "text/plain; version=0.0.4; charset=utf-8";

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
  httplib::Server server;
};

Server::Server(ServerOptions options, Handlers handlers)
    : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  impl_->handlers = std::move(handlers);
  auto& svr = impl_->server;
  const std::size_t threads = impl_->options.threads;
  svr.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  svr.set_keep_alive_timeout(30);
  svr.set_read_timeout(10);
  svr.set_write_timeout(30);
  svr.set_payload_max_length(64 * 1024);
  // httplib's default SO_REUSEPORT would let a second exporter share the port silently.
  svr.set_socket_options([](int sock) {
    int yes = 1, no = 0;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    setsockopt(sock, IPPROTO_IPV6, IPV6_V6ONLY, &no, sizeof no);  // ":port" takes IPv4 too
  });

  const Handlers& h = impl_->handlers;
  svr.Get(impl_->options.telemetry_path, [&h](const httplib::Request&, httplib::Response& res) {
    // httplib gzips text bodies itself when the client accepts gzip.
    res.set_content(h.metrics(), kExpositionType);
  });
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

Server::~Server() { stop(); }

int Server::bind(std::string& error) {
  std::string host;
  int port = 0;
  if (!split_listen_address(impl_->options.listen_address, host, port)) {
    error = "--web.listen-address: invalid address \"" + impl_->options.listen_address +
            "\" (expected host:port, [ipv6]:port or :port)";
    return -1;
  }
  // An empty host listens on every IPv4 and IPv6 address.
  if (host.empty()) host = "::";
  if (port == 0) {
    port = impl_->server.bind_to_any_port(host);
  } else if (!impl_->server.bind_to_port(host, port)) {
    port = -1;
  }
  if (port < 0) {
    error = "--web.listen-address: cannot listen on \"" + impl_->options.listen_address +
            "\" (address in use or not available)";
  }
  return port;
}

void Server::serve() { impl_->server.listen_after_bind(); }

void Server::stop() { impl_->server.stop(); }

}  // namespace tcorg::http
