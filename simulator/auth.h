#pragma once

// TC3-HMAC-SHA256 verification as the real service does it, with its error codes. Pure functions.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "exporter/api/credentials.h"
#include "simulator/envelope.h"

namespace tcorg::sim {

inline constexpr std::string_view kService = "organization";

// The parts of "TC3-HMAC-SHA256 Credential=<id>/<date>/<service>/tc3_request,
// SignedHeaders=<list>, Signature=<hex>".
struct Authorization {
  std::string secret_id;
  std::string date;
  std::string service;
  std::string signed_headers;
  std::string signature;
};

// nullopt when the header does not have that shape (the real service's InvalidAuthorization).
std::optional<Authorization> parse_authorization(std::string_view header);

// What arrived, header values as sent (empty when absent).
struct SignedRequest {
  std::string authorization;
  std::string host;
  std::string content_type;
  std::string action;
  std::string timestamp;
  std::string token;
  std::string_view body;
};

// nullopt when the request is authentic, signed for `service` ("organization", "sts"). Checks in
// this order, each with its real code: malformed Authorization or unsupported SignedHeaders →
// AuthFailure.InvalidAuthorization; X-TC-Timestamp absent → MissingParameter, not an integer →
// InvalidParameter; unknown SecretId → AuthFailure.SecretIdNotFound; |now - timestamp| > max_skew →
// AuthFailure.SignatureExpire; wrong service, wrong credential date, or wrong signature →
// AuthFailure.SignatureFailure; X-TC-Token differing from the configured token (also a token sent
// to permanent keys) → AuthFailure.TokenFailure. The signed host may be the Host header with or
// without its ":port", because SDKs disagree on non-default ports.
std::optional<ApiFailure> verify_request(const SignedRequest& request,
                                         const api::Credentials& credentials, std::int64_t now,
                                         int max_skew_seconds, std::string_view service = kService);

}  // namespace tcorg::sim
