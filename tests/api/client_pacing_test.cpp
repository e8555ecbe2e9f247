// Done-when item of the issue: a client paced just under the API's limit is never throttled by
// the simulator's strict 20 requests/s sliding window. Takes about 10.5 s.

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "exporter/api/client.h"
#include "simulator/simulator.h"

namespace tcorg::api {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

TEST(ClientPacing, TwoHundredCallsAt19PerSecondNeverThrottled) {
  sim::Options so;
  so.rate_limit = 20;
  sim::Simulator sim(so);
  sim.start();
  const auto org = sim.organization();
  ASSERT_FALSE(org.members.empty());

  ClientOptions o;
  o.endpoint = sim.endpoint();
  o.endpoint_explicit = true;
  o.credentials = [&] { return Credentials{so.secret_id, so.secret_key, ""}; };
  o.timeout = 2000ms;
  Client client(std::move(o));

  // Each call starts 1/19 s after the previous one started (never earlier, and no catching up
  // after a late start, which would burst). As long as a call's latency stays under
  // 20/19 - 1 s = 52 ms, any 21 consecutive arrivals span more than one second.
  constexpr auto kSpacing = std::chrono::nanoseconds(1'000'000'000 / 19);
  int throttled = 0, failed = 0;
  Clock::duration worst_latency{};
  auto next = Clock::now();
  const auto start = next;
  for (int i = 0; i < 200; ++i) {
    std::this_thread::sleep_until(next);
    const auto sent = Clock::now();
    next = sent + kSpacing;
    const auto r = client.get_member(org.members[i % org.members.size()].uin);
    worst_latency = std::max(worst_latency, Clock::now() - sent);
    if (!r.ok()) {
      ++failed;
      throttled += r.error().is_throttled();
      ADD_FAILURE() << "call " << i << ": " << r.error().to_string();
    }
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  std::printf("200 calls in %.2f s, worst latency %.2f ms, throttled %d\n", seconds,
              std::chrono::duration<double, std::milli>(worst_latency).count(), throttled);
  EXPECT_EQ(failed, 0);
  EXPECT_EQ(throttled, 0);
  EXPECT_EQ(sim.stats().actions["GetOrganizationMember"].throttled, 0u);
  EXPECT_EQ(sim.stats().actions["GetOrganizationMember"].accepted, 200u);
  EXPECT_LT(worst_latency, 52ms);  // the precondition of the spacing argument above
}

}  // namespace
}  // namespace tcorg::api
