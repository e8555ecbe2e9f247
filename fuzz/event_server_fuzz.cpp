// libFuzzer target for the event server's connection state machine (exporter/http/
// connection.cpp and the files event_loop.h lists): one real EventServer on loopback for the
// whole run; each input is a client's bytes, sent in pieces on a fresh connection, then the
// client's end of stream. What comes back must be a sequence of valid HTTP/1.1 replies, each with
// one Content-Length and exactly that body (none for HEAD), nothing after a reply that said
// "Connection: close", and the server must close the connection soon after the client's end of
// stream. Byte 0 sets the piece size; the rest is what the client sends. Replies that wait for the
// pool (/wait) and large bodies (/big) make the loop hand off and write in parts.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include "exporter/common/ascii.h"
#include "exporter/http/event_server.h"

namespace {

using namespace std::chrono_literals;
using tcorg::http::EventServer;
using tcorg::http::EventServerOptions;
using tcorg::http::Reply;
using tcorg::http::Responder;

void require(bool condition) {
  if (!condition) __builtin_trap();
}

std::optional<Reply> respond(const httplib::Request& req, bool may_wait) {
  if (req.path == "/wait" && !may_wait) return std::nullopt;
  Reply r;
  r.res.status = req.path == "/missing" ? 404 : 200;
  r.res.set_header("X-Method", req.method);  // tells the checker whether a body follows
  r.res.body = req.path == "/big" ? std::string(300000, 'b') : "ok\n";
  return r;
}

int start_server() {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  require(fd >= 0 && ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
          listen(fd, 64) == 0);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  EventServerOptions options;
  options.loops = 1;
  options.pool_threads = 2;
  options.request_timeout = 2s;
  // Leaked on purpose: it serves until the process ends, as libFuzzer never returns.
  auto* server = new EventServer(fd, nullptr, options, Responder{respond, {}});
  std::thread([server] { server->run(); }).detach();
  return ntohs(addr.sin_port);
}

// Reads until the server closes; false if it has not within 10 s (request_timeout is 2 s; the
// rest is room for a loaded machine).
bool read_all(int fd, std::string& out) {
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd, POLLIN, 0};
    const int ready = poll(&p, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;  // libFuzzer's timer signal
    if (ready <= 0) return false;
    char buf[65536];
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return true;  // end of stream or reset: closed
    out.append(buf, static_cast<std::size_t>(n));
  }
}

// Every reply in `out` is whole and valid; nothing follows one that closes.
void check_replies(std::string_view out) {
  while (!out.empty()) {
    const auto end = out.find("\r\n\r\n");
    require(end != std::string_view::npos);
    const std::string_view head = out.substr(0, end + 2);
    require(head.substr(0, 9) == "HTTP/1.1 " && head.size() > 13 && head[12] == ' ');
    const int status = std::atoi(std::string(head.substr(9, 3)).c_str());
    require(status == 200 || status == 400 || status == 404 || status == 405 || status == 413 ||
            status == 431 || status == 500 || status == 503);
    std::size_t length = 0, lengths = 0;
    bool closes = false, head_request = false;
    for (std::size_t at = head.find("\r\n") + 2; at < head.size();) {
      const auto eol = head.find("\r\n", at);
      const std::string_view line = head.substr(at, eol - at);
      const auto colon = line.find(':');
      require(colon != std::string_view::npos && colon > 0);
      const std::string_view name = line.substr(0, colon);
      std::string_view value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
      if (tcorg::equals_ignoring_case(name, "Content-Length")) {
        ++lengths;
        length = std::strtoull(std::string(value).c_str(), nullptr, 10);
      }
      if (tcorg::equals_ignoring_case(name, "Connection") &&
          tcorg::equals_ignoring_case(value, "close"))
        closes = true;
      if (tcorg::equals_ignoring_case(name, "X-Method") && value == "HEAD") head_request = true;
      at = eol + 2;
    }
    require(lengths == 1);
    const std::size_t body = head_request ? 0 : length;
    require(out.size() >= end + 4 + body);
    out.remove_prefix(end + 4 + body);
    if (closes) require(out.empty());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const int port = start_server();
  if (size < 1) return 0;
  const std::size_t piece = 1 + data[0] % 64 * 8;
  std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);

  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  // Thousands of connections a second leave the server's side in TIME_WAIT, which holds the
  // client port: a new source address from 127/8 each time keeps ports free.
  static std::uint32_t next_source = 0;
  sockaddr_in source{};
  source.sin_family = AF_INET;
  source.sin_addr.s_addr = htonl(0x7f000002u + next_source++ % 0xfffff0u);
  require(bind(fd, reinterpret_cast<sockaddr*>(&source), sizeof source) == 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    // Interrupted by libFuzzer's timer signal, the connect goes on: wait for its outcome.
    require(errno == EINTR);
    pollfd p{fd, POLLOUT, 0};
    while (poll(&p, 1, 5000) < 0 && errno == EINTR) {
    }
    int error = -1;
    socklen_t len = sizeof error;
    require(getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len) == 0 && error == 0);
  }
  while (!input.empty()) {
    const std::size_t n = std::min(piece, input.size());
    const ssize_t sent = ::send(fd, input.data(), n, MSG_NOSIGNAL);
    if (sent < 0 && errno == EINTR) continue;
    if (sent <= 0) break;  // the server closed: what it answered is checked below
    input.remove_prefix(static_cast<std::size_t>(sent));
  }
  shutdown(fd, SHUT_WR);
  std::string out;
  require(read_all(fd, out));  // the server closes after the client's end of stream
  ::close(fd);
  check_replies(out);
  return 0;
}
