#pragma once

// Deciding which fault, if any, one accepted request gets. Pure but for the random source.

#include <chrono>
#include <optional>
#include <string>

#include "simulator/random.h"
#include "simulator/simulator.h"

namespace tcorg::sim {

enum class FaultKind { kNone, kInternalError, kHttp500, kMalformed, kHang };

struct FaultPlan {
  FaultKind kind = FaultKind::kNone;
  std::chrono::microseconds delay{0};  // latency + jitter, before any answer
  std::chrono::microseconds hang{0};   // kHang: how long to keep the client waiting
};

// Independent draws in a fixed order (hang, http_500, malformed, internal_error); the first that
// fires wins. fail_all means InternalError every time.
FaultPlan plan_faults(const Faults& faults, Random& random);

// The Stats::errors label of an injected fault ("" for kNone).
std::string fault_label(FaultKind kind);

// A message naming the first invalid field (probability outside 0..1, negative time), or nullopt.
std::optional<std::string> validate(const Faults& faults);

}  // namespace tcorg::sim
