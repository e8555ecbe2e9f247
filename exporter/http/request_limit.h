#pragma once

// RequestLimit: --web.max-requests. At most `max` scrapes at once (0: no limit), each counted
// from its request to the last byte of its answer; one more is answered 503 at once instead of
// queueing behind slow scrapes, as node_exporter's promhttp MaxRequestsInFlight does.
// Thread-safe.

#include <atomic>
#include <memory>

namespace tcorg::http {

class RequestLimit {
 public:
  explicit RequestLimit(int max) : max_(max) {}

  // A slot, held until the returned pointer and its copies are gone; nullptr when every slot is
  // taken. The RequestLimit must outlive its slots.
  std::shared_ptr<void> try_acquire();

  int max() const { return max_; }
  int in_flight() const { return in_flight_.load(); }

 private:
  const int max_;
  std::atomic<int> in_flight_{0};
};

}  // namespace tcorg::http
