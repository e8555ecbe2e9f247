#include "exporter/ratelimit/limiter_set.h"

#include <stdexcept>

#include "exporter/api/api.h"

namespace tcorg::ratelimit {

LimiterSet::LimiterSet(const LimiterOptions& options, Clock& clock) : clock_(clock) {
  for (std::string_view action : api::action::kAll) {
    limiters_.emplace(std::string(action), std::make_unique<Limiter>(options, clock));
  }
}

Limiter& LimiterSet::find(std::string_view action) const {
  auto it = limiters_.find(action);
  if (it == limiters_.end())
    throw std::out_of_range("no limiter for action " + std::string(action));
  return *it->second;
}

Limiter& LimiterSet::get(std::string_view action) {
  return find(action);
}

const Limiter& LimiterSet::get(std::string_view action) const {
  return find(action);
}

void LimiterSet::for_each(const std::function<void(std::string_view, const Limiter&)>& fn) const {
  for (const auto& [action, limiter] : limiters_) fn(action, *limiter);
}

}  // namespace tcorg::ratelimit
