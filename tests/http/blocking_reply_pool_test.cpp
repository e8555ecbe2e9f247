#include "exporter/http/blocking_reply_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>

namespace tcorg::http {
namespace {

using namespace std::chrono_literals;

// Jobs that hold their thread until released, like idle or slow connections.
struct Gate {
  std::mutex mu;
  std::condition_variable cv;
  bool open = false;
  std::atomic<int> started{0}, finished{0};

  std::function<void()> job() {
    return [this] {
      ++started;
      std::unique_lock lock(mu);
      cv.wait(lock, [this] { return open; });
      ++finished;
    };
  }
  void release() {
    {
      std::lock_guard lock(mu);
      open = true;
    }
    cv.notify_all();
  }
  bool wait_started(int n) {
    for (int i = 0; i < 2000 && started < n; ++i) std::this_thread::sleep_for(5ms);
    return started >= n;
  }
};

TEST(BlockingReplyPool, HeldThreadsDoNotDelayNewConnections) {
  BlockingReplyPool pool(16);
  Gate gate;
  for (int i = 0; i < 12; ++i) pool.enqueue(gate.job());
  EXPECT_TRUE(gate.wait_started(12));  // a fixed pool of 8 would have stopped at 8
  EXPECT_EQ(pool.threads(), 12u);
  gate.release();
  pool.shutdown();
  EXPECT_EQ(gate.finished, 12);
}

TEST(BlockingReplyPool, BeyondTheCapConnectionsWaitTheirTurn) {
  BlockingReplyPool pool(2);
  Gate gate;
  for (int i = 0; i < 5; ++i) pool.enqueue(gate.job());
  EXPECT_TRUE(gate.wait_started(2));
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(gate.started, 2);
  EXPECT_EQ(pool.threads(), 2u);
  gate.release();
  pool.shutdown();  // serves what was queued, then joins
  EXPECT_EQ(gate.finished, 5);
}

TEST(BlockingReplyPool, ThreadsAreReused) {
  BlockingReplyPool pool(8);
  std::atomic<int> done{0};
  for (int i = 0; i < 20; ++i) {
    pool.enqueue([&] { ++done; });
    // Job done is not yet thread idle: on a loaded machine the next job could come between the
    // two and rightly start a second thread. Wait for the thread to be back.
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while ((done <= i || pool.idle() == 0) && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::yield();
    }
    ASSERT_EQ(pool.idle(), 1u) << i;
  }
  EXPECT_EQ(pool.threads(), 1u);
  pool.shutdown();
}

TEST(ConnectionThreads, RoomBeyondTheRequestLimit) {
  EXPECT_GT(blocking_reply_threads(40), 40u);
  EXPECT_GT(blocking_reply_threads(1), 1u);
  EXPECT_GT(blocking_reply_threads(0), 16u);
}

}  // namespace
}  // namespace tcorg::http
