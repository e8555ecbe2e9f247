#pragma once

// The API's per-action limit: at most `limit` admitted requests of one action in any sliding
// one-second window (now - 1 s, now], measured at arrival. Refused requests do not count.
// Thread-safe.

#include <chrono>
#include <deque>
#include <map>
#include <mutex>
#include <string>

namespace tcorg::sim {

class SlidingWindowLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  // Reads the clock under the lock, so concurrent arrivals are recorded in order.
  bool try_admit(const std::string& key, double limit);
  // With an explicit arrival time, for tests; `now` must not go backwards per key.
  // limit < 0: no limit; otherwise floor(limit) per window (so 0 refuses everything).
  bool try_admit(const std::string& key, Clock::time_point now, double limit);

 private:
  bool admit_locked(const std::string& key, Clock::time_point now, double limit);

  std::mutex mu_;
  std::map<std::string, std::deque<Clock::time_point>, std::less<>> windows_;
};

}  // namespace tcorg::sim
