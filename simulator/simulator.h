#pragma once

// An in-process Tencent Cloud Organization API (service organization, version 2018-12-25) on
// loopback, faithful where the exporter depends on it: TC3 signature checks with the real error
// codes, a strict 20 requests/s per action sliding window, Offset/Limit/TotalCount paging, a
// generated organization of any size, and injectable faults. The `tcorg-simulator` binary wraps it.
// Thread-safe: tests may change faults and read stats while clients call it.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "exporter/api/model.h"

namespace tcorg::sim {

// What the generated organization looks like. Deterministic for a given seed and `now`.
struct OrgSpec {
  int members = 50;
  int nodes = 5;         // including the root node
  int invitations = 30;  // split between received and sent, every status present
  std::uint64_t seed = 1;
  std::int64_t now = 0;  // Unix seconds that expiry times are relative to; 0: system clock
  int utc_offset_seconds = 8 * 3600;
};

// The ground truth that the simulator serves.
struct Organization {
  std::vector<api::Invitation> received;
  std::vector<api::Invitation> sent;
  std::vector<api::MemberDetail> members;  // what GetOrganizationMember answers, by uin
  std::vector<api::Node> nodes;            // member_count matches `members`
};

Organization generate_organization(const OrgSpec& spec);

// Faults, each a probability per request (0..1) unless said otherwise.
struct Faults {
  double latency_ms = 0;      // added to every answer
  double jitter_ms = 0;       // plus uniform 0..jitter_ms
  double internal_error = 0;  // HTTP 200 with Error.Code InternalError
  double http_500 = 0;        // HTTP 500, plain text body
  double malformed = 0;       // HTTP 200, body that is not JSON
  double hang = 0;            // no answer for hang_seconds (then the connection is closed)
  double hang_seconds = 30;
  bool fail_all = false;  // every call answers InternalError
  // While set, metadata answers HTTP 500 and the STS actions InternalError (issuing nothing).
  bool credentials_fail = false;
};

struct Options {
  std::string host = "127.0.0.1";
  int port = 0;  // 0: any free port
  std::string secret_id = "AKIDsimulatorEXAMPLE";
  std::string secret_key = "simulator-secret-key-EXAMPLE";
  std::string token;       // when set, X-TC-Token must equal it
  double rate_limit = 20;  // accepted requests per action in any sliding 1 s window
  int max_clock_skew_seconds = 300;
  // The simulator's clock runs this far ahead of the system clock (negative: behind); it checks
  // X-TC-Timestamp and dates every answer (Date header) by it.
  int clock_offset_seconds = 0;
  OrgSpec org;
  Faults faults;

  // Temporary credentials. Empty cvm_role: no role bound, the metadata role list answers 404.
  std::string cvm_role;
  std::string oidc_provider_id = "sim-oidc-provider";
  std::string web_identity_token = "sim-web-identity-token";  // the only one accepted
  std::string role_arn = "qcs::cam::uin/100000000001:roleName/org-reader";
  int temporary_key_lifetime_seconds = 7200;  // DurationSeconds may shorten it
  // Organization actions refuse the permanent keys (AssumeRole still takes them).
  bool refuse_permanent_keys = false;
};

struct ActionStats {
  std::uint64_t accepted = 0;   // answered (successfully or with an injected/API error)
  std::uint64_t throttled = 0;  // answered RequestLimitExceeded
};

struct Stats {
  std::map<std::string, ActionStats> actions;  // by action name
  std::uint64_t auth_failures = 0;             // any AuthFailure.* answer
  // How many answers of each kind were sent, by the label the exporter would count them under:
  // API Error.Code (e.g. "InternalError", "RequestLimitExceeded", "AuthFailure.SignatureFailure"),
  // "http_500", "decode" (malformed body), "hang".
  std::map<std::string, std::uint64_t> errors;
  std::uint64_t requests = 0;  // every request received on POST /
  // Temporary keys issued, by source: "metadata", "AssumeRole", "AssumeRoleWithWebIdentity".
  std::map<std::string, std::uint64_t> issued;
  std::uint64_t expired_key_rejections = 0;  // calls refused because their temporary key expired
  std::uint64_t metadata_requests = 0;       // every GET under /latest/meta-data/
};

class Simulator {
 public:
  explicit Simulator(Options options);
  ~Simulator();  // stops
  Simulator(const Simulator&) = delete;
  Simulator& operator=(const Simulator&) = delete;

  // Binds and serves in background threads; returns the port. Throws std::runtime_error if it
  // cannot bind.
  int start();
  void stop();
  int port() const;
  std::string endpoint() const;  // "http://127.0.0.1:<port>"

  void set_faults(const Faults& faults);
  void set_rate_limit(double per_second);
  void set_credentials(std::string secret_id, std::string secret_key, std::string token);
  // Rotates the web identity token: from now on only `token` is accepted.
  void set_web_identity_token(std::string token);
  void set_refuse_permanent_keys(bool refuse);
  void set_temporary_key_lifetime(int seconds);
  // Edit the organization under the lock (add/remove invitations, move members).
  void mutate(const std::function<void(Organization&)>& edit);

  Stats stats() const;
  void reset_stats();
  // Every temporary SecretKey and Token issued so far (metadata and STS).
  std::vector<std::string> issued_secrets() const;
  Organization organization() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tcorg::sim
