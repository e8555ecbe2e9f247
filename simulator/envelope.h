#pragma once

// The JSON envelope of every API answer: {"Response": {...fields, "RequestId"}} on success,
// {"Response": {"Error": {"Code", "Message"}, "RequestId"}} on an API error (both HTTP 200).

#include <cstdint>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

#include "simulator/random.h"

namespace tcorg::sim {

// An API error answer. `code` is what clients decide on; `message` is for humans.
struct ApiFailure {
  std::string code;
  std::string message;
};

// Keeps the field order of the API pages in the answers.
using Json = nlohmann::ordered_json;

std::string success_body(Json fields, const std::string& request_id);
std::string error_body(const ApiFailure& failure, const std::string& request_id);

// UUID-shaped request ids ("97fd9345-cfd6-4b93-8205-e25d21ecd26e"). Thread-safe.
class RequestIds {
 public:
  explicit RequestIds(std::uint64_t seed) : random_(seed) {}
  std::string next();

 private:
  std::mutex mu_;
  Random random_;
};

}  // namespace tcorg::sim
