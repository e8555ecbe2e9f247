#include "exporter/api/metadata_client.h"

#include <algorithm>
#include <cctype>
#include <utility>

#include "exporter/api/decode.h"
#include "exporter/api/endpoint.h"
#include "exporter/api/transport.h"

namespace tcorg::api {
namespace {

constexpr std::string_view kRolesPath = "/latest/meta-data/cam/security-credentials/";

ApiError error_of(ErrorKind kind, std::string message, int status = 0) {
  ApiError e;
  e.kind = kind;
  e.message = std::move(message);
  e.http_status = status;
  return e;
}

}  // namespace

struct MetadataClient::Impl {
  MetadataOptions options;
  detail::Transport transport;

  explicit Impl(MetadataOptions o)
      : options(std::move(o)),
        // Plain http is the service's normal scheme, so it needs no explicit opt-in here.
        transport(detail::parse_endpoint(options.endpoint, /*explicit_flag=*/true,
                                         "--tencentcloud.metadata-endpoint"),
                  options.timeout, "") {}

  // GET `path`: the body of a 200, else an error naming what came back; told to the observer.
  Result<std::string> get(const std::string& path) {
    const auto start = std::chrono::steady_clock::now();
    auto answer = transport.send("GET", path, {{"Host", transport.endpoint().host_header}}, "");
    Result<std::string> result =
        !answer.ok() ? Result<std::string>(answer.error())
        : answer->status != 200
            ? Result<std::string>(error_of(ErrorKind::kHttpStatus,
                                           "instance metadata " + path + " answered HTTP status " +
                                               std::to_string(answer->status),
                                           answer->status))
            : Result<std::string>(std::move(answer->body));
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (options.observer != nullptr) {
      options.observer->on_attempt(action::kMetadata, seconds,
                                   result.ok() ? nullptr : &result.error());
    }
    return result;
  }
};

MetadataClient::MetadataClient(MetadataOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}
MetadataClient::~MetadataClient() = default;

Result<std::string> MetadataClient::role_name() {
  auto body = impl_->get(std::string(kRolesPath));
  if (!body) return body;
  // One role per instance; the first line, trimmed, in case a future answer lists more.
  std::string_view text = *body;
  text = text.substr(0, text.find('\n'));
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())) != 0) {
    text.remove_suffix(1);
  }
  if (!is_valid_role_name(text)) {
    return error_of(ErrorKind::kDecode, "instance metadata named no valid CAM role (" +
                                            std::to_string(body->size()) + " bytes)");
  }
  return std::string(text);
}

Result<IssuedCredentials> MetadataClient::role_credentials(const std::string& role) {
  if (!is_valid_role_name(role)) {
    return error_of(ErrorKind::kInternal, "not a valid CAM role name");
  }
  auto body = impl_->get(std::string(kRolesPath) + role);
  if (!body) return body.error();
  auto creds = decode_metadata_credentials(*body);
  if (!creds.ok()) {
    ApiError e = creds.error();
    e.message = "instance metadata for role " + role + ": " + e.message;
    return e;
  }
  return creds;
}

}  // namespace tcorg::api
