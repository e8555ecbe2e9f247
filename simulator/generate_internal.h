#pragma once

// The two halves of generate_organization, split for file size. Internal to the simulator.

#include <cstdint>
#include <vector>

#include "simulator/random.h"
#include "simulator/simulator.h"

namespace tcorg::sim::detail {

inline constexpr std::int64_t kHour = 3600;
inline constexpr std::int64_t kDay = 24 * kHour;

// Fills out.received and out.sent (ids ordered by invite time); out.members must be set.
void generate_invitations(int count, std::int64_t now, Random& random, Organization& out);

}  // namespace tcorg::sim::detail
