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
  if (slot != now && !clock_.sleep_until(slot, stop)) return std::nullopt;
  // A waiter that wakes late (a starved CPU) sends closer to the ones after it than its slot
  // said. Checking the actual send times of the last R sends keeps any window within R anyway.
  for (;;) {
    Clock::time_point until;
    {
      std::lock_guard lock(mutex_);
      const Clock::time_point sent = slot == now ? now : clock_.now();
      const auto capacity = static_cast<std::size_t>(std::max(1.0, std::floor(pacing_rate())));
      while (sent_.size() > capacity) sent_.pop_front();
      if (sent_.size() < capacity || sent >= sent_.front() + window_) {
        sent_.push_back(sent);
        if (sent_.size() > capacity) sent_.pop_front();
        // Pace the next reservation from this send when it went later than planned.
        if (!last_slot_ || *last_slot_ < sent) last_slot_ = sent;
        return to_seconds(sent - now);
      }
      until = sent_.front() + window_;
    }
    if (!clock_.sleep_until(until, stop)) return std::nullopt;
    slot = until;  // forces a fresh clock read above
  }
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
