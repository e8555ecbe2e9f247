// WorkQueue and drain_concurrently (exporter/common/concurrently.h): workers take items while
// producers still add them.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include "exporter/common/concurrently.h"

namespace tcorg {
namespace {

using namespace std::chrono_literals;

// Bounded waits: a regression fails the test instead of hanging it.
constexpr auto kPatience = 5s;

// A flag one thread raises and another waits for, with a time limit.
class Signal {
 public:
  void raise() {
    {
      std::lock_guard lock(mu_);
      raised_ = true;
    }
    cv_.notify_all();
  }
  bool wait() {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, kPatience, [this] { return raised_; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool raised_ = false;
};

TEST(WorkQueue, HandsOutInOrderThenEndsAfterTheLastProducer) {
  WorkQueue<int> q(2);
  q.push(1);
  q.push(2);
  q.producer_done();
  EXPECT_EQ(q.pop({}), 1);
  q.producer_done();  // the last one: what is queued is still handed out
  EXPECT_EQ(q.pop({}), 2);
  EXPECT_EQ(q.pop({}), std::nullopt);
}

TEST(WorkQueue, CancelDropsWhatIsQueuedAndLaterPushes) {
  WorkQueue<int> q;
  q.push(1);
  q.cancel();
  q.push(2);
  EXPECT_TRUE(q.cancelled());
  EXPECT_EQ(q.pop({}), std::nullopt);
}

TEST(WorkQueue, StopEndsPopEvenWithItemsQueued) {
  WorkQueue<int> q;
  q.push(1);
  std::stop_source stop;
  stop.request_stop();
  EXPECT_EQ(q.pop(stop.get_token()), std::nullopt);
}

TEST(DrainConcurrently, WorkStartsBeforeTheProducerIsDone) {
  WorkQueue<int> q;
  Signal started;
  bool waited_in_vain = false;
  std::jthread producer([&] {
    q.push(1);
    waited_in_vain = !started.wait();  // a drain that waited for the end would time out here
    q.push(2);
    q.producer_done();
  });
  std::vector<int> seen;
  EXPECT_EQ(drain_concurrently(q, 1,
                               [&](int i) {
                                 seen.push_back(i);
                                 started.raise();
                               },
                               {}),
            2u);
  producer.join();
  EXPECT_FALSE(waited_in_vain);
  EXPECT_EQ(seen, (std::vector<int>{1, 2}));  // one worker: the calling thread, in order
}

TEST(DrainConcurrently, BoundsInFlightWhileProducersPush) {
  constexpr int kItems = 60;
  WorkQueue<int> q(2);
  std::vector<std::atomic<int>> hits(kItems);
  std::atomic<int> in_flight{0};
  std::atomic<int> most{0};
  {
    std::vector<std::jthread> producers;
    for (int p = 0; p < 2; ++p) {
      producers.emplace_back([&q, p] {
        for (int i = p; i < kItems; i += 2) {
          q.push(i);
          if (i % 10 == 0) std::this_thread::sleep_for(1ms);
        }
        q.producer_done();
      });
    }
    const std::size_t called = drain_concurrently(
        q, 4,
        [&](int item) {
          const int now = ++in_flight;
          int prev = most.load();
          while (prev < now && !most.compare_exchange_weak(prev, now)) {
          }
          std::this_thread::sleep_for(2ms);  // long enough for the others to overlap
          ++hits[static_cast<std::size_t>(item)];
          --in_flight;
        },
        {});
    EXPECT_EQ(called, static_cast<std::size_t>(kItems));
  }
  for (const auto& h : hits) EXPECT_EQ(h.load(), 1);
  EXPECT_LE(most.load(), 4);
  EXPECT_GE(most.load(), 2);
}

TEST(DrainConcurrently, DeduplicatingIsTheCallersJob) {
  WorkQueue<int> q;
  q.push(7);
  q.push(7);
  q.producer_done();
  std::atomic<int> calls{0};
  EXPECT_EQ(drain_concurrently(q, 3, [&](int) { ++calls; }, {}), 2u);
  EXPECT_EQ(calls.load(), 2);
}

TEST(DrainConcurrently, ProducersFinishingWithAnEmptyQueueEndIt) {
  WorkQueue<int> q(3);
  {
    std::vector<std::jthread> producers;
    for (int p = 0; p < 3; ++p) producers.emplace_back([&q] { q.producer_done(); });
    EXPECT_EQ(drain_concurrently(q, 4, [](int) { FAIL(); }, {}), 0u);
  }
  WorkQueue<int> none(0);  // no producers: ended from the start
  EXPECT_EQ(drain_concurrently(none, 4, [](int) { FAIL(); }, {}), 0u);
}

TEST(DrainConcurrently, StopSkipsTheRest) {
  WorkQueue<int> q;
  for (int i = 0; i < 100; ++i) q.push(i);
  q.producer_done();
  std::stop_source stop;
  std::atomic<int> calls{0};
  const std::size_t called = drain_concurrently(
      q, 3,
      [&](int) {
        if (++calls == 5) stop.request_stop();
      },
      stop.get_token());
  EXPECT_LT(called, 100u);
  EXPECT_EQ(called, static_cast<std::size_t>(calls.load()));
}

TEST(DrainConcurrently, StopWakesWorkersWaitingForProducers) {
  WorkQueue<int> q;  // its producer does not finish until the drain has returned
  Signal drained;
  std::jthread producer([&] {
    drained.wait();
    q.producer_done();
  });
  std::stop_source stop;
  std::jthread stopper([&] {
    std::this_thread::sleep_for(20ms);
    stop.request_stop();
  });
  const auto began = std::chrono::steady_clock::now();
  EXPECT_EQ(drain_concurrently(
                q, 4, [](int) { FAIL(); }, stop.get_token()),
            0u);
  EXPECT_LT(std::chrono::steady_clock::now() - began, kPatience / 2);
  drained.raise();
}

TEST(DrainConcurrently, RethrowsFirstExceptionAndCancelsTheQueue) {
  WorkQueue<int> q;  // its producer does not finish until the drain has returned
  Signal drained;
  std::jthread producer([&] {
    for (int i = 0; i < 20; ++i) q.push(i);
    drained.wait();
    q.producer_done();
  });
  std::atomic<int> calls{0};
  const auto began = std::chrono::steady_clock::now();
  EXPECT_THROW(drain_concurrently(q, 4,
                                  [&](int) {
                                    ++calls;
                                    throw std::runtime_error("bug");
                                  },
                                  {}),
               std::runtime_error);
  EXPECT_LT(std::chrono::steady_clock::now() - began, kPatience / 2);
  drained.raise();
  EXPECT_TRUE(q.cancelled());
  EXPECT_LE(calls.load(), 4);  // at most the calls already running when the first one threw
}

}  // namespace
}  // namespace tcorg
