#pragma once

// The exporter's HTTP endpoints: `/` landing page, the telemetry path, `/-/healthy`, `/-/ready`.
// Handlers see only what they need through callbacks; the server never calls the cloud.

#include <functional>
#include <memory>
#include <string>

namespace tcorg::http {

struct ServerOptions {
  std::string listen_address = ":10110";  // host:port, [v6]:port, or :port for every address
  std::string telemetry_path = "/metrics";
  std::size_t threads = 8;
};

struct Handlers {
  std::function<std::string()> metrics;  // exposition text
  std::function<bool()> ready;
  std::function<std::string()> landing_page;
};

// Splits "host:port", "[::1]:port" or ":port"; an empty host means every address.
bool split_listen_address(const std::string& address, std::string& host, int& port);

class Server {
 public:
  Server(ServerOptions options, Handlers handlers);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds the listen address; returns the bound port, or -1 with `error` set.
  int bind(std::string& error);
  // Serves until stop(); call after a successful bind().
  void serve();
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tcorg::http
