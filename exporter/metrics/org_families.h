#pragma once

// The organization's series, built from the collectors' snapshots as prometheus-cpp metric
// families. Pure: snapshots in, families out; a missing snapshot (collector disabled or not yet
// run) yields no families for it.

#include <prometheus/metric_family.h>

#include <vector>

#include "exporter/collectors/snapshot.h"

namespace tcorg::metrics {

// "pending", "accepted", "expired", "invalidated", "cancelled", or "unknown".
const char* status_name(std::int64_t status);

std::vector<prometheus::MetricFamily> invitation_families(
    const collectors::InvitationsSnapshot& snapshot);
std::vector<prometheus::MetricFamily> member_families(const collectors::MembersSnapshot& snapshot);

}  // namespace tcorg::metrics
