// stop() is prompt even with hanging requests and idle keep-alive connections in flight.

#include <gtest/gtest.h>

#include <future>

#include "simulator/tests/signed_call.h"

namespace tcorg::sim {
namespace {

using Clock = std::chrono::steady_clock;

TEST(Stop, ReturnsPromptlyWithAHangingRequest) {
  Options options = testing::small_options();
  options.faults.hang = 1;
  options.faults.hang_seconds = 30;
  Simulator simulator(options);
  simulator.start();
  auto pending = std::async(std::launch::async, [&] {
    auto client = testing::client_for(simulator);
    return testing::send(client, simulator, {}).status;
  });
  while (simulator.stats().errors.count("hang") == 0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  const auto start = Clock::now();
  simulator.stop();
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(2));
  EXPECT_EQ(pending.get(), 0);  // closed without an answer
}

TEST(Stop, ReturnsPromptlyWithAnIdleKeepAliveConnection) {
  Simulator simulator(testing::small_options());
  simulator.start();
  auto client = testing::client_for(simulator);
  ASSERT_EQ(testing::send(client, simulator, {}).code(), "");
  const auto start = Clock::now();
  simulator.stop();
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(2));
}

TEST(Stop, StartIsIdempotentAndStopIsRepeatable) {
  Simulator simulator(testing::small_options());
  const int port = simulator.start();
  EXPECT_GT(port, 0);
  EXPECT_EQ(simulator.start(), port);
  EXPECT_EQ(simulator.endpoint(), "http://127.0.0.1:" + std::to_string(port));
  simulator.stop();
  simulator.stop();
  EXPECT_THROW(simulator.start(), std::logic_error);
}

TEST(Stop, DestructorStops) {
  const auto start = Clock::now();
  {
    Simulator simulator(testing::small_options());
    simulator.start();
  }
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(2));
}

}  // namespace
}  // namespace tcorg::sim
