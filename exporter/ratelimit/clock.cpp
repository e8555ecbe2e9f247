#include "exporter/ratelimit/clock.h"

#include <condition_variable>
#include <mutex>

namespace tcorg::ratelimit {

Clock::time_point SteadyClock::now() const {
  return std::chrono::steady_clock::now();
}

bool SteadyClock::sleep_until(time_point deadline, std::stop_token stop) {
  if (stop.stop_requested()) return false;
  // A due deadline must not cost a timed wait: that alone takes ~50 us of timer slack.
  if (now() >= deadline) return true;
  // A private cv per sleep: condition_variable_any registers a stop callback that notifies it,
  // which is what makes a stop wake the sleeper immediately instead of at the deadline.
  std::mutex mutex;
  std::condition_variable_any cv;
  std::unique_lock lock(mutex);
  cv.wait_until(lock, stop, deadline, [] { return false; });
  return !stop.stop_requested();
}

}  // namespace tcorg::ratelimit
