#include "exporter/api/sts_client.h"

#include <chrono>
#include <nlohmann/json.hpp>
#include <utility>

#include "exporter/api/call_headers.h"
#include "exporter/api/decode.h"
#include "exporter/api/endpoint.h"
#include "exporter/api/transport.h"
#include "tc3/signer.h"

namespace tcorg::api {
namespace {

using nlohmann::json;

constexpr std::string_view kService = "sts";

std::int64_t system_clock_seconds() {
  using namespace std::chrono;
  return duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
}

ApiError status_error(int status) {
  ApiError e;
  e.kind = ErrorKind::kHttpStatus;
  e.http_status = status;
  e.message = "STS answered HTTP status " + std::to_string(status);
  return e;
}

}  // namespace

struct StsClient::Impl {
  StsOptions options;
  detail::Transport transport;

  explicit Impl(StsOptions o)
      : options(std::move(o)),
        transport(detail::parse_endpoint(options.endpoint, options.endpoint_explicit,
                                         "--tencentcloud.sts-endpoint"),
                  options.timeout, options.ca_file) {
    if (!options.clock) options.clock = system_clock_seconds;
  }

  detail::CallTarget target(std::string_view region) const {
    return {transport.endpoint().host_header,
            kService,
            kStsVersion,
            region,
            {},
            options.request_client};
  }

  // Sends, decodes, redacts `secrets` from any error, and tells the observer.
  Result<IssuedCredentials> call(std::string_view action, const detail::HeaderList& headers,
                                 std::string body,
                                 std::initializer_list<std::string_view> secrets) {
    const auto start = std::chrono::steady_clock::now();
    auto answer = transport.post(headers, std::move(body));
    Result<IssuedCredentials> result = !answer.ok() ? Result<IssuedCredentials>(answer.error())
                                       : answer->status != 200
                                           ? Result<IssuedCredentials>(status_error(answer->status))
                                           : decode_sts_credentials(answer->body);
    if (!result.ok()) {
      ApiError e = result.error();
      for (std::string_view secret : secrets) redact(e, secret);
      result = std::move(e);
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (options.observer != nullptr) {
      options.observer->on_attempt(action, seconds, result.ok() ? nullptr : &result.error());
    }
    return result;
  }
};

StsClient::StsClient(StsOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
StsClient::~StsClient() = default;

Result<IssuedCredentials> StsClient::assume_role(const Credentials& caller, std::string_view region,
                                                 const RoleSession& session) {
  const std::string body = json{{"RoleArn", session.role_arn},
                                {"RoleSessionName", session.session_name},
                                {"DurationSeconds", session.duration_seconds}}
                               .dump();
  const std::int64_t now = impl_->options.clock();
  const tc3::Digest key = tc3::derive_signing_key(caller.secret_key, tc3::utc_date(now), kService);
  auto headers =
      detail::signed_headers(impl_->target(region), action::kAssumeRole, body, now, caller, key);
  return impl_->call(action::kAssumeRole, headers, body, {caller.secret_key, caller.token});
}

Result<IssuedCredentials> StsClient::assume_role_with_web_identity(
    std::string_view region, std::string_view provider_id, const std::string& web_identity_token,
    const RoleSession& session) {
  const std::string body = json{{"ProviderId", provider_id},
                                {"WebIdentityToken", web_identity_token},
                                {"RoleArn", session.role_arn},
                                {"RoleSessionName", session.session_name},
                                {"DurationSeconds", session.duration_seconds}}
                               .dump();
  auto headers = detail::unsigned_headers(impl_->target(region), action::kAssumeRoleWithWebIdentity,
                                          impl_->options.clock());
  return impl_->call(action::kAssumeRoleWithWebIdentity, headers, body, {web_identity_token});
}

}  // namespace tcorg::api
