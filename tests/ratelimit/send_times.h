#pragma once

// Statistics over recorded send times, shared by the limiter tests.

#include <algorithm>
#include <chrono>
#include <vector>

#include "exporter/ratelimit/clock.h"

namespace tcorg::ratelimit::testing {

using TimePoints = std::vector<Clock::time_point>;

// Most sends in any closed window [t, t + window]. Checking the windows that start at a send is
// enough: sliding any other window right until it starts at a send loses none of its sends.
inline int max_in_window(TimePoints times, Clock::duration window = std::chrono::seconds(1)) {
  std::sort(times.begin(), times.end());
  int most = 0;
  for (auto it = times.begin(); it != times.end(); ++it) {
    const auto end = std::upper_bound(it, times.end(), *it + window);
    most = std::max(most, static_cast<int>(end - it));
  }
  return most;
}

// Sends per second from the first send to the last.
inline double achieved_rate(TimePoints times) {
  if (times.size() < 2) return 0;
  const auto [first, last] = std::minmax_element(times.begin(), times.end());
  return static_cast<double>(times.size() - 1) / to_seconds(*last - *first);
}

// Shortest time spanned by n consecutive sends: with n = R+1 this minus 1 s is the slack left
// before some window would hold R+1 (what the limiter's margin is for).
inline double min_span_seconds(TimePoints times, std::size_t n) {
  std::sort(times.begin(), times.end());
  double span = 1e9;
  for (std::size_t i = 0; i + n <= times.size(); ++i) {
    span = std::min(span, to_seconds(times[i + n - 1] - times[i]));
  }
  return span;
}

inline double min_gap_seconds(TimePoints times) {
  std::sort(times.begin(), times.end());
  double gap = 1e9;
  for (std::size_t i = 1; i < times.size(); ++i)
    gap = std::min(gap, to_seconds(times[i] - times[i - 1]));
  return gap;
}

}  // namespace tcorg::ratelimit::testing
