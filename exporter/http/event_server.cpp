#include "exporter/http/event_server.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <pthread.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <ctime>
#include <limits>
#include <mutex>
#include <string>
#include <system_error>
#include <thread>
#include <unordered_map>
#include <vector>

#include "exporter/http/blocking_reply_pool.h"
#include "exporter/http/request_head.h"

namespace tcorg::http {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::uint64_t kListenId = 0;
constexpr std::uint64_t kWakeId = 1;
constexpr std::size_t kMaxHead = 16 * 1024;
constexpr std::size_t kMaxBody = 64 * 1024;  // read and dropped: no endpoint takes a body
constexpr std::size_t kReadChunk = 16 * 1024;
constexpr auto kLingerTime = std::chrono::seconds(1);  // after a reply that closes mid-request
constexpr auto kFreshFor = std::chrono::seconds(1);  // a new connection's time to start its request
constexpr int kAcceptsPerWake = 16;                  // then let another loop take its share

const char* reason(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 413:
      return "Content Too Large";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 503:
      return "Service Unavailable";
    default:
      return "Unknown";
  }
}

// A reply of `status` with a short text body: the server's own answers.
Reply text_reply(int status, const char* text) {
  Reply r;
  r.res.status = status;
  r.res.set_content(text, "text/plain; charset=utf-8");
  return r;
}

// SSL_write cannot pass MSG_NOSIGNAL, and a client gone mid-reply must be an error (EPIPE), not
// SIGPIPE. The process-wide disposition is main's to set; a loop blocks SIGPIPE on its own
// thread, and takes back what its writes raised before the thread's mask is restored.
class SigpipeBlocked {
 public:
  SigpipeBlocked() {
    sigemptyset(&pipe_);
    sigaddset(&pipe_, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_, &old_);
  }
  ~SigpipeBlocked() {
    if (sigismember(&old_, SIGPIPE) == 1) return;  // blocked before: left as it was
    const timespec none{};
    while (sigtimedwait(&pipe_, nullptr, &none) == SIGPIPE) {
    }
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }
  SigpipeBlocked(const SigpipeBlocked&) = delete;
  SigpipeBlocked& operator=(const SigpipeBlocked&) = delete;

 private:
  sigset_t pipe_{};
  sigset_t old_{};
};

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
  bool counted = false;           // in Impl::open
  bool read_wants_write = false;  // SSL_read needs the socket writable to go on
  Clock::time_point deadline;
  Clock::time_point idle_since;
  // The reply being written: out_head, then its body.
  std::string out_head;
  Reply reply;
  std::size_t body_size = 0;
  std::size_t sent = 0;
};

}  // namespace

struct EventServer::Impl {
  class Loop;

  int listen_fd;
  SSL_CTX* tls;
  EventServerOptions options;
  Responder responder;
  std::atomic<bool> stopping{false};
  std::atomic<std::uint64_t> next_id{2};
  std::atomic<std::size_t> open{0};  // connections of every loop: one limit for all
  std::unique_ptr<BlockingReplyPool> pool;
  std::vector<std::unique_ptr<Loop>> loops;

  Impl(int fd, SSL_CTX* ctx, EventServerOptions o, Responder r)
      : listen_fd(fd), tls(ctx), options(o), responder(std::move(r)) {}
};

class EventServer::Impl::Loop {
 public:
  explicit Loop(Impl& server) : s_(server) {
    epoll_ = epoll_create1(EPOLL_CLOEXEC);
    wake_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (epoll_ < 0 || wake_ < 0) {
      const int error = errno;
      if (epoll_ >= 0) ::close(epoll_);
      if (wake_ >= 0) ::close(wake_);
      throw std::system_error(error, std::generic_category(), "web server: event loop");
    }
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = kWakeId;
    epoll_ctl(epoll_, EPOLL_CTL_ADD, wake_, &ev);
    // Exclusive: a new connection wakes one loop, not all of them.
    ev.events = EPOLLIN | EPOLLEXCLUSIVE;
    ev.data.u64 = kListenId;
    epoll_ctl(epoll_, EPOLL_CTL_ADD, s_.listen_fd, &ev);
  }
  ~Loop() {
    for (auto& [id, c] : connections_) close(*c);
    ::close(wake_);
    ::close(epoll_);
  }
  Loop(const Loop&) = delete;
  Loop& operator=(const Loop&) = delete;

  void run() {
    const SigpipeBlocked sigpipe_blocked;
    std::array<epoll_event, 64> events{};
    auto next_sweep = Clock::now() + std::chrono::seconds(1);
    while (!s_.stopping.load()) {
      const int n = epoll_wait(epoll_, events.data(), static_cast<int>(events.size()),
                               accept_paused_ ? 100 : 1000);
      for (int i = 0; i < n && !s_.stopping.load(); ++i) {
        const std::uint64_t id = events[static_cast<std::size_t>(i)].data.u64;
        const std::uint32_t what = events[static_cast<std::size_t>(i)].events;
        if (id == kListenId) {
          accept_some();
        } else if (id == kWakeId) {
          take_replies();
        } else if (auto it = connections_.find(id); it != connections_.end()) {
          on_event(*it->second, what);
          if (it->second->state == State::kClosed) connections_.erase(it);
        }
      }
      const auto now = Clock::now();
      resume_accepting(now);
      if (now >= next_sweep) {
        sweep(now);
        next_sweep = now + std::chrono::seconds(1);
      }
    }
  }

  void wake() {
    const std::uint64_t one = 1;
    [[maybe_unused]] const auto n = ::write(wake_, &one, sizeof one);
  }

  // From a pool thread.
  void post(std::uint64_t id, Reply reply) {
    {
      std::lock_guard lock(mu_);
      replies_.emplace_back(id, std::move(reply));
    }
    wake();
  }

 private:
  void accept_some() {
    for (int i = 0; i < kAcceptsPerWake; ++i) {
      const int fd = accept4(s_.listen_fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0) {
        // Out of file descriptors: make room, or stop accepting for a moment, as the listening
        // socket stays readable and would wake this loop at once, again and again.
        if ((errno == EMFILE || errno == ENFILE) && !evict_least_progress()) pause_accepting();
        return;  // EAGAIN: none left
      }
      if (s_.open.load() >= s_.options.max_connections && !make_room()) {
        ::close(fd);
        continue;
      }
      int one = 1;
      setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      auto c = std::make_unique<Connection>();
      c->id = s_.next_id.fetch_add(1);
      c->fd = fd;
      c->deadline = Clock::now() + s_.options.request_timeout;
      c->idle = false;  // the first request is due within request_timeout, not idle_timeout
      if (s_.tls != nullptr) {
        c->ssl = SSL_new(s_.tls);
        if (c->ssl == nullptr || SSL_set_fd(c->ssl, fd) != 1) {
          ERR_clear_error();
          if (c->ssl != nullptr) SSL_free(c->ssl);
          ::close(fd);
          continue;
        }
        SSL_set_accept_state(c->ssl);
        SSL_set_mode(c->ssl, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
        c->state = State::kHandshake;
      }
      epoll_event ev{};
      ev.events = EPOLLIN;
      ev.data.u64 = c->id;
      if (epoll_ctl(epoll_, EPOLL_CTL_ADD, fd, &ev) != 0) {
        close(*c);
        continue;
      }
      c->events = EPOLLIN;
      c->counted = true;
      s_.open.fetch_add(1);
      connections_.emplace(c->id, std::move(c));
      if (nearly_full()) least_progress();  // publishes this loop's candidate for make_room()
    }
  }

  void pause_accepting() {
    if (accept_paused_) return;
    epoll_ctl(epoll_, EPOLL_CTL_DEL, s_.listen_fd, nullptr);
    accept_paused_ = true;
    resume_accepting_at_ = Clock::now() + std::chrono::milliseconds(100);
  }

  void resume_accepting(Clock::time_point now) {
    if (!accept_paused_ || now < resume_accepting_at_) return;
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLEXCLUSIVE;
    ev.data.u64 = kListenId;
    if (epoll_ctl(epoll_, EPOLL_CTL_ADD, s_.listen_fd, &ev) == 0) accept_paused_ = false;
  }

  // Room for one more connection at the global limit: the connection with the least progress of
  // all loops gives way. Each loop publishes the key of its own candidate (least_progress());
  // when another loop's is older, that loop is asked to close its candidate if it is still older
  // than ours (shed()), and the new connection may be over the limit for a moment, by at most
  // shed_slack(). The slack is wider than one per loop because a loop may accept several
  // connections before another loop gets to its shed requests; with one per loop, the asker ran
  // out of slack and closed its own candidate, a recent connection, instead of the oldest.
  bool make_room() {
    Connection* mine = least_progress();
    const std::int64_t my_key = best_key_.load();
    Loop* other = nullptr;
    std::int64_t best = my_key;
    for (auto& loop : s_.loops) {
      const std::int64_t key = loop->best_key_.load();
      if (loop.get() != this && key < best) other = loop.get(), best = key;
    }
    if (other != nullptr && s_.open.load() < s_.options.max_connections + shed_slack()) {
      other->shed({my_key, this, false});
      return true;
    }
    if (mine == nullptr) return false;
    evict(*mine);
    return true;
  }

  // A request from another loop: close this loop's candidate if it has made less progress than
  // the asker's (`than`); if not, the asker closes its own (a returned request always closes).
  struct Shed {
    std::int64_t than;
    Loop* from;
    bool returned;
  };
  void shed(Shed request) {
    {
      std::lock_guard lock(mu_);
      shed_.push_back(request);
    }
    wake();
  }

  std::size_t shed_slack() const {
    return std::max<std::size_t>(s_.loops.size(), s_.options.max_connections / 8);
  }

  bool nearly_full() const { return s_.open.load() * 4 >= s_.options.max_connections * 3; }

  bool evict_least_progress() {
    Connection* victim = least_progress();
    if (victim == nullptr) return false;
    evict(*victim);
    return true;
  }

  void evict(Connection& victim) {
    close(victim);
    connections_.erase(victim.id);
    least_progress();  // publishes the next candidate
  }

  // The connection that has made the least progress, which gives way first: the oldest
  // unfinished request head or TLS handshake (a slow client's), else the one idle the longest,
  // else one just accepted that has had no time to send (kFreshFor). Never one being answered
  // (waiting for or writing its reply) or lingering after one. Publishes its key in best_key_
  // (rank, then age; kNone: none) for the other loops to compare.
  Connection* least_progress() {
    const auto now = Clock::now();
    const auto fresh_for = std::min<Clock::duration>(kFreshFor, s_.options.request_timeout / 4);
    auto key = [&](const Connection& c) -> std::int64_t {
      const auto at = [](Clock::time_point t) {
        return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
      };
      constexpr std::int64_t kRank = std::int64_t{1} << 60;  // above any steady-clock ns count
      if (c.state == State::kReading && c.idle)
        return c.in.empty() ? kRank + at(c.idle_since) : kNone;
      if (c.state != State::kHandshake && c.state != State::kReading) return kNone;
      const auto started = c.deadline - s_.options.request_timeout;
      return (now - started < fresh_for ? 2 * kRank : 0) + at(started);
    };
    Connection* victim = nullptr;
    std::int64_t victim_key = kNone;
    for (auto& [id, c] : connections_) {
      const std::int64_t k = key(*c);
      if (k < victim_key) victim = c.get(), victim_key = k;
    }
    best_key_.store(victim_key);
    return victim;
  }

  void take_replies() {
    std::uint64_t count = 0;
    [[maybe_unused]] const auto n = ::read(wake_, &count, sizeof count);
    std::vector<std::pair<std::uint64_t, Reply>> replies;
    std::vector<Shed> shed;
    {
      std::lock_guard lock(mu_);
      replies.swap(replies_);
      shed.swap(shed_);
    }
    for (const Shed& request : shed) {
      Connection* victim = least_progress();
      const std::int64_t key = best_key_.load();
      if (victim != nullptr && (key < request.than || request.returned)) {
        evict(*victim);
      } else if (!request.returned) {
        request.from->shed({key, this, true});
      }
    }
    for (auto& [id, reply] : replies) {
      const auto it = connections_.find(id);
      if (it == connections_.end()) continue;  // closed meanwhile: the reply goes unsent
      Connection& c = *it->second;
      start_reply(c, std::move(reply));
      if (c.state == State::kReading) handle_input(c);
      if (c.state == State::kClosed) connections_.erase(it);
    }
  }

  void sweep(Clock::time_point now) {
    for (auto it = connections_.begin(); it != connections_.end();) {
      Connection& c = *it->second;
      if (c.state != State::kWaiting && now >= c.deadline) {
        close(c);
        it = connections_.erase(it);
      } else {
        ++it;
      }
    }
    if (nearly_full()) least_progress();
  }

  void on_event(Connection& c, std::uint32_t what) {
    if ((what & EPOLLERR) != 0 || ((what & EPOLLHUP) != 0 && (what & EPOLLIN) == 0)) {
      return close(c);
    }
    switch (c.state) {
      case State::kHandshake:
        return handshake(c);
      case State::kReading:
        read_some(c);
        return handle_input(c);
      case State::kWriting:
        write_some(c);
        if (c.state == State::kReading) handle_input(c);
        return;
      case State::kLingering:
        return drain(c);
      case State::kWaiting:
      case State::kClosed:
        return;
    }
  }

  void want(Connection& c, std::uint32_t events) {
    if (c.read_wants_write && c.state == State::kReading) events |= EPOLLOUT;
    if (c.events == events || c.state == State::kClosed) return;
    epoll_event ev{};
    ev.events = events;
    ev.data.u64 = c.id;
    if (epoll_ctl(epoll_, EPOLL_CTL_MOD, c.fd, &ev) != 0) return close(c);
    c.events = events;
  }

  // After an SSL call that returned `r` <= 0: waits for what OpenSSL needs, or closes.
  void ssl_wait(Connection& c, int r) {
    switch (SSL_get_error(c.ssl, r)) {
      case SSL_ERROR_WANT_READ:
        return want(c, EPOLLIN);
      case SSL_ERROR_WANT_WRITE:
        return want(c, EPOLLOUT);
      default:
        ERR_clear_error();
        return close(c);
    }
  }

  void handshake(Connection& c) {
    const int r = SSL_do_handshake(c.ssl);
    if (r != 1) return ssl_wait(c, r);
    c.state = State::kReading;
    want(c, EPOLLIN);
    read_some(c);  // the request may have come with the handshake's last flight
    handle_input(c);
  }

  // Reads what has arrived. Plain sockets: one read (epoll reports the rest); TLS: until
  // OpenSSL needs the socket, as its buffer is invisible to epoll.
  void read_some(Connection& c) {
    char buf[kReadChunk];
    for (;;) {
      if (c.in.size() > kMaxHead + kReadChunk) return;  // enough to tell the head is too large
      if (c.ssl != nullptr) {
        const int r = SSL_read(c.ssl, buf, sizeof buf);
        if (r <= 0) {
          switch (SSL_get_error(c.ssl, r)) {
            case SSL_ERROR_WANT_READ:
              c.read_wants_write = false;
              return want(c, EPOLLIN);
            case SSL_ERROR_WANT_WRITE:  // e.g. answering a KeyUpdate into a full socket
              c.read_wants_write = true;
              return want(c, EPOLLIN | EPOLLOUT);
            default:
              ERR_clear_error();
              return close(c);
          }
        }
        c.read_wants_write = false;
        c.in.append(buf, static_cast<std::size_t>(r));
        continue;
      }
      const ssize_t r = ::recv(c.fd, buf, sizeof buf, 0);
      if (r > 0) {
        c.in.append(buf, static_cast<std::size_t>(r));
        return;
      }
      if (r < 0 && (errno == EAGAIN || errno == EINTR)) return;
      return close(c);  // the peer closed, or an error
    }
  }

  // Answers every whole request received, in order, while the replies go out at once.
  void handle_input(Connection& c) {
    while (c.state == State::kReading) {
      if (c.discard > 0) {
        const std::size_t n = std::min(c.discard, c.in.size());
        c.in.erase(0, n);
        c.discard -= n;
        if (c.discard > 0) return want(c, EPOLLIN);
      }
      if (c.in.empty() && c.ssl != nullptr && SSL_pending(c.ssl) > 0) {
        read_some(c);  // records OpenSSL read but read_some left there: epoll cannot see them
        continue;
      }
      if (c.in.empty()) {
        if (!c.idle) {
          c.idle = true;
          c.idle_since = Clock::now();
          c.deadline = c.idle_since + s_.options.idle_timeout;
        }
        return want(c, EPOLLIN);
      }
      if (c.idle) {  // the first bytes of a request: it has request_timeout to arrive whole
        c.idle = false;
        c.deadline = Clock::now() + s_.options.request_timeout;
      }
      RequestHead head;
      switch (parse_request_head(c.in, kMaxHead, head)) {
        case HeadStatus::kIncomplete:
          return want(c, EPOLLIN);
        case HeadStatus::kBad:
          return fail(c, 400, "Bad Request\n");
        case HeadStatus::kTooLarge:
          return fail(c, 431, "Request Header Fields Too Large\n");
        case HeadStatus::kComplete:
          break;
      }
      c.in.erase(0, head.size);
      if (head.body_length > kMaxBody) return fail(c, 413, "Content Too Large\n");
      c.discard = head.body_length;
      // A client that said "Expect: 100-continue" may never send the body after a final
      // status: the next bytes could be a body or a request, so the connection ends here.
      c.keep_alive = head.keep_alive && !(c.discard > 0 && head.request.has_header("Expect"));
      c.http10 = head.request.version == "HTTP/1.0";
      c.head_only = head.request.method == "HEAD";
      if (auto reply = s_.responder.respond(head.request, false)) {
        start_reply(c, std::move(*reply));
        continue;
      }
      c.state = State::kWaiting;
      want(c, 0);  // errors and hang-ups are still reported
      s_.pool->enqueue([this, id = c.id, req = std::move(head.request)] {
        auto reply = s_.responder.respond(req, true);
        // A Responder that broke its contract (no reply where it may wait).
        post(id, reply ? std::move(*reply) : own_reply(500, "Internal Server Error\n"));
      });
      return;
    }
  }

  // Answers a request that cannot be read, then closes.
  void fail(Connection& c, int status, const char* text) {
    c.keep_alive = false;
    c.head_only = false;
    start_reply(c, own_reply(status, text));
  }

  // The server's own answers carry what every reply carries (the configured headers).
  Reply own_reply(int status, const char* text) const {
    Reply r = text_reply(status, text);
    if (s_.responder.decorate) s_.responder.decorate(r.res);
    return r;
  }

  void start_reply(Connection& c, Reply reply) {
    const httplib::Response& res = reply.res;
    c.body_size = reply.body ? reply.body->size() : res.body.size();
    std::string& h = c.out_head;
    h.clear();
    h.append("HTTP/1.1 ").append(std::to_string(res.status)).append(" ").append(reason(res.status));
    h.append("\r\n");
    for (const auto& [name, value] : res.headers) {
      if (name.size() == 14 && strncasecmp(name.c_str(), "Content-Length", 14) == 0) continue;
      if (name.size() == 10 && strncasecmp(name.c_str(), "Connection", 10) == 0) continue;
      h.append(name).append(": ").append(value).append("\r\n");
    }
    h.append("Content-Length: ").append(std::to_string(c.body_size)).append("\r\n");
    if (!c.keep_alive) {
      h.append("Connection: close\r\n");
    } else if (c.http10) {
      h.append("Connection: keep-alive\r\n");
    }
    h.append("\r\n");
    if (c.head_only) c.body_size = 0;
    c.reply = std::move(reply);
    c.sent = 0;
    c.state = State::kWriting;
    c.deadline = Clock::now() + s_.options.write_timeout;
    write_some(c);
  }

  // The parts of the reply not yet sent, at most `max` of them.
  std::size_t unsent(const Connection& c, iovec* out, std::size_t max) const {
    std::array<std::string_view, 4> parts{c.out_head};
    std::size_t count = 1;
    if (c.body_size > 0) {
      if (const auto& b = c.reply.body) {
        parts[count++] = b->head;
        parts[count++] = b->organization_part;
        parts[count++] = b->tail;
      } else {
        parts[count++] = c.reply.res.body;
      }
    }
    std::size_t skip = c.sent, n = 0;
    for (std::size_t i = 0; i < count && n < max; ++i) {
      std::string_view p = parts[i];
      if (skip >= p.size()) {
        skip -= p.size();
        continue;
      }
      p.remove_prefix(skip);
      skip = 0;
      out[n++] = iovec{const_cast<char*>(p.data()), p.size()};
    }
    return n;
  }

  void write_some(Connection& c) {
    const std::size_t total = c.out_head.size() + c.body_size;
    while (c.sent < total) {
      std::array<iovec, 4> iov{};
      const std::size_t n = unsent(c, iov.data(), c.ssl != nullptr ? 1 : iov.size());
      if (c.ssl != nullptr) {
        const int len = static_cast<int>(std::min<std::size_t>(iov[0].iov_len, 1 << 20));
        const int r = SSL_write(c.ssl, iov[0].iov_base, len);
        if (r <= 0) return ssl_wait(c, r);
        c.sent += static_cast<std::size_t>(r);
      } else {
        msghdr msg{};
        msg.msg_iov = iov.data();
        msg.msg_iovlen = n;
        const ssize_t r = ::sendmsg(c.fd, &msg, MSG_NOSIGNAL);
        if (r < 0) {
          if (errno == EINTR) continue;
          if (errno == EAGAIN) return want(c, EPOLLOUT);
          return close(c);
        }
        c.sent += static_cast<std::size_t>(r);
      }
      c.deadline = Clock::now() + s_.options.write_timeout;
    }
    c.reply = Reply{};  // lets go of the body and of the request's slot
    c.out_head.clear();
    // Closing at once could reset the connection if the client is still sending (a body, or
    // requests pipelined past "Connection: close", whose bytes may not have arrived yet), and a
    // reset can destroy the reply unread. So every close after a reply lingers, as Go's server
    // does (found by fuzz/event_server_fuzz.cpp with requests sent a byte at a time).
    if (!c.keep_alive) return linger(c);
    c.state = State::kReading;
    want(c, EPOLLIN);
  }

  // A close with input unread makes the kernel send a reset, which may destroy the reply before
  // the client has read it. So, as nginx and Go do: shut our side (the client reads the reply,
  // then end of stream), drop what still comes for up to kLingerTime, then close.
  void linger(Connection& c) {
    end_tls(c);  // what follows is dropped unread, below TLS
    if (::shutdown(c.fd, SHUT_WR) != 0) return close(c);
    c.state = State::kLingering;
    c.in.clear();
    c.deadline = Clock::now() + kLingerTime;
    want(c, EPOLLIN);
    drain(c);
  }

  void drain(Connection& c) {
    char buf[kReadChunk];
    for (;;) {
      const ssize_t r = ::read(c.fd, buf, sizeof buf);
      if (r > 0) continue;
      if (r < 0 && errno == EINTR) continue;
      if (r < 0 && errno == EAGAIN) return;
      return close(c);  // the client's end of stream, or an error
    }
  }

  // Sends close_notify (best effort) unless still in the handshake, and frees the SSL.
  void end_tls(Connection& c) {
    if (c.ssl == nullptr) return;
    if (c.state != State::kHandshake) SSL_shutdown(c.ssl);
    SSL_free(c.ssl);
    ERR_clear_error();
    c.ssl = nullptr;
  }

  void close(Connection& c) {
    if (c.state == State::kClosed) return;
    end_tls(c);
    epoll_ctl(epoll_, EPOLL_CTL_DEL, c.fd, nullptr);
    ::close(c.fd);
    if (c.counted) s_.open.fetch_sub(1);
    c.counted = false;
    c.state = State::kClosed;
    c.reply = Reply{};
  }

  Impl& s_;
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

EventServer::EventServer(int listen_fd, SSL_CTX* tls, EventServerOptions options,
                         Responder responder)
    : impl_(std::make_unique<Impl>(listen_fd, tls, options, std::move(responder))) {
  impl_->options.loops = std::max<std::size_t>(1, impl_->options.loops);
  impl_->pool = std::make_unique<BlockingReplyPool>(impl_->options.pool_threads);
  for (std::size_t i = 0; i < impl_->options.loops; ++i) {
    impl_->loops.push_back(std::make_unique<Impl::Loop>(*impl_));
  }
}

EventServer::~EventServer() {
  stop();
  impl_->pool->shutdown();  // before the loops its jobs post to
  impl_->loops.clear();
  ::close(impl_->listen_fd);
}

void EventServer::run() {
  std::vector<std::thread> threads;
  for (std::size_t i = 1; i < impl_->loops.size(); ++i) {
    threads.emplace_back([this, i] { impl_->loops[i]->run(); });
  }
  impl_->loops[0]->run();
  for (auto& t : threads) t.join();
  impl_->pool->shutdown();
}

void EventServer::stop() {
  impl_->stopping.store(true);
  for (auto& loop : impl_->loops) loop->wake();
}

}  // namespace tcorg::http
