#pragma once

// One Limiter per API action (the cloud limits each action separately), all with the same
// options and clock. Created once at startup and shared by every caller of the API.
// Thread-safe: the set never changes after construction; each Limiter is thread-safe.

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "exporter/ratelimit/clock.h"
#include "exporter/ratelimit/limiter.h"

namespace tcorg::ratelimit {

class LimiterSet {
 public:
  // A limiter for every name in tcorg::api::action::kAll.
  LimiterSet(const LimiterOptions& options, Clock& clock);

  // Throws std::out_of_range for an action not in api::action::kAll (a programmer error).
  Limiter& get(std::string_view action);
  const Limiter& get(std::string_view action) const;
  Clock& clock() const { return clock_; }
  // Visits (action, limiter) in name order, e.g. to export effective rates.
  void for_each(const std::function<void(std::string_view, const Limiter&)>& fn) const;

 private:
  Limiter& find(std::string_view action) const;

  Clock& clock_;
  std::map<std::string, std::unique_ptr<Limiter>, std::less<>> limiters_;
};

}  // namespace tcorg::ratelimit
