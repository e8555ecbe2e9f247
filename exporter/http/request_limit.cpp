#include "exporter/http/request_limit.h"

namespace tcorg::http {

std::shared_ptr<void> RequestLimit::try_acquire() {
  if (in_flight_.fetch_add(1) >= max_ && max_ > 0) {
    in_flight_.fetch_sub(1);
    return nullptr;
  }
  return {this, [](RequestLimit* limit) { limit->in_flight_.fetch_sub(1); }};
}

}  // namespace tcorg::http
