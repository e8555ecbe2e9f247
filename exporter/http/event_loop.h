#pragma once

// Private to the event server (event_server.h, which says what it does): the types its files
// share. One Loop is one event-loop thread and the connections it accepted. Its work is split
// by job:
//   event_server.cpp      the EventServer and the loop: epoll, accepting, replies from the
//                         pool, deadlines
//   connection_limit.cpp  room at max_connections: which connection gives way, of all loops
//   connection.cpp        a connection's state machine: reading requests, handing them to the
//                         Responder, lingering after the last reply, closing
//   tls_io.cpp            the TLS side: new sessions, the handshake, SSL_read and SSL_write,
//                         close_notify
//   reply_writer.cpp      a reply's status line and headers, and writing it out

#include <openssl/ssl.h>
#include <sys/uio.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "exporter/http/blocking_reply_pool.h"
#include "exporter/http/event_server.h"

namespace tcorg::http::detail {

using Clock = std::chrono::steady_clock;

constexpr std::size_t kMaxHead = 16 * 1024;
constexpr std::size_t kReadChunk = 16 * 1024;

enum class State {
  kHandshake,  // TLS handshake
  kReading,    // a request head, or a body to drop
  kWaiting,    // on the pool for its reply
  kWriting,    // the reply
  kLingering,  // the reply sent and our side shut: dropping what the client still sends
  kClosed,     // to be erased
};

struct Connection {
  std::uint64_t id = 0;
  int fd = -1;
  SSL* ssl = nullptr;
  State state = State::kReading;
  std::uint32_t events = 0;  // the epoll interest now
  std::string in;            // received, not yet used
  std::size_t discard = 0;   // body bytes still to drop
  bool idle = true;          // between requests, nothing of the next one received yet
  bool keep_alive = true;
  bool http10 = false;  // keep-alive must be said in the reply
  bool head_only = false;
  bool counted = false;           // in ServerState::open
  bool read_wants_write = false;  // SSL_read needs the socket writable to go on
  Clock::time_point deadline;
  Clock::time_point idle_since;
  // The reply being written: out_head, then its body.
  std::string out_head;
  Reply reply;
  std::size_t body_size = 0;
  std::size_t sent = 0;
};

struct ServerState;

class Loop {
 public:
  explicit Loop(ServerState& server);
  ~Loop();
  Loop(const Loop&) = delete;
  Loop& operator=(const Loop&) = delete;

  void run();
  void wake();
  // From a pool thread.
  void post(std::uint64_t id, Reply reply);

 private:
  // event_server.cpp
  void accept_some();
  void pause_accepting();
  void resume_accepting(Clock::time_point now);
  void take_replies();
  void sweep(Clock::time_point now);

  // connection_limit.cpp
  // A request from another loop: close this loop's candidate if it has made less progress than
  // the asker's (`than`); if not, the asker closes its own (a returned request always closes).
  struct Shed {
    std::int64_t than;
    Loop* from;
    bool returned;
  };
  bool make_room();
  void shed(Shed request);
  void on_shed(const Shed& request);
  std::size_t shed_slack() const;
  bool nearly_full() const;
  bool evict_least_progress();
  void evict(Connection& victim);
  Connection* least_progress();

  // connection.cpp
  void on_event(Connection& c, std::uint32_t what);
  void want(Connection& c, std::uint32_t events);
  void read_some(Connection& c);
  void handle_input(Connection& c);
  void fail(Connection& c, int status, const char* text);
  void reply_sent(Connection& c);
  void linger(Connection& c);
  void drain(Connection& c);
  void close(Connection& c);

  // tls_io.cpp
  bool start_tls(Connection& c);
  void handshake(Connection& c);
  void ssl_wait(Connection& c, int r);
  void read_tls(Connection& c);
  bool send_tls(Connection& c, const iovec& part);
  void end_tls(Connection& c);

  // reply_writer.cpp
  Reply own_reply(int status, const char* text) const;
  void start_reply(Connection& c, Reply reply);
  std::size_t unsent(const Connection& c, iovec* out, std::size_t max) const;
  void write_some(Connection& c);
  bool send_plain(Connection& c, iovec* iov, std::size_t n);

  ServerState& server_;
  int epoll_ = -1;
  int wake_ = -1;
  std::vector<Shed> shed_;  // under mu_: other loops' requests to close one (shed())
  static constexpr std::int64_t kNone = std::numeric_limits<std::int64_t>::max();
  std::atomic<std::int64_t> best_key_{kNone};  // of least_progress(), for make_room()
  bool accept_paused_ = false;
  Clock::time_point resume_accepting_at_;
  std::unordered_map<std::uint64_t, std::unique_ptr<Connection>> connections_;
  std::mutex mu_;
  std::vector<std::pair<std::uint64_t, Reply>> replies_;
};

// What the loops share: the listening socket, the options and the Responder, and the count of
// open connections (one limit for all loops).
struct ServerState {
  int listen_fd;
  SSL_CTX* tls;
  EventServerOptions options;
  Responder responder;
  std::atomic<bool> stopping{false};
  std::atomic<std::uint64_t> next_id{2};
  std::atomic<std::size_t> open{0};  // connections of every loop: one limit for all
  std::unique_ptr<BlockingReplyPool> pool;
  std::vector<std::unique_ptr<Loop>> loops;

  ServerState(int fd, SSL_CTX* ctx, EventServerOptions o, Responder r)
      : listen_fd(fd), tls(ctx), options(o), responder(std::move(r)) {}
};

}  // namespace tcorg::http::detail
