#pragma once

// Runs fn(item) for every item with at most `max_in_flight` calls at once, so that a paced API
// is kept busy even when each call takes a few hundred milliseconds. Items not started when
// stop is requested are skipped. Returns when every started call has finished.

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <stop_token>
#include <thread>
#include <vector>

namespace tcorg::collectors {

template <class T, class Fn>
void for_each_concurrently(const std::vector<T>& items, std::size_t max_in_flight,
                           std::stop_token stop, Fn fn) {
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (std::size_t i = next++; i < items.size() && !stop.stop_requested(); i = next++) {
      fn(items[i]);
    }
  };
  const std::size_t workers = std::min(std::max<std::size_t>(max_in_flight, 1), items.size());
  std::vector<std::jthread> pool;
  pool.reserve(workers);
  for (std::size_t i = 1; i < workers; ++i) pool.emplace_back(worker);
  if (workers > 0) worker();  // the calling thread works too
}

}  // namespace tcorg::collectors
