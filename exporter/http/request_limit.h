#pragma once

// RequestLimit: --web.max-requests. At most `max` wrapped handlers run at once (0: no limit);
// one more is answered 503 at once instead of queueing behind slow scrapes, as node_exporter's
// promhttp MaxRequestsInFlight does. Thread-safe.

#include <httplib.h>

#include <atomic>

namespace tcorg::http {

class RequestLimit {
 public:
  explicit RequestLimit(int max) : max_(max) {}

  // `handler` under the limit. The RequestLimit must outlive the returned handler.
  httplib::Server::Handler wrap(httplib::Server::Handler handler);

  int in_flight() const { return in_flight_.load(); }

 private:
  const int max_;
  std::atomic<int> in_flight_{0};
};

}  // namespace tcorg::http
