#pragma once

// A cpp-httplib task queue that runs each connection on its own thread, up to `max_threads` at
// once. A fixed pool would queue connection N+1 behind N slow (latency-injected) ones and delay
// its arrival time, which the rate limit is measured on. Past the cap, accepting waits.

#include <httplib.h>

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <thread>

namespace tcorg::sim {

class ConnectionThreads final : public httplib::TaskQueue {
 public:
  explicit ConnectionThreads(std::size_t max_threads) : max_threads_(max_threads) {}
  ~ConnectionThreads() override { shutdown(); }

  void enqueue(std::function<void()> fn) override;
  // Joins every thread; called by the server once it stopped accepting.
  void shutdown() override;

 private:
  struct Worker {
    std::thread thread;
    std::shared_ptr<std::atomic<bool>> done;
  };
  void reap_locked();

  const std::size_t max_threads_;
  std::mutex mu_;
  std::condition_variable finished_;
  std::list<Worker> workers_;
};

}  // namespace tcorg::sim
