#include "exporter/http/blocking_reply_pool.h"

#include <system_error>

namespace tcorg::http {

BlockingReplyPool::BlockingReplyPool(std::size_t max_threads)
    : max_threads_(max_threads > 0 ? max_threads : 1) {}

BlockingReplyPool::~BlockingReplyPool() {
  shutdown();
}

void BlockingReplyPool::enqueue(std::function<void()> fn) {
  {
    std::lock_guard lock(mu_);
    jobs_.push_back(std::move(fn));
    if (jobs_.size() > idle_ && threads_.size() < max_threads_) {
      try {
        threads_.emplace_back([this] { work(); });
      } catch (const std::system_error&) {
        // Out of threads for now: the job waits for a running one.
      }
    }
  }
  // After unlocking: a worker woken under the lock would only block on it again, two more
  // context switches per connection.
  ready_.notify_one();
}

void BlockingReplyPool::shutdown() {
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    threads.swap(threads_);
  }
  ready_.notify_all();
  for (auto& t : threads) t.join();
}

std::size_t BlockingReplyPool::threads() const {
  std::lock_guard lock(mu_);
  return threads_.size();
}

std::size_t BlockingReplyPool::idle() const {
  std::lock_guard lock(mu_);
  return idle_;
}

void BlockingReplyPool::work() {
  std::unique_lock lock(mu_);
  for (;;) {
    ++idle_;
    ready_.wait(lock, [this] { return !jobs_.empty() || stopping_; });
    --idle_;
    if (jobs_.empty()) return;  // stopping, and nothing left to serve
    auto job = std::move(jobs_.front());
    jobs_.pop_front();
    lock.unlock();
    job();
    lock.lock();
  }
}

std::size_t blocking_reply_threads(int max_requests) {
  constexpr std::size_t kSpare = 16;      // for /-/healthy, /-/ready, /, 401s and 503s
  constexpr std::size_t kUnlimited = 64;  // scrapes at once when --web.max-requests=0
  return (max_requests > 0 ? static_cast<std::size_t>(max_requests) : kUnlimited) + kSpare;
}

}  // namespace tcorg::http
