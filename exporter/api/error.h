#pragma once

// The one error type of an API call, and Result<T>: a value or an ApiError. Runtime failures
// (throttling, timeouts, auth) are values, never exceptions. An ApiError never holds a secret.

#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace tcorg::api {

enum class ErrorKind {
  kApi,         // HTTP 200 with Response.Error: `code` is the API's Code
  kTransport,   // connect, TLS, read/write failure
  kTimeout,     // no complete answer within the per-request timeout
  kHttpStatus,  // HTTP status other than 200
  kDecode,      // not JSON, no Response, wrong field type: `message` names the field
  kInternal,    // the exporter itself failed (no memory, no thread): the cycle was abandoned
};

struct ApiError {
  ErrorKind kind = ErrorKind::kTransport;
  std::string code;        // API error Code (kApi only)
  std::string message;     // human text; for kDecode names the field
  std::string request_id;  // from the response when there was one
  int http_status = 0;     // kHttpStatus only

  // The `code` label of tencentcloud_org_api_errors_total: the API code, or transport, timeout,
  // http_<status>, decode. Counters, logs and retry decisions all use this one function.
  std::string label() const;
  // RequestLimitExceeded and its sub-codes: someone is using the action's quota.
  bool is_throttled() const;
  // AuthFailure.* and UnauthorizedOperation*: retrying will not help until credentials change.
  bool is_auth() const;
  // ResourceNotFound.*
  bool is_not_found() const;
  // Worth retrying: throttling, transport, timeout, HTTP 5xx, InternalError, ServiceUnavailable.
  bool is_retryable() const;
  // Made by stopped_error(): the call or cycle was cut short by a stop request (shutdown), not
  // failed by the cloud.
  bool is_stopped() const;
  // One line for logs, e.g. `api error code=InternalError request_id=... message="..."`.
  std::string to_string() const;
};

// kTransport with message "stopped": what a call or a cycle returns when a stop request cut it
// short. Any layer that stops early returns this, so callers tell shutdown from failure with
// is_stopped() whichever layer noticed the stop.
ApiError stopped_error();

// Replaces every occurrence of `secret` in the error's text fields with "<redacted>": belt and
// braces, so no ApiError holds a key or token even if a server echoed the request. Empty: no-op.
void redact(ApiError& error, std::string_view secret);

template <class T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}         // NOLINT(google-explicit-constructor)
  Result(ApiError error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  const ApiError& error() const { return std::get<1>(v_); }

  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, ApiError> v_;
};

}  // namespace tcorg::api
