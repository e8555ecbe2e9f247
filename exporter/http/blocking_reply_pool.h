#pragma once

// BlockingReplyPool: the threads that answer the requests an event loop must not wait for
// (bcrypt, a body still to render; see event_server.h). A fixed pool would let a few slow
// requests hold every thread while the next waits in its queue; this one starts a thread as soon
// as a job finds none idle, up to `max_threads`; only beyond that do jobs wait (in arrival
// order). Threads, once started, stay for the next jobs.
//
// Thread-safe; shutdown() finishes the queued jobs and joins every thread.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace tcorg::http {

class BlockingReplyPool {
 public:
  explicit BlockingReplyPool(std::size_t max_threads);
  ~BlockingReplyPool();
  BlockingReplyPool(const BlockingReplyPool&) = delete;
  BlockingReplyPool& operator=(const BlockingReplyPool&) = delete;

  void enqueue(std::function<void()> fn);
  void shutdown();

  std::size_t threads() const;  // started so far
  std::size_t idle() const;     // waiting for a job

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

// Threads for a server allowing `max_requests` scrapes at once (0: no limit): enough for
// every scrape slot plus bcrypt checks and 401s while all of them are busy.
std::size_t blocking_reply_threads(int max_requests);

}  // namespace tcorg::http
