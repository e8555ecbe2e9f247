#pragma once

// EventServer: HTTP/1.1 and HTTPS connections served from a few event-loop threads, as nginx
// serves them. A connection costs a socket and a buffer, not a thread, and stays open between
// requests (keep-alive). Each loop owns the connections it accepted: it reads a request, asks
// the Responder for the reply and writes it with one writev (or SSL_write) as far as the socket
// takes it. A request the Responder cannot answer without waiting (bcrypt, a slow handler) is
// answered on a thread of a small pool instead and its reply handed back to the loop, so a loop
// never waits.
//
// Deadlines (checked about once a second) keep slow or silent clients from holding anything:
// a request head, or a TLS handshake, must arrive whole within request_timeout; a response must
// make progress every write_timeout; a kept-alive connection with no request closes after
// idle_timeout. max_connections holds for all loops together: beyond it, a new connection takes
// the place of the one that has made the least progress (the oldest unfinished request head or
// TLS handshake, else the one idle the longest), never of one being answered; with none to give,
// it is closed.

#include <httplib.h>
#include <openssl/ssl.h>

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>

#include "exporter/metrics/exposition.h"

namespace tcorg::http {

// What goes back for one request.
struct Reply {
  httplib::Response res;                      // status, headers, and a short body
  std::shared_ptr<const metrics::Body> body;  // the body instead of res.body, when set
  std::shared_ptr<void> keep_until_sent;      // let go once the reply is written or dropped
};

struct Responder {
  // The reply to a request. Called on an event loop with `may_wait` false: nullopt then means
  // answering would wait (bcrypt, a handler that blocks), and it is asked again with `may_wait`
  // true on a pool thread, where it must answer. Never throws.
  std::function<std::optional<Reply>(const httplib::Request&, bool may_wait)> respond;
  // Called on the server's own answers (400, 413, 431, 500) before they are sent, on an event
  // loop or a pool thread: adds what every reply carries. Optional; must not wait or throw.
  std::function<void(httplib::Response&)> decorate;
};

struct EventServerOptions {
  std::size_t loops = 2;  // threads, one per core is plenty
  std::size_t pool_threads = 16;
  std::size_t max_connections = 512;
  std::chrono::milliseconds request_timeout{5000};
  std::chrono::milliseconds write_timeout{10000};
  // Longer than Prometheus keeps an idle connection (5 minutes), so Prometheus closes first and
  // never sends a scrape on a connection being closed here.
  std::chrono::milliseconds idle_timeout{std::chrono::minutes(6)};
};

class EventServer {
 public:
  // `listen_fd`: bound and listening, non-blocking; the EventServer closes it. `tls`: nullptr
  // for plain HTTP, else each connection's SSL comes from it (and it must outlive the server).
  EventServer(int listen_fd, SSL_CTX* tls, EventServerOptions options, Responder responder);
  ~EventServer();
  EventServer(const EventServer&) = delete;
  EventServer& operator=(const EventServer&) = delete;

  // Serves until stop(); then closes every connection and waits for the pool.
  void run();
  // From any thread, before or during run().
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tcorg::http
