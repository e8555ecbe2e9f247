#include "exporter/api/client.h"

#include <atomic>
#include <chrono>
#include <cmath>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

#include "exporter/api/call_headers.h"
#include "exporter/api/decode.h"
#include "exporter/api/endpoint.h"
#include "exporter/api/transport.h"
#include "tc3/signer.h"

namespace tcorg::api {
namespace {

using nlohmann::json;

// The signing scope's service. Like the official SDKs it is fixed rather than taken from the
// host, so a simulator on 127.0.0.1 is signed for the same service as the real endpoint.
constexpr std::string_view kService = "organization";

std::int64_t system_clock_seconds() {
  using namespace std::chrono;
  return duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
}

void redact(ApiError& e, const Credentials& c) {
  redact(e, c.secret_key);
  redact(e, c.token);
}

// A non-200 status: kHttpStatus, with the request id (and API code) when the body has them.
ApiError http_status_error(const detail::HttpAnswer& answer) {
  ApiError e;
  e.kind = ErrorKind::kHttpStatus;
  e.http_status = answer.status;
  e.message = "HTTP status " + std::to_string(answer.status);
  const json doc = json::parse(answer.body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_object() && doc.contains("Response") && doc["Response"].is_object()) {
    const json& r = doc["Response"];
    if (r.contains("RequestId") && r["RequestId"].is_string()) {
      e.request_id = r["RequestId"].get<std::string>();
    }
    if (r.contains("Error") && r["Error"].is_object() && r["Error"].contains("Code") &&
        r["Error"]["Code"].is_string()) {
      e.message += " with Error.Code " + r["Error"]["Code"].get<std::string>();
    }
  }
  return e;
}

bool is_signature_expired(const ApiError& e) {
  return e.kind == ErrorKind::kApi && e.code == "AuthFailure.SignatureExpire";
}

}  // namespace

struct Client::Impl {
  ClientOptions options;
  detail::Transport transport;
  std::mutex keys_mu;
  tc3::SigningKeyCache keys;  // derived once per UTC day (and key change), guarded by keys_mu
  std::atomic<std::int64_t> skew{0};  // server clock minus options.clock(), seconds

  explicit Impl(ClientOptions o)
      : options(std::move(o)),
        transport(detail::parse_endpoint(options.endpoint, options.endpoint_explicit),
                  options.timeout, options.ca_file) {
    if (!options.credentials) throw std::invalid_argument("API client: no credentials source");
    if (!options.clock) options.clock = system_clock_seconds;
  }

  detail::HeaderList headers(std::string_view action, const std::string& body,
                             const Credentials& creds, std::int64_t timestamp) {
    const detail::CallTarget target{transport.endpoint().host_header,
                                    kService,
                                    kApiVersion,
                                    options.region,
                                    options.language,
                                    options.request_client};
    tc3::Digest key;
    {
      std::lock_guard lock(keys_mu);
      key = keys.get(creds.secret_key, tc3::utc_date(timestamp), kService);
    }
    return detail::signed_headers(target, action, body, timestamp, creds, key);
  }

  // One call: an attempt, and after a SignatureExpire that corrected the skew, one more.
  template <class T, class Decode>
  Result<T> call(std::string_view action, const json& params, Decode decode) {
    const Credentials creds = options.credentials();
    if (creds.empty()) {
      // Nothing is sent, so this is not an attempt and the observer is not told.
      ApiError e;
      e.kind = ErrorKind::kApi;
      e.code = "AuthFailure.SecretIdNotFound";
      e.message = "no credentials available (request not sent)";
      if (!creds.unavailable.empty()) e.message += ": " + creds.unavailable;
      return e;
    }
    const std::string body = params.dump();
    const std::int64_t used = skew.load();
    std::optional<double> server_offset;
    Result<T> result = attempt<T>(action, body, creds, used, decode, server_offset);
    if (!result.ok() && is_signature_expired(result.error()) && server_offset &&
        correct_skew(used, std::llround(*server_offset))) {
      result = attempt<T>(action, body, creds, skew.load(), decode, server_offset);
    }
    return result;
  }

  // Sign with `skew_used`, send, decode, tell the observer. Sets `server_offset` to the server's
  // Date minus our clock at the midpoint of the request, when the answer has a Date.
  template <class T, class Decode>
  Result<T> attempt(std::string_view action, const std::string& body, const Credentials& creds,
                    std::int64_t skew_used, Decode& decode, std::optional<double>& server_offset) {
    const auto start = std::chrono::steady_clock::now();
    const std::int64_t sent_at = options.clock();
    auto answer = transport.post(headers(action, body, creds, sent_at + skew_used), body);
    server_offset.reset();
    std::optional<Result<T>> result;
    if (!answer.ok()) {
      result.emplace(answer.error());
    } else {
      // Date has one-second resolution; the midpoint halves the error that latency adds.
      // As differences of whole seconds, which double holds exactly (Date - (sent + received) / 2).
      if (answer->date) {
        const std::int64_t received_at = options.clock();
        server_offset = static_cast<double>(*answer->date - sent_at) -
                        static_cast<double>(received_at - sent_at) / 2.0;
      }
      if (answer->status != 200) {
        result.emplace(http_status_error(*answer));
      } else {
        result.emplace(decode(answer->body));
      }
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!result->ok()) {
      ApiError e = result->error();
      redact(e, creds);
      result.emplace(std::move(e));
    }
    if (options.observer != nullptr) {
      options.observer->on_attempt(action, seconds, result->ok() ? nullptr : &result->error());
    }
    return std::move(*result);
  }

  // After a request signed with `used` expired: adopt `estimate` unless another call already
  // corrected the skew since. True if the skew now differs from `used` (worth a resend).
  bool correct_skew(std::int64_t used, std::int64_t estimate) {
    std::int64_t expected = used;
    if (estimate != used && skew.compare_exchange_strong(expected, estimate)) {
      // Only the call that changed it reports, so each correction is logged once.
      if (options.on_clock_skew) options.on_clock_skew(estimate, used);
      return true;
    }
    return skew.load() != used;
  }
};

Client::Client(ClientOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
Client::~Client() = default;

std::int64_t Client::clock_skew() const {
  return impl_->skew.load();
}

Result<InvitationPage> Client::list_invitations(Direction direction, std::int64_t offset,
                                                std::int64_t limit) {
  const json params = {
      {"Invited", direction == Direction::kReceived ? 1 : 0}, {"Offset", offset}, {"Limit", limit}};
  const int utc_offset = impl_->options.utc_offset_seconds;
  return impl_->call<InvitationPage>(
      action::kListOrganizationInvitations, params,
      [utc_offset](std::string_view body) { return decode_invitation_page(body, utc_offset); });
}

Result<MemberDetail> Client::get_member(std::int64_t member_uin) {
  const json params = {{"MemberUin", member_uin}};
  const int utc_offset = impl_->options.utc_offset_seconds;
  return impl_->call<MemberDetail>(
      action::kGetOrganizationMember, params,
      [utc_offset](std::string_view body) { return decode_member_detail(body, utc_offset); });
}

Result<MemberPage> Client::list_members(std::int64_t offset, std::int64_t limit) {
  const json params = {{"Offset", offset}, {"Limit", limit}};
  const int utc_offset = impl_->options.utc_offset_seconds;
  return impl_->call<MemberPage>(
      action::kListOrganizationMembers, params,
      [utc_offset](std::string_view body) { return decode_member_page(body, utc_offset); });
}

Result<NodeList> Client::list_nodes() {
  return impl_->call<NodeList>(action::kListOrganizationNodes, json::object(),
                               [](std::string_view body) { return decode_node_list(body); });
}

}  // namespace tcorg::api
