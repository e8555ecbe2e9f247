#include "simulator/rate_window.h"

#include <cmath>

namespace tcorg::sim {

bool SlidingWindowLimiter::try_admit(const std::string& key, double limit) {
  std::lock_guard lock(mu_);
  return admit_locked(key, Clock::now(), limit);
}

bool SlidingWindowLimiter::try_admit(const std::string& key, Clock::time_point now, double limit) {
  std::lock_guard lock(mu_);
  return admit_locked(key, now, limit);
}

bool SlidingWindowLimiter::admit_locked(const std::string& key, Clock::time_point now,
                                        double limit) {
  if (limit < 0) return true;
  auto& window = windows_[key];
  // A request exactly 1 s old has left the window (now - 1 s, now].
  while (!window.empty() && now - window.front() >= std::chrono::seconds(1)) window.pop_front();
  if (static_cast<double>(window.size()) >= std::floor(limit)) return false;
  window.push_back(now);
  return true;
}

}  // namespace tcorg::sim
