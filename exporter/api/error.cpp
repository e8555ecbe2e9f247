#include "exporter/api/error.h"

namespace tcorg::api {
namespace {

bool starts_with(const std::string& s, std::string_view prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

}  // namespace

std::string ApiError::label() const {
  switch (kind) {
    case ErrorKind::kApi:
      return code.empty() ? "unknown" : code;
    case ErrorKind::kTransport:
      return "transport";
    case ErrorKind::kTimeout:
      return "timeout";
    case ErrorKind::kHttpStatus:
      return "http_" + std::to_string(http_status);
    case ErrorKind::kDecode:
      return "decode";
    case ErrorKind::kInternal:
      return "internal";
  }
  return "unknown";
}

bool ApiError::is_throttled() const {
  return kind == ErrorKind::kApi && starts_with(code, "RequestLimitExceeded");
}

bool ApiError::is_auth() const {
  return kind == ErrorKind::kApi &&
         (starts_with(code, "AuthFailure") || starts_with(code, "UnauthorizedOperation"));
}

bool ApiError::is_not_found() const {
  return kind == ErrorKind::kApi && starts_with(code, "ResourceNotFound");
}

bool ApiError::is_retryable() const {
  switch (kind) {
    case ErrorKind::kTransport:
    case ErrorKind::kTimeout:
      return true;
    case ErrorKind::kHttpStatus:
      return http_status >= 500 || http_status == 429;
    case ErrorKind::kDecode:
    case ErrorKind::kInternal:
      return false;
    case ErrorKind::kApi:
      return is_throttled() || code == "InternalError" || code == "ServiceUnavailable";
  }
  return false;
}

bool ApiError::is_stopped() const {
  return kind == ErrorKind::kTransport && message == "stopped";
}

std::string ApiError::to_string() const {
  std::string out;
  switch (kind) {
    case ErrorKind::kApi:
      out = "api error code=" + code;
      break;
    case ErrorKind::kTransport:
      out = "transport error";
      break;
    case ErrorKind::kTimeout:
      out = "timeout";
      break;
    case ErrorKind::kHttpStatus:
      out = "http status " + std::to_string(http_status);
      break;
    case ErrorKind::kDecode:
      out = "decode error";
      break;
    case ErrorKind::kInternal:
      out = "internal error";
      break;
  }
  if (!request_id.empty()) out += " request_id=" + request_id;
  if (!message.empty()) out += ": " + message;
  return out;
}

ApiError stopped_error() {
  ApiError error;
  error.kind = ErrorKind::kTransport;
  error.message = "stopped";
  return error;
}

namespace {

void redact(std::string& text, std::string_view secret) {
  constexpr std::string_view kPlaceholder = "<redacted>";
  // The search goes on after the placeholder: a secret that occurs in it ("d", "redacted")
  // would otherwise be found there again, for ever.
  for (auto at = text.find(secret); at != std::string::npos;
       at = text.find(secret, at + kPlaceholder.size())) {
    text.replace(at, secret.size(), kPlaceholder);
  }
}

}  // namespace

void redact(ApiError& error, std::string_view secret) {
  if (secret.empty()) return;
  for (std::string* field : {&error.code, &error.message, &error.request_id})
    redact(*field, secret);
}

}  // namespace tcorg::api
