#include "auth_flood.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <optional>
#include <thread>
#include <vector>

namespace tcorg::http::testing {
namespace {

using Clock = std::chrono::steady_clock;

struct Answer {
  int status = 0;
  bool retry_after = false;
};

// One keep-alive HTTP/1.1 connection with blocking sockets and a 10 s receive timeout.
class Connection {
 public:
  explicit Connection(int port) : port_(port) {}
  ~Connection() { close(); }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // nullopt: no answer (refused, reset, timed out); the next get() reconnects.
  std::optional<Answer> get(const std::string& path, const std::string& authorization) {
    if (fd_ < 0 && !open()) return std::nullopt;
    const std::string request = "GET " + path +
                                " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + authorization +
                                "\r\n\r\n";
    if (::send(fd_, request.data(), request.size(), MSG_NOSIGNAL) !=
        static_cast<ssize_t>(request.size())) {
      close();
      return std::nullopt;
    }
    auto answer = read_answer();
    if (!answer) close();
    return answer;
  }

 private:
  bool open() {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) return false;
    timeval tv{10, 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    int one = 1;
    setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port_));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      close();
      return false;
    }
    buffer_.clear();
    return true;
  }
  void close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  bool fill() {
    char chunk[16384];
    const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<std::size_t>(n));
    return true;
  }
  std::optional<Answer> read_answer() {
    std::size_t end;
    while ((end = buffer_.find("\r\n\r\n")) == std::string::npos) {
      if (!fill()) return std::nullopt;
    }
    std::string head = buffer_.substr(0, end + 2);
    std::transform(head.begin(), head.end(), head.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    Answer a;
    if (std::sscanf(head.c_str(), "http/1.1 %d", &a.status) != 1) return std::nullopt;
    a.retry_after = head.find("\r\nretry-after:") != std::string::npos;
    std::size_t length = 0;
    if (const auto at = head.find("\r\ncontent-length:"); at != std::string::npos) {
      length = std::strtoul(head.c_str() + at + 17, nullptr, 10);
    }
    const bool closing = head.find("\r\nconnection: close") != std::string::npos;
    while (buffer_.size() < end + 4 + length) {
      if (!fill()) return std::nullopt;
    }
    buffer_.erase(0, end + 4 + length);
    if (closing) close();
    return a;
  }

  const int port_;
  int fd_ = -1;
  std::string buffer_;
};

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const auto at = static_cast<std::size_t>(std::lround(p * static_cast<double>(v.size() - 1)));
  return v[std::min(at, v.size() - 1)];
}

}  // namespace

std::string basic_authorization(const std::string& user, const std::string& password) {
  static const char* kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const std::string in = user + ":" + password;
  std::string out;
  for (std::size_t i = 0; i < in.size(); i += 3) {
    unsigned n = static_cast<unsigned char>(in[i]) << 16;
    if (i + 1 < in.size()) n |= static_cast<unsigned char>(in[i + 1]) << 8;
    if (i + 2 < in.size()) n |= static_cast<unsigned char>(in[i + 2]);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < in.size() ? kAlphabet[(n >> 6) & 63] : '=';
    out += i + 2 < in.size() ? kAlphabet[n & 63] : '=';
  }
  return "Basic " + out;
}

std::string FloodResult::describe() const {
  char line[512];
  std::snprintf(line, sizeof line,
                "scraper: %d scrapes, %d x 200 (%.1f%%), %d x 401, %d x 503, %d other; "
                "latency p50 %.1f ms, p95 %.1f ms, max %.1f ms | flood: %ld requests "
                "(%.0f/s), %ld x 401, %ld x 503",
                scrapes, ok, scrapes > 0 ? 100.0 * ok / scrapes : 0.0, unauthorized, busy, other,
                p50_ms, p95_ms, max_ms, flood_requests,
                seconds > 0 ? static_cast<double>(flood_requests) / seconds : 0.0,
                flood_unauthorized, flood_busy);
  return line;
}

FloodResult run_flood(const FloodOptions& o) {
  FloodResult result;
  const std::string right = basic_authorization(o.user, o.right_password);
  if (o.warm) {
    Connection c(o.port);
    for (int i = 0; i < 100; ++i) {
      const auto a = c.get(o.path, right);
      if (a && a->status == 200) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }

  std::atomic<bool> stop{false};
  std::atomic<long> flood_requests{0}, flood_unauthorized{0}, flood_busy{0};
  std::vector<std::thread> flood;
  for (int i = 0; i < o.flood_clients; ++i) {
    flood.emplace_back([&, i] {
      Connection c(o.port);
      const std::string same = basic_authorization(o.user, "wrong-password");
      for (long n = 0; !stop; ++n) {
        const std::string guess = o.distinct_guesses
                                      ? basic_authorization(o.user, "guess-" + std::to_string(i) +
                                                                        "-" + std::to_string(n))
                                      : same;
        const auto a = c.get(o.path, guess);
        ++flood_requests;
        if (!a) {
          std::this_thread::sleep_for(std::chrono::milliseconds(10));
          continue;
        }
        if (a->status == 401) ++flood_unauthorized;
        if (a->status == 503) ++flood_busy;
      }
    });
  }

  std::this_thread::sleep_for(o.head_start);
  const auto start = Clock::now();
  const auto end = start + o.duration;
  std::vector<double> latencies;
  Connection scraper(o.port);
  for (auto next = start; next < end; next += o.scrape_interval) {
    std::this_thread::sleep_until(next);
    const auto t0 = Clock::now();
    const auto a = scraper.get(o.path, right);
    latencies.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    ++result.scrapes;
    const int status = a ? a->status : 0;
    if (status == 200) {
      ++result.ok;
    } else if (status == 401) {
      ++result.unauthorized;
    } else if (status == 503) {
      ++result.busy;
      if (!a->retry_after) ++result.busy_without_retry_after;
    } else {
      ++result.other;
    }
  }
  result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  stop = true;
  for (auto& t : flood) t.join();
  result.flood_requests = flood_requests;
  result.flood_unauthorized = flood_unauthorized;
  result.flood_busy = flood_busy;
  result.p50_ms = percentile(latencies, 0.50);
  result.p95_ms = percentile(latencies, 0.95);
  result.max_ms = latencies.empty() ? 0 : *std::max_element(latencies.begin(), latencies.end());
  return result;
}

}  // namespace tcorg::http::testing
