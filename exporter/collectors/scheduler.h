#pragma once

// Runs each collector on its own thread at its interval. A cycle that takes longer than the
// interval is followed by the next one right away; a collector never overlaps itself. A cycle
// that throws (no memory, no thread) counts as a failed cycle with an internal error.
// Stopping (the shared stop token) interrupts the wait between cycles at once; the Api wrapper
// makes calls in flight fail promptly, so a stop completes within about a second.

#include <chrono>
#include <functional>
#include <stop_token>
#include <thread>
#include <vector>

#include "exporter/collectors/collector.h"

namespace tcorg::collectors {

// Called after every cycle with what the collector returned and how long it took.
using CycleCallback =
    std::function<void(const Collector&, CycleResult result, std::chrono::duration<double> took)>;
// Gives a collector its last published snapshot (may be null).
using PreviousSnapshot = std::function<std::shared_ptr<const Snapshot>(const Collector&)>;

class Scheduler {
 public:
  Scheduler(std::vector<Collector*> collectors, PreviousSnapshot previous, CycleCallback on_cycle);
  ~Scheduler();  // joins the threads; request stop on the token first
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // Starts one thread per collector.
  void start(std::stop_token stop);
  // Runs one cycle of every collector concurrently and returns when all are done.
  void run_once(std::stop_token stop);

 private:
  void run_cycle(Collector& collector, std::stop_token stop);
  void loop(Collector& collector, std::stop_token stop);

  std::vector<Collector*> collectors_;
  PreviousSnapshot previous_;
  CycleCallback on_cycle_;
  std::vector<std::jthread> threads_;
};

}  // namespace tcorg::collectors
