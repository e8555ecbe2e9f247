#include "simulator/faults.h"

#include <cmath>

namespace tcorg::sim {

FaultPlan plan_faults(const Faults& f, Random& random) {
  FaultPlan plan;
  const double ms = f.latency_ms + (f.jitter_ms > 0 ? random.unit() * f.jitter_ms : 0.0);
  plan.delay = std::chrono::microseconds(static_cast<std::int64_t>(std::llround(ms * 1000)));
  if (f.fail_all) {  // wins without drawing
    plan.kind = FaultKind::kInternalError;
    return plan;
  }
  if (random.chance(f.hang)) {
    plan.kind = FaultKind::kHang;
    plan.hang = std::chrono::microseconds(static_cast<std::int64_t>(f.hang_seconds * 1e6));
  } else if (random.chance(f.http_500)) {
    plan.kind = FaultKind::kHttp500;
  } else if (random.chance(f.malformed)) {
    plan.kind = FaultKind::kMalformed;
  } else if (random.chance(f.internal_error)) {
    plan.kind = FaultKind::kInternalError;
  }
  return plan;
}

std::string fault_label(FaultKind kind) {
  switch (kind) {
    case FaultKind::kNone:
      return "";
    case FaultKind::kInternalError:
      return "InternalError";
    case FaultKind::kHttp500:
      return "http_500";
    case FaultKind::kMalformed:
      return "decode";
    case FaultKind::kHang:
      return "hang";
  }
  return "";
}

std::optional<std::string> validate(const Faults& f) {
  const auto probability = [](double p) { return std::isfinite(p) && p >= 0 && p <= 1; };
  const auto duration = [](double d) { return std::isfinite(d) && d >= 0; };
  if (!duration(f.latency_ms)) return "latency_ms must be >= 0";
  if (!duration(f.jitter_ms)) return "jitter_ms must be >= 0";
  if (!probability(f.internal_error)) return "internal_error must be within 0..1";
  if (!probability(f.http_500)) return "http_500 must be within 0..1";
  if (!probability(f.malformed)) return "malformed must be within 0..1";
  if (!probability(f.hang)) return "hang must be within 0..1";
  if (!duration(f.hang_seconds)) return "hang_seconds must be >= 0";
  return std::nullopt;
}

}  // namespace tcorg::sim
