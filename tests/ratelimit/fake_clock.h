#pragma once

// A discrete-event clock for tests: time moves only when told, so tests of waiting code are
// deterministic and take no real time.
//
// Time moves in two ways:
//   - advance(d) / advance_to(tp), called by the test;
//   - auto-advance: set_threads(n) declares n participating threads; whenever all n are blocked
//     in sleep_until, time jumps to the earliest deadline and exactly those sleepers wake. While
//     any participant runs, time stands still, so a woken thread sees now() == its deadline.
// n = 1 (the default) suits single-threaded tests: every sleep returns at once, time jumped.
// n = 0 is manual mode: sleepers wait for advance() or a stop request.
// Thread-safe.

#include <condition_variable>
#include <mutex>
#include <set>

#include "exporter/ratelimit/clock.h"

namespace tcorg::ratelimit {

class FakeClock final : public Clock {
 public:
  FakeClock();

  time_point now() const override;
  bool sleep_until(time_point deadline, std::stop_token stop) override;

  void advance(duration d);
  void advance_to(time_point t);
  // Auto-advance once `n` threads sleep; 0: manual only.
  void set_threads(int n);
  // A participating thread has finished (n -= 1); call it so the others keep moving.
  void thread_done();
  // Threads blocked in sleep_until right now.
  int sleepers() const;

 private:
  void maybe_auto_advance();  // mutex_ held

  mutable std::mutex mutex_;
  std::condition_variable_any cv_;
  time_point now_;
  std::multiset<time_point> deadlines_;  // one per blocked sleeper
  int threads_ = 1;
};

}  // namespace tcorg::ratelimit
