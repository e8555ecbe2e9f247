#pragma once

// Time as the limiter and the retry loop see it, so tests can replace real waiting with a fake
// clock (tests/ratelimit/fake_clock.h) and run deterministically in microseconds.

#include <chrono>
#include <stop_token>

namespace tcorg::ratelimit {

// A monotonic clock that can sleep. Implementations are thread-safe.
class Clock {
 public:
  using time_point = std::chrono::steady_clock::time_point;
  using duration = std::chrono::steady_clock::duration;

  virtual ~Clock() = default;
  virtual time_point now() const = 0;
  // Blocks until `deadline` or until `stop` is requested, whichever is first. Returns false if
  // stopped (also when the stop was requested before the call), true once the deadline passed.
  virtual bool sleep_until(time_point deadline, std::stop_token stop) = 0;
};

// std::chrono::steady_clock. A stop request wakes the sleeper at once (within a scheduler tick).
class SteadyClock final : public Clock {
 public:
  time_point now() const override;
  bool sleep_until(time_point deadline, std::stop_token stop) override;
};

// Seconds as a double, the unit of metrics and rates.
inline double to_seconds(Clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

}  // namespace tcorg::ratelimit
