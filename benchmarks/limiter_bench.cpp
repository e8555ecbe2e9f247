// Per-call cost of Limiter::acquire() when it never has to wait: the mutex, two clock reads and
// the slot arithmetic every API call pays. Rate 1e9/s so slots are always already due.

#include <benchmark/benchmark.h>

#include "exporter/ratelimit/limiter.h"

namespace {

using tcorg::ratelimit::Limiter;
using tcorg::ratelimit::SteadyClock;

SteadyClock& clock_instance() {
  static SteadyClock clock;
  return clock;
}

Limiter& limiter_instance() {
  static Limiter limiter({.requests_per_second = 1e9, .margin = {}}, clock_instance());
  return limiter;
}

void BM_LimiterAcquireNoWait(benchmark::State& state) {
  Limiter& limiter = limiter_instance();
  const std::stop_token stop;
  for (auto _ : state) benchmark::DoNotOptimize(limiter.acquire(stop));
}
BENCHMARK(BM_LimiterAcquireNoWait)->Threads(1)->Threads(4)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
