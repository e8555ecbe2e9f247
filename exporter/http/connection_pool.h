#pragma once

// ConnectionPool: httplib's TaskQueue, where each task serves one connection from accept to
// close. httplib's own ThreadPool has a fixed number of threads, so a few slow or idle
// connections can hold them all while a scrape waits in its queue. This pool starts a thread as
// soon as a connection finds none idle, up to `max_threads`; only beyond that do connections
// wait (in arrival order). Threads, once started, stay for the next connections.
//
// Thread-safe; shutdown() (called by httplib when listening stops) finishes the queued
// connections and joins every thread.

#include <httplib.h>

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace tcorg::http {

class ConnectionPool final : public httplib::TaskQueue {
 public:
  explicit ConnectionPool(std::size_t max_threads);
  ~ConnectionPool() override;

  void enqueue(std::function<void()> fn) override;
  void shutdown() override;

  std::size_t threads() const;  // started so far

 private:
  void work();

  const std::size_t max_threads_;
  mutable std::mutex mu_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> jobs_;
  std::vector<std::thread> threads_;
  std::size_t idle_ = 0;
  bool stopping_ = false;
};

// Threads for a server allowing `max_requests` scrapes at once (0: no limit): enough that the
// request past the limit still finds a thread to be told 503, and that health checks, the
// landing page and 401s are served while every scrape slot is busy.
std::size_t connection_threads(int max_requests);

}  // namespace tcorg::http
