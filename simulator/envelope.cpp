#include "simulator/envelope.h"

#include <cstdio>

namespace tcorg::sim {

std::string success_body(Json fields, const std::string& request_id) {
  fields["RequestId"] = request_id;
  Json out;
  out["Response"] = std::move(fields);
  return out.dump();
}

std::string error_body(const ApiFailure& failure, const std::string& request_id) {
  Json error;
  error["Code"] = failure.code;
  error["Message"] = failure.message;
  Json response;
  response["Error"] = std::move(error);
  response["RequestId"] = request_id;
  Json out;
  out["Response"] = std::move(response);
  return out.dump();
}

std::string RequestIds::next() {
  std::uint64_t hi = 0, lo = 0;
  {
    std::lock_guard lock(mu_);
    hi = random_.bits();
    lo = random_.bits();
  }
  // Version 4 / variant 1 bits, like the real ids.
  char buf[40];
  std::snprintf(buf, sizeof buf, "%08x-%04x-4%03x-%04x-%012llx", static_cast<unsigned>(hi >> 32),
                static_cast<unsigned>((hi >> 16) & 0xffff), static_cast<unsigned>(hi & 0x0fff),
                static_cast<unsigned>(0x8000 | ((lo >> 48) & 0x3fff)),
                static_cast<unsigned long long>(lo & 0xffffffffffffULL));
  return buf;
}

}  // namespace tcorg::sim
