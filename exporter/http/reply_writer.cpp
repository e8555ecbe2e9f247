// Writing a reply: its status line and headers, the parts not yet sent, and sending them (one
// sendmsg of all parts, or SSL_write a part at a time through tls_io.cpp).

#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include <array>
#include <cerrno>
#include <string_view>

#include "exporter/http/content_types.h"
#include "exporter/http/event_loop.h"

namespace tcorg::http::detail {
namespace {

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
  r.res.set_content(text, kTextType);
  return r;
}

}  // namespace

// The server's own answers carry what every reply carries (the configured headers).
Reply Loop::own_reply(int status, const char* text) const {
  Reply r = text_reply(status, text);
  if (server_.responder.decorate) server_.responder.decorate(r.res);
  return r;
}

void Loop::start_reply(Connection& c, Reply reply) {
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
  c.deadline = Clock::now() + server_.options.write_timeout;
  write_some(c);
}

// The parts of the reply not yet sent, at most `max` of them.
std::size_t Loop::unsent(const Connection& c, iovec* out, std::size_t max) const {
  std::array<std::string_view, 4> parts{c.out_head};
  std::size_t count = 1;
  if (c.body_size > 0) {
    if (const auto& b = c.reply.body) {
      for (std::string_view p : b->parts()) parts[count++] = p;
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

void Loop::write_some(Connection& c) {
  const std::size_t total = c.out_head.size() + c.body_size;
  while (c.sent < total) {
    std::array<iovec, 4> iov{};
    const std::size_t n = unsent(c, iov.data(), c.ssl != nullptr ? 1 : iov.size());
    if (!(c.ssl != nullptr ? send_tls(c, iov[0]) : send_plain(c, iov.data(), n))) return;
    c.deadline = Clock::now() + server_.options.write_timeout;
  }
  c.reply = Reply{};  // lets go of the body and of the request's slot
  c.out_head.clear();
  reply_sent(c);
}

// Writes what the socket takes of the `n` parts; false when it has to wait for the socket or
// has closed the connection.
bool Loop::send_plain(Connection& c, iovec* iov, std::size_t n) {
  msghdr msg{};
  msg.msg_iov = iov;
  msg.msg_iovlen = n;
  ssize_t r = 0;
  do {
    r = ::sendmsg(c.fd, &msg, MSG_NOSIGNAL);
  } while (r < 0 && errno == EINTR);
  if (r < 0) {
    if (errno == EAGAIN) {
      want(c, EPOLLOUT);
    } else {
      close(c);
    }
    return false;
  }
  c.sent += static_cast<std::size_t>(r);
  return true;
}

}  // namespace tcorg::http::detail
