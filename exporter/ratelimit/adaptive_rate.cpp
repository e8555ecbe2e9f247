#include "exporter/ratelimit/adaptive_rate.h"

#include <algorithm>

namespace tcorg::ratelimit {

AdaptiveRate::AdaptiveRate(double max_rate, const AdaptiveOptions& options, Clock::time_point now)
    : max_rate_(max_rate),
      min_rate_(std::min(options.min_rate, max_rate)),
      options_(options),
      rate_(max_rate),
      last_update_(now),
      last_decrease_(now) {}

bool AdaptiveRate::on_throttled(Clock::time_point now) {
  if (decreased_ && now - last_decrease_ < options_.cooldown) return false;
  const double lowered = std::max(min_rate_, rate_ * options_.decrease_factor);
  decreased_ = true;
  last_decrease_ = now;
  last_update_ = now;
  if (lowered >= rate_) return false;
  rate_ = lowered;
  return true;
}

void AdaptiveRate::on_success(Clock::time_point now) {
  if (now <= last_update_) return;
  const double gained = options_.recovery_per_second * max_rate_ * to_seconds(now - last_update_);
  rate_ = std::min(max_rate_, rate_ + gained);
  last_update_ = now;
}

}  // namespace tcorg::ratelimit
