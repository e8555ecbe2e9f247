#include "tests/ratelimit/fake_clock.h"

#include <algorithm>

namespace tcorg::ratelimit {

// Far from the epoch so that `now - something` never underflows in tests.
FakeClock::FakeClock() : now_(time_point{} + std::chrono::hours(1000)) {}

Clock::time_point FakeClock::now() const {
  std::lock_guard lock(mutex_);
  return now_;
}

bool FakeClock::sleep_until(time_point deadline, std::stop_token stop) {
  std::unique_lock lock(mutex_);
  if (stop.stop_requested()) return false;
  if (deadline <= now_) return true;
  auto it = deadlines_.insert(deadline);
  maybe_auto_advance();
  const bool reached = cv_.wait(lock, stop, [&] { return now_ >= deadline; });
  deadlines_.erase(it);
  return reached;
}

void FakeClock::advance(duration d) {
  std::lock_guard lock(mutex_);
  now_ += d;
  cv_.notify_all();
}

void FakeClock::advance_to(time_point t) {
  std::lock_guard lock(mutex_);
  now_ = std::max(now_, t);
  cv_.notify_all();
}

void FakeClock::set_threads(int n) {
  std::lock_guard lock(mutex_);
  threads_ = n;
  maybe_auto_advance();
}

void FakeClock::thread_done() {
  std::lock_guard lock(mutex_);
  --threads_;
  maybe_auto_advance();
}

int FakeClock::sleepers() const {
  std::lock_guard lock(mutex_);
  return static_cast<int>(deadlines_.size());
}

void FakeClock::maybe_auto_advance() {
  if (threads_ <= 0 || deadlines_.empty()) return;
  if (static_cast<int>(deadlines_.size()) < threads_) return;
  now_ = std::max(now_, *deadlines_.begin());
  cv_.notify_all();
}

}  // namespace tcorg::ratelimit
