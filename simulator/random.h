#pragma once

// A seeded random source with portable draws: std::uniform_*_distribution differ between standard
// libraries, so the same seed would generate a different organization elsewhere.

#include <cstdint>
#include <random>

namespace tcorg::sim {

class Random {
 public:
  explicit Random(std::uint64_t seed) : engine_(seed) {}

  // Uniform integer in [lo, hi]; lo when hi <= lo. The modulo bias is negligible for our ranges.
  std::int64_t between(std::int64_t lo, std::int64_t hi) {
    if (hi <= lo) return lo;
    const auto span = static_cast<std::uint64_t>(hi - lo) + 1;
    return lo + static_cast<std::int64_t>(engine_() % span);
  }
  // Uniform real in [0, 1).
  double unit() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }
  bool chance(double p) { return p > 0 && unit() < p; }
  std::uint64_t bits() { return engine_(); }

 private:
  std::mt19937_64 engine_;
};

}  // namespace tcorg::sim
