// The EventServer and its loops: epoll, accepting, the replies the pool hands back, and the
// deadlines. What each connection does is in connection.cpp (see event_loop.h for the files).

#include "exporter/http/event_server.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <csignal>
#include <ctime>
#include <system_error>
#include <thread>

#include "exporter/http/event_loop.h"

namespace tcorg::http {
namespace detail {
namespace {

constexpr std::uint64_t kListenId = 0;
constexpr std::uint64_t kWakeId = 1;
constexpr int kAcceptsPerWake = 16;  // then let another loop take its share

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

}  // namespace

Loop::Loop(ServerState& server) : server_(server) {
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
  epoll_ctl(epoll_, EPOLL_CTL_ADD, server_.listen_fd, &ev);
}

Loop::~Loop() {
  for (auto& [id, c] : connections_) close(*c);
  ::close(wake_);
  ::close(epoll_);
}

void Loop::run() {
  const SigpipeBlocked sigpipe_blocked;
  std::array<epoll_event, 64> events{};
  auto next_sweep = Clock::now() + std::chrono::seconds(1);
  while (!server_.stopping.load()) {
    const int n = epoll_wait(epoll_, events.data(), static_cast<int>(events.size()),
                             accept_paused_ ? 100 : 1000);
    for (int i = 0; i < n && !server_.stopping.load(); ++i) {
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

void Loop::wake() {
  const std::uint64_t one = 1;
  [[maybe_unused]] const auto n = ::write(wake_, &one, sizeof one);
}

void Loop::post(std::uint64_t id, Reply reply) {
  {
    std::lock_guard lock(mu_);
    replies_.emplace_back(id, std::move(reply));
  }
  wake();
}

void Loop::accept_some() {
  for (int i = 0; i < kAcceptsPerWake; ++i) {
    const int fd = accept4(server_.listen_fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      // Out of file descriptors: make room, or stop accepting for a moment, as the listening
      // socket stays readable and would wake this loop at once, again and again.
      if ((errno == EMFILE || errno == ENFILE) && !evict_least_progress()) pause_accepting();
      return;  // EAGAIN: none left
    }
    if (server_.open.load() >= server_.options.max_connections && !make_room()) {
      ::close(fd);
      continue;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    auto c = std::make_unique<Connection>();
    c->id = server_.next_id.fetch_add(1);
    c->fd = fd;
    c->deadline = Clock::now() + server_.options.request_timeout;
    c->idle = false;  // the first request is due within request_timeout, not idle_timeout
    if (server_.tls != nullptr && !start_tls(*c)) {
      ::close(fd);
      continue;
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
    server_.open.fetch_add(1);
    connections_.emplace(c->id, std::move(c));
    if (nearly_full()) least_progress();  // publishes this loop's candidate for make_room()
  }
}

void Loop::pause_accepting() {
  if (accept_paused_) return;
  epoll_ctl(epoll_, EPOLL_CTL_DEL, server_.listen_fd, nullptr);
  accept_paused_ = true;
  resume_accepting_at_ = Clock::now() + std::chrono::milliseconds(100);
}

void Loop::resume_accepting(Clock::time_point now) {
  if (!accept_paused_ || now < resume_accepting_at_) return;
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLEXCLUSIVE;
  ev.data.u64 = kListenId;
  if (epoll_ctl(epoll_, EPOLL_CTL_ADD, server_.listen_fd, &ev) == 0) accept_paused_ = false;
}

void Loop::take_replies() {
  std::uint64_t count = 0;
  [[maybe_unused]] const auto n = ::read(wake_, &count, sizeof count);
  std::vector<std::pair<std::uint64_t, Reply>> replies;
  std::vector<Shed> shed;
  {
    std::lock_guard lock(mu_);
    replies.swap(replies_);
    shed.swap(shed_);
  }
  for (const Shed& request : shed) on_shed(request);
  for (auto& [id, reply] : replies) {
    const auto it = connections_.find(id);
    if (it == connections_.end()) continue;  // closed meanwhile: the reply goes unsent
    Connection& c = *it->second;
    start_reply(c, std::move(reply));
    if (c.state == State::kReading) handle_input(c);
    if (c.state == State::kClosed) connections_.erase(it);
  }
}

void Loop::sweep(Clock::time_point now) {
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

}  // namespace detail

struct EventServer::Impl : detail::ServerState {
  using ServerState::ServerState;
};

EventServer::EventServer(int listen_fd, SSL_CTX* tls, EventServerOptions options,
                         Responder responder)
    : impl_(std::make_unique<Impl>(listen_fd, tls, options, std::move(responder))) {
  impl_->options.loops = std::max<std::size_t>(1, impl_->options.loops);
  impl_->pool = std::make_unique<BlockingReplyPool>(impl_->options.pool_threads);
  for (std::size_t i = 0; i < impl_->options.loops; ++i) {
    impl_->loops.push_back(std::make_unique<detail::Loop>(*impl_));
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
