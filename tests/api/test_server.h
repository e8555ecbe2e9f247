#pragma once

// Test helpers for the client: a loopback httplib server (plain or TLS) that records every
// request, a listener that never answers, a port nobody listens on, and a throwaway certificate.

#include <httplib.h>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace tcorg::api::testing {

struct Captured {
  httplib::Headers headers;
  std::string body;
  int remote_port = 0;  // distinct ports = distinct TCP connections
};

using Handler = std::function<void(const httplib::Request&, httplib::Response&)>;

// Serves POST / on 127.0.0.1 with `handler` in a background thread until destroyed.
class TestServer {
 public:
  // Plain HTTP.
  explicit TestServer(Handler handler);
  // HTTPS with this certificate and key (PEM files).
  TestServer(Handler handler, const std::string& cert_path, const std::string& key_path);
  ~TestServer();

  int port() const { return port_; }
  std::string endpoint(const std::string& scheme = "http") const;
  std::vector<Captured> requests() const;
  std::size_t connections() const;  // distinct client ports seen
  // How long the server keeps an idle connection open; applies to connections accepted later.
  void set_keep_alive_timeout(int seconds) { server_->set_keep_alive_timeout(seconds); }

 private:
  void start(Handler handler);

  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
  mutable std::mutex mu_;
  std::vector<Captured> requests_;
};

// Accepts TCP connections (via the kernel backlog) and never reads or answers: a hung server.
class SilentListener {
 public:
  SilentListener();
  ~SilentListener();
  int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

// Answers `answers_per_connection` requests on each connection, keeping it alive; when the next
// one arrives it closes the connection unread, with a reset, as a server whose keep-alive timeout
// ends just as the request arrives. Counts connections and answers.
class ResettingServer {
 public:
  explicit ResettingServer(int answers_per_connection);
  ~ResettingServer();
  ResettingServer(const ResettingServer&) = delete;
  ResettingServer& operator=(const ResettingServer&) = delete;

  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int connections() const { return connections_; }
  int answers() const { return answers_; }

 private:
  void serve();

  const int per_connection_;
  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> connections_{0};
  std::atomic<int> answers_{0};
  std::thread thread_;
};

// A loopback port with nothing listening on it.
int closed_port();

// A self-signed certificate (EC P-256) valid now, for `dns_name` and, if set, 127.0.0.1, written
// as PEM files into a fresh temporary directory.
struct TempCert {
  std::string dir;
  std::string cert_path;
  std::string key_path;
};
TempCert make_self_signed_cert(const std::string& dns_name, bool with_loopback_ip);

// A JSON answer for each action, valid per decode.cpp.
std::string canned_answer(const std::string& action);

}  // namespace tcorg::api::testing
