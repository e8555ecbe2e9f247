#include "simulator/connection_threads.h"

namespace tcorg::sim {

void ConnectionThreads::enqueue(std::function<void()> fn) {
  std::unique_lock lock(mu_);
  reap_locked();
  while (workers_.size() >= max_threads_) {
    finished_.wait(lock);
    reap_locked();
  }
  auto done = std::make_shared<std::atomic<bool>>(false);
  std::thread thread([this, fn = std::move(fn), done] {
    fn();
    {
      std::lock_guard guard(mu_);
      done->store(true);
    }
    finished_.notify_all();
  });
  workers_.push_back({std::move(thread), std::move(done)});
}

void ConnectionThreads::shutdown() {
  std::list<Worker> all;
  {
    std::lock_guard lock(mu_);
    all.swap(workers_);
  }
  for (Worker& w : all) {
    if (w.thread.joinable()) w.thread.join();
  }
}

void ConnectionThreads::reap_locked() {
  for (auto it = workers_.begin(); it != workers_.end();) {
    if (it->done->load()) {
      it->thread.join();  // already past its last statement
      it = workers_.erase(it);
    } else {
      ++it;
    }
  }
}

}  // namespace tcorg::sim
