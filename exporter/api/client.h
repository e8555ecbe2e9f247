#pragma once

// Client: the Organization API over signed HTTPS (or plain HTTP to an explicitly given endpoint,
// such as the simulator). Thread-safe: it keeps a pool of keep-alive connections, one per call in
// flight. It neither paces nor retries: RateLimitedApi wraps it for that. The one exception is
// clock skew: when the API answers AuthFailure.SignatureExpire, the client estimates the server's
// clock from the answer's Date header, signs every later request with the corrected time, and
// resends that request once, straight away: the service authenticates before it counts the
// quota, so the rejected attempt used none and the resend can reuse its rate-limiter slot.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "exporter/api/api.h"
#include "exporter/api/call_observer.h"
#include "exporter/api/credentials.h"

namespace tcorg::api {

inline constexpr std::string_view kDefaultEndpoint = "https://organization.tencentcloudapi.com";
inline constexpr std::string_view kApiVersion = "2018-12-25";

struct ClientOptions {
  // scheme://host[:port]. http:// is accepted only when endpoint_explicit is true.
  std::string endpoint = std::string(kDefaultEndpoint);
  bool endpoint_explicit = false;
  std::string region;    // X-TC-Region, sent only when non-empty
  std::string language;  // X-TC-Language, sent only when non-empty
  std::string request_client = "tencentcloud_org_exporter";  // X-TC-RequestClient
  std::chrono::milliseconds timeout{10000};  // per request: connect + send + receive
  int utc_offset_seconds = 8 * 3600;         // zone of the API's time strings
  std::string ca_file;  // empty: system CA store; verification is always on for https
  // Current credentials; called once per attempt, so rotated keys apply at once. Called from
  // several threads at once: must be thread-safe (as is clock).
  std::function<Credentials()> credentials;
  // Unix seconds, the local clock; X-TC-Timestamp is this plus the measured skew. Default: the
  // system clock.
  std::function<std::int64_t()> clock;
  // Called when a SignatureExpire answer changed the skew estimate (server clock minus local
  // clock, seconds): once per change, from the calling thread; must be thread-safe.
  std::function<void(std::int64_t skew_seconds, std::int64_t previous_seconds)> on_clock_skew;
  CallObserver* observer = nullptr;  // not owned; may be null
};

class Client final : public Api {
 public:
  // Throws std::invalid_argument naming the problem for a malformed endpoint, http:// that was
  // not given explicitly, or missing credentials callback.
  explicit Client(ClientOptions options);
  ~Client() override;
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  Result<InvitationPage> list_invitations(Direction direction, std::int64_t offset,
                                          std::int64_t limit) override;
  Result<MemberDetail> get_member(std::int64_t member_uin) override;
  Result<MemberPage> list_members(std::int64_t offset, std::int64_t limit) override;
  Result<NodeList> list_nodes() override;

  // The current estimate of the server's clock minus ours, added to every request's timestamp.
  std::int64_t clock_skew() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tcorg::api
