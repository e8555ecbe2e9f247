#pragma once

// Bounded fan-out for API sweeps: with latency L and rate R, about ceil(R*L)+1 calls must be in
// flight for the limiter, not the latency, to bound throughput (R=20, L=300 ms: 7).

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>
#include <ranges>
#include <stop_token>
#include <thread>
#include <vector>

namespace tcorg::ratelimit {

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

}  // namespace tcorg::ratelimit
