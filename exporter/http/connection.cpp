// A connection's state machine (event_loop.h's State): reading request heads, handing them to
// the Responder (on the loop, or on the pool when answering would wait), lingering after the
// last reply, closing. TLS is in tls_io.cpp, writing a reply in reply_writer.cpp.

#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "exporter/http/event_loop.h"
#include "exporter/http/request_head.h"

namespace tcorg::http::detail {
namespace {

constexpr std::size_t kMaxBody = 64 * 1024;            // read and dropped: no endpoint takes a body
constexpr auto kLingerTime = std::chrono::seconds(1);  // after a reply that closes mid-request

}  // namespace

void Loop::on_event(Connection& c, std::uint32_t what) {
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

void Loop::want(Connection& c, std::uint32_t events) {
  if (c.read_wants_write && c.state == State::kReading) events |= EPOLLOUT;
  if (c.events == events || c.state == State::kClosed) return;
  epoll_event ev{};
  ev.events = events;
  ev.data.u64 = c.id;
  if (epoll_ctl(epoll_, EPOLL_CTL_MOD, c.fd, &ev) != 0) return close(c);
  c.events = events;
}

// Reads what has arrived. Plain sockets: one read (epoll reports the rest); TLS: until
// OpenSSL needs the socket (read_tls()).
void Loop::read_some(Connection& c) {
  if (c.ssl != nullptr) return read_tls(c);
  if (c.in.size() > kMaxHead + kReadChunk) return;  // enough to tell the head is too large
  char buf[kReadChunk];
  const ssize_t r = ::recv(c.fd, buf, sizeof buf, 0);
  if (r > 0) {
    c.in.append(buf, static_cast<std::size_t>(r));
    return;
  }
  if (r < 0 && (errno == EAGAIN || errno == EINTR)) return;
  return close(c);  // the peer closed, or an error
}

// Answers every whole request received, in order, while the replies go out at once.
void Loop::handle_input(Connection& c) {
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
        c.deadline = c.idle_since + server_.options.idle_timeout;
      }
      return want(c, EPOLLIN);
    }
    if (c.idle) {  // the first bytes of a request: it has request_timeout to arrive whole
      c.idle = false;
      c.deadline = Clock::now() + server_.options.request_timeout;
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
    if (auto reply = server_.responder.respond(head.request, false)) {
      start_reply(c, std::move(*reply));
      continue;
    }
    c.state = State::kWaiting;
    want(c, 0);  // errors and hang-ups are still reported
    server_.pool->enqueue([this, id = c.id, req = std::move(head.request)] {
      auto reply = server_.responder.respond(req, true);
      // A Responder that broke its contract (no reply where it may wait).
      post(id, reply ? std::move(*reply) : own_reply(500, "Internal Server Error\n"));
    });
    return;
  }
}

// Answers a request that cannot be read, then closes.
void Loop::fail(Connection& c, int status, const char* text) {
  c.keep_alive = false;
  c.head_only = false;
  start_reply(c, own_reply(status, text));
}

// The last byte of a reply is written: the next request, or the end.
void Loop::reply_sent(Connection& c) {
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
void Loop::linger(Connection& c) {
  end_tls(c);  // what follows is dropped unread, below TLS
  if (::shutdown(c.fd, SHUT_WR) != 0) return close(c);
  c.state = State::kLingering;
  c.in.clear();
  c.deadline = Clock::now() + kLingerTime;
  want(c, EPOLLIN);
  drain(c);
}

void Loop::drain(Connection& c) {
  char buf[kReadChunk];
  for (;;) {
    const ssize_t r = ::read(c.fd, buf, sizeof buf);
    if (r > 0) continue;
    if (r < 0 && errno == EINTR) continue;
    if (r < 0 && errno == EAGAIN) return;
    return close(c);  // the client's end of stream, or an error
  }
}

void Loop::close(Connection& c) {
  if (c.state == State::kClosed) return;
  end_tls(c);
  epoll_ctl(epoll_, EPOLL_CTL_DEL, c.fd, nullptr);
  ::close(c.fd);
  if (c.counted) server_.open.fetch_sub(1);
  c.counted = false;
  c.state = State::kClosed;
  c.reply = Reply{};
}

}  // namespace tcorg::http::detail
