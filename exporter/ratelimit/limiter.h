#pragma once

// Paces the calls of one API action so the cloud's limit -- at most R requests in ANY sliding
// one-second window, counted at arrival -- is never exceeded, even with many threads asking.
//
// How: every send gets a slot, reserved in FIFO order under a mutex, at least
//   interval = (1 s + margin) / effective_rate
// after the previous slot; the caller then sleeps until its slot. Any R+1 consecutive sends thus
// span at least R * interval >= 1 s + margin, so no window of 1 s (closed, at any position) holds
// more than R of them, with `margin` left for scheduling and network jitter. There is no burst
// credit: after an idle period the first call goes at once and the next ones are paced again.
// Steady-state throughput is effective_rate / (1 + margin), 97.6% of R with the default margin.
// A fractional R >= 1 is paced as floor(R): a window cannot hold 15.5 calls, only 15.
// Slots are plans; a caller that wakes late would crowd the sends after it. So before returning,
// acquire() also checks the actual send times of the last R sends and waits until the oldest is
// 1 s + margin old: the window holds however late the threads run.
//
// Thread-safe; one instance per action, shared by everything that calls that action.

#include <deque>
#include <mutex>
#include <optional>
#include <stop_token>

#include "exporter/ratelimit/adaptive_rate.h"
#include "exporter/ratelimit/clock.h"

namespace tcorg::ratelimit {

struct LimiterOptions {
  double requests_per_second = 15;  // R: the hard ceiling; must be > 0
  // Added to the 1 s window: absorbs wake-up delay and network jitter between our send and the
  // server's arrival timestamp.
  Clock::duration margin = std::chrono::milliseconds(25);
  AdaptiveOptions adaptive = {};
};

class Limiter {
 public:
  // Throws std::invalid_argument on a non-positive/non-finite rate or a negative margin.
  Limiter(const LimiterOptions& options, Clock& clock);
  Limiter(const Limiter&) = delete;
  Limiter& operator=(const Limiter&) = delete;

  // Blocks until one call may be sent. Returns the seconds waited, or nullopt if `stop` was
  // requested before or during the wait (a waiter wakes at once on stop).
  std::optional<double> acquire(std::stop_token stop);

  // Feedback from the call's answer: throttled lowers the rate, success lets it recover.
  void on_throttled();
  void on_success();

  // Requests per second currently allowed (adaptive, at most floor(max_rate()) when >= 1).
  double effective_rate() const;
  double max_rate() const { return max_rate_; }

 private:
  double pacing_rate() const;        // mutex_ held
  Clock::duration interval() const;  // mutex_ held

  Clock& clock_;
  const double max_rate_;
  const double whole_rate_;       // floor(max_rate_), or max_rate_ below 1
  const Clock::duration window_;  // 1 s + margin
  mutable std::mutex mutex_;
  AdaptiveRate rate_;
  std::optional<Clock::time_point> last_slot_;
  std::deque<Clock::time_point> sent_;  // actual send times of the last R sends, oldest first
};

}  // namespace tcorg::ratelimit
