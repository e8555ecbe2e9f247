#pragma once

// Bounded fan-out for API sweeps: with latency L and rate R, about ceil(R*L)+1 calls must be in
// flight for the limiter, not the latency, to bound throughput (R=20, L=300 ms: 7).
// Standard library only, so every layer (api paging, collectors) can use it.

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <ranges>
#include <stop_token>
#include <thread>
#include <utility>
#include <vector>

namespace tcorg {

// Calls fn(item) for every item with at most `max_in_flight` calls running at once (the calling
// thread is one of the workers; the others are started for this call and joined before it
// returns). Once `stop` is requested, items not yet started are skipped. Returns how many items
// fn was called on. fn runs on several threads at once, so it must be thread-safe. If fn throws,
// the remaining items are skipped and the first exception is rethrown here after all joined.
template <std::ranges::random_access_range Range, class Fn>
std::size_t for_each_concurrently(Range&& items, std::size_t max_in_flight, Fn&& fn,
                                  std::stop_token stop) {
  const std::size_t n = std::ranges::size(items);
  std::atomic<std::size_t> next{0};
  std::atomic<std::size_t> called{0};
  std::atomic<bool> failed{false};
  std::exception_ptr first_error;
  std::mutex error_mutex;

  auto work = [&] {
    while (!stop.stop_requested() && !failed.load()) {
      const std::size_t i = next.fetch_add(1);
      if (i >= n) return;
      called.fetch_add(1);
      try {
        fn(std::ranges::begin(items)[static_cast<std::ranges::range_difference_t<Range>>(i)]);
      } catch (...) {
        std::lock_guard lock(error_mutex);
        if (!first_error) first_error = std::current_exception();
        failed = true;
      }
    }
  };

  const std::size_t workers = std::min(std::max<std::size_t>(max_in_flight, 1), n);
  {
    std::vector<std::jthread> threads;
    threads.reserve(workers > 0 ? workers - 1 : 0);
    for (std::size_t t = 1; t < workers; ++t) threads.emplace_back(work);
    work();
  }  // joins
  if (first_error) std::rethrow_exception(first_error);
  return called.load();
}

// Work that producers add while workers take it, so that work starts with the first items known
// instead of after the whole list (see drain_concurrently). Unbounded: push never blocks. Does not
// deduplicate: an item pushed twice is handed out twice. Thread-safe.
template <class T>
class WorkQueue {
 public:
  // The queue ends after `producers` calls of producer_done() (or at once if 0).
  explicit WorkQueue(std::size_t producers = 1) : producers_(producers) {}

  // Ignored once cancelled.
  void push(T item) {
    {
      std::lock_guard lock(mutex_);
      if (cancelled_) return;
      items_.push_back(std::move(item));
    }
    ready_.notify_one();
  }

  // After the last producer is done, pop() hands out what is still queued, then nullopt.
  void producer_done() {
    bool last = false;
    {
      std::lock_guard lock(mutex_);
      last = producers_ > 0 && --producers_ == 0;
    }
    if (last) ready_.notify_all();
  }

  // Drops what is queued and ends the queue now: pop() returns nullopt from here on.
  void cancel() {
    {
      std::lock_guard lock(mutex_);
      cancelled_ = true;
      items_.clear();
    }
    ready_.notify_all();
  }

  bool cancelled() const {
    std::lock_guard lock(mutex_);
    return cancelled_;
  }

  // Waits for an item. nullopt once the queue has ended (cancelled, or every producer done and
  // nothing left) or `stop` is requested, even with items still queued.
  std::optional<T> pop(std::stop_token stop) {
    std::unique_lock lock(mutex_);
    ready_.wait(lock, stop, [this] { return cancelled_ || !items_.empty() || producers_ == 0; });
    if (cancelled_ || stop.stop_requested() || items_.empty()) return std::nullopt;
    std::optional<T> item(std::move(items_.front()));
    items_.pop_front();
    return item;
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable_any ready_;  // _any: its wait can be interrupted by a stop_token
  std::deque<T> items_;
  std::size_t producers_;
  bool cancelled_ = false;
};

// Calls fn(item) for every item popped from `queue` with at most `max_in_flight` calls running at
// once (the calling thread is one of the workers, the others are joined before it returns) until
// the queue ends or `stop` is requested; items not yet started then are skipped. Returns how many
// items fn was called on. fn must be thread-safe. If fn throws, the queue is cancelled and the
// first exception is rethrown here after all joined.
template <class T, class Fn>
std::size_t drain_concurrently(WorkQueue<T>& queue, std::size_t max_in_flight, Fn&& fn,
                               std::stop_token stop) {
  std::atomic<std::size_t> called{0};
  std::exception_ptr first_error;
  std::mutex error_mutex;

  auto work = [&] {
    while (auto item = queue.pop(stop)) {
      called.fetch_add(1);
      try {
        fn(std::move(*item));
      } catch (...) {
        {
          std::lock_guard lock(error_mutex);
          if (!first_error) first_error = std::current_exception();
        }
        queue.cancel();
      }
    }
  };

  // Unlike for_each_concurrently the amount of work is unknown up front: start every worker.
  const std::size_t workers = std::max<std::size_t>(max_in_flight, 1);
  {
    std::vector<std::jthread> threads;
    try {
      threads.reserve(workers - 1);
      for (std::size_t t = 1; t < workers; ++t) threads.emplace_back(work);
    } catch (...) {
      queue.cancel();  // or the workers started would wait for the producers before the join
      throw;
    }
    work();
  }  // joins
  if (first_error) std::rethrow_exception(first_error);
  return called.load();
}

}  // namespace tcorg
