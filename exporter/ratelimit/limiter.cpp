#include "exporter/ratelimit/limiter.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace tcorg::ratelimit {
namespace {

const LimiterOptions& validated(const LimiterOptions& options) {
  if (!(options.requests_per_second > 0) || !std::isfinite(options.requests_per_second)) {
    throw std::invalid_argument("limiter: requests_per_second must be a positive number");
  }
  if (options.margin < Clock::duration::zero()) {
    throw std::invalid_argument("limiter: margin must not be negative");
  }
  return options;
}

}  // namespace

Limiter::Limiter(const LimiterOptions& options, Clock& clock)
    : clock_(clock),
      max_rate_(validated(options).requests_per_second),
      whole_rate_(max_rate_ >= 1 ? std::floor(max_rate_) : max_rate_),
      window_(std::chrono::seconds(1) + options.margin),
      rate_(options.requests_per_second, options.adaptive, clock.now()) {}

std::optional<double> Limiter::acquire(std::stop_token stop) {
  if (stop.stop_requested()) return std::nullopt;
  Clock::time_point now;
  Clock::time_point slot;
  {
    // Reserving under the mutex and sleeping outside it gives FIFO order without a stampede:
    // each waiter already owns a distinct time and wakes alone.
    std::lock_guard lock(mutex_);
    now = clock_.now();
    slot = last_slot_ ? std::max(now, *last_slot_ + interval()) : now;
    last_slot_ = slot;
  }
  if (slot == now) return 0.0;  // the common case when not saturated: no second clock read
  if (!clock_.sleep_until(slot, stop)) return std::nullopt;
  return to_seconds(clock_.now() - now);
}

void Limiter::on_throttled() {
  std::lock_guard lock(mutex_);
  rate_.on_throttled(clock_.now());
}

void Limiter::on_success() {
  std::lock_guard lock(mutex_);
  rate_.on_success(clock_.now());
}

double Limiter::effective_rate() const {
  std::lock_guard lock(mutex_);
  return pacing_rate();
}

double Limiter::pacing_rate() const {
  return std::min(rate_.rate(), whole_rate_);
}

Clock::duration Limiter::interval() const {
  // Rounded up so that the spacing is never below the exact value.
  return std::chrono::ceil<Clock::duration>(std::chrono::duration<double>(window_) / pacing_rate());
}

}  // namespace tcorg::ratelimit
