#include "exporter/collectors/scheduler.h"

#include <condition_variable>
#include <exception>
#include <mutex>

namespace tcorg::collectors {

Scheduler::Scheduler(std::vector<Collector*> collectors, PreviousSnapshot previous,
                     CycleCallback on_cycle)
    : collectors_(std::move(collectors)),
      previous_(std::move(previous)),
      on_cycle_(std::move(on_cycle)) {}

Scheduler::~Scheduler() {
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
}

void Scheduler::run_cycle(Collector& collector, std::stop_token stop) {
  const auto started = std::chrono::steady_clock::now();
  const auto previous = previous_(collector);
  CycleResult result;
  try {
    result = collector.collect(previous.get(), stop);
  } catch (const std::exception& e) {
    // Out of memory or threads mid-cycle: this cycle fails, the last good data and the other
    // collectors stay, and the next cycle tries again. Uncaught, it would end the process.
    result = {nullptr, api::ApiError{api::ErrorKind::kInternal, "", e.what(), "", 0}};
  }
  on_cycle_(collector, std::move(result), std::chrono::steady_clock::now() - started);
}

void Scheduler::loop(Collector& collector, std::stop_token stop) {
  std::mutex mu;
  std::condition_variable_any cv;
  while (!stop.stop_requested()) {
    const auto next = std::chrono::steady_clock::now() + collector.interval();
    run_cycle(collector, stop);
    std::unique_lock lock(mu);
    cv.wait_until(lock, stop, next, [] { return false; });
  }
}

void Scheduler::start(std::stop_token stop) {
  for (Collector* c : collectors_) {
    threads_.emplace_back([this, c, stop] { loop(*c, stop); });
  }
}

void Scheduler::run_once(std::stop_token stop) {
  std::vector<std::jthread> once;
  for (Collector* c : collectors_) once.emplace_back([this, c, stop] { run_cycle(*c, stop); });
}

}  // namespace tcorg::collectors
