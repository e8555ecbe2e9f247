#pragma once

// AIMD control of one action's sending rate. A RequestLimitExceeded answer means someone else
// uses the same quota, so we back off multiplicatively and win the rate back slowly.
// Not thread-safe: its Limiter guards it with its own mutex.

#include "exporter/ratelimit/clock.h"

namespace tcorg::ratelimit {

struct AdaptiveOptions {
  double decrease_factor = 0.5;       // rate *= this on a throttle
  double min_rate = 1;                // never below this (or below max_rate if smaller)
  double recovery_per_second = 0.05;  // fraction of max_rate regained per second of success
  // Throttles within this long after a decrease are ignored: calls already in flight when the
  // first throttle came back carry no new information and would otherwise halve the rate again.
  Clock::duration cooldown = std::chrono::seconds(1);
};

class AdaptiveRate {
 public:
  AdaptiveRate(double max_rate, const AdaptiveOptions& options, Clock::time_point now);

  double rate() const { return rate_; }
  double max_rate() const { return max_rate_; }
  // Returns true if the rate was lowered (false within the cooldown or already at the floor).
  bool on_throttled(Clock::time_point now);
  // Additive increase proportional to the time since the last change, capped at max_rate.
  void on_success(Clock::time_point now);

 private:
  double max_rate_;
  double min_rate_;
  AdaptiveOptions options_;
  double rate_;
  Clock::time_point last_update_;
  Clock::time_point last_decrease_;
  bool decreased_ = false;
};

}  // namespace tcorg::ratelimit
