#include "exporter/credentials/chain.h"

#include <cstdlib>
#include <filesystem>
#include <functional>
#include <utility>

#include "exporter/api/metadata_client.h"
#include "exporter/api/sts_client.h"
#include "exporter/credentials/issuers.h"
#include "exporter/credentials/refreshing_credentials.h"

namespace tcorg::credentials {
namespace {

// static_keys.env when a test gives one, else the process environment (left unset in the
// options, so CredentialsSource knows to scrub the secrets it reads from it).
std::string get(const config::Getenv& env, const char* name) {
  const char* v = env ? env(name) : std::getenv(name);
  return v != nullptr ? v : "";
}

// Permanent keys from the environment or a file (re-read when it changes).
class StaticChain final : public Chain {
 public:
  StaticChain(std::shared_ptr<config::CredentialsSource> keys, std::string source)
      : keys_(std::move(keys)), source_(std::move(source)) {}
  const std::string& source() const override { return source_; }
  const std::string& origin() const override { return keys_->origin(); }
  api::Credentials current() const override { return keys_->current(); }
  std::int64_t expires_at() const override { return 0; }

 private:
  std::shared_ptr<config::CredentialsSource> keys_;
  std::string source_;
};

// Temporary keys, kept fresh; `base` (when set) is the chain whose keys the issuer uses.
class RefreshedChain final : public Chain {
 public:
  RefreshedChain(std::unique_ptr<Chain> base, std::shared_ptr<void> clients, std::string source,
                 std::string origin)
      : base_(std::move(base)),
        clients_(std::move(clients)),
        source_(std::move(source)),
        origin_(std::move(origin)) {}
  void set(std::unique_ptr<RefreshingCredentials> keys) { keys_ = std::move(keys); }
  const std::string& source() const override { return source_; }
  const std::string& origin() const override { return origin_; }
  api::Credentials current() const override { return keys_->current(); }
  std::int64_t expires_at() const override { return keys_->expires_at(); }

 private:
  std::unique_ptr<Chain> base_;
  std::shared_ptr<void> clients_;
  std::string source_, origin_;
  std::unique_ptr<RefreshingCredentials> keys_;  // last: stops first, while base_ lives
};

Result<std::unique_ptr<Chain>> refreshed(Issue issue, const ChainOptions& o,
                                         std::unique_ptr<Chain> base, std::shared_ptr<void> clients,
                                         std::string source,
                                         const std::function<std::string()>& origin) {
  RefreshOptions r;
  r.issue = std::move(issue);
  r.on_refresh = o.on_refresh;
  r.on_error = o.on_refresh_error;
  r.min_backoff = o.min_backoff;
  auto keys = RefreshingCredentials::start(std::move(r));
  if (!keys) return Error{keys.error()};
  // The origin is read after the first issue: a discovered CVM role's name is known only then.
  auto chain = std::make_unique<RefreshedChain>(std::move(base), std::move(clients),
                                                std::move(source), origin());
  chain->set(std::move(keys).value());
  return std::unique_ptr<Chain>(std::move(chain));
}

std::shared_ptr<api::StsClient> sts_client(const ChainOptions& o) {
  api::StsOptions s;
  s.endpoint = o.sts_endpoint;
  s.endpoint_explicit = o.sts_endpoint_explicit;
  s.timeout = o.timeout;
  s.ca_file = o.ca_file;
  s.request_client = o.request_client;
  s.observer = o.observer;
  return std::make_shared<api::StsClient>(std::move(s));
}

// The credentials file to read: the one named, else the first that exists of the default and
// the fallbacks; empty when none exists.
std::string file_to_read(const ChainOptions& o) {
  const auto& file = o.static_keys.file;
  std::error_code ec;
  if (o.static_keys.file_explicit) return file;
  if (!file.empty() && std::filesystem::exists(file, ec)) return file;
  for (const auto& candidate : o.fallback_files) {
    if (std::filesystem::exists(candidate, ec)) return candidate;
  }
  return {};
}

bool env_keys(const config::Getenv& env) {
  return !get(env, "TENCENTCLOUD_SECRET_ID").empty() ||
         !get(env, "TENCENTCLOUD_SECRET_KEY").empty();
}

TkeOidc tke_oidc(const config::Getenv& env) {
  return {get(env, "TKE_REGION"), get(env, "TKE_PROVIDER_ID"),
          get(env, "TKE_WEB_IDENTITY_TOKEN_FILE"), get(env, "TKE_ROLE_ARN")};
}

int tke_set(const TkeOidc& oidc) {
  return !oidc.region.empty() + !oidc.provider_id.empty() + !oidc.token_file.empty() +
         !oidc.role_arn.empty();
}

// Steps 1 to 4, without the role ARN.
Result<std::unique_ptr<Chain>> first_match(ChainOptions& o) {
  const config::Getenv& env = o.static_keys.env;
  const std::string file = file_to_read(o);
  if (!file.empty()) o.static_keys.file = file;
  if (env_keys(env) || !file.empty()) {
    auto keys = config::CredentialsSource::open(o.static_keys);
    if (!keys) return Error{keys.error()};
    std::string source = keys.value()->origin() == "environment" ? "environment" : "file";
    return std::unique_ptr<Chain>(std::make_unique<StaticChain>(keys.value(), std::move(source)));
  }

  const TkeOidc oidc = tke_oidc(env);
  const int tke = tke_set(oidc);
  if (tke == 4) {
    if (!api::is_valid_role_arn(oidc.role_arn)) {
      return Error{"TKE_ROLE_ARN does not look like qcs::cam::uin/<uin>:roleName/<name>"};
    }
    auto sts = sts_client(o);
    return refreshed(tke_oidc_issuer(sts, oidc, o.role_session_name, o.role_duration.count()), o,
                     nullptr, sts, "tke_oidc", [&oidc] { return oidc.role_arn; });
  }
  if (tke > 0) {
    return Error{
        "TKE OIDC needs TKE_REGION, TKE_PROVIDER_ID, TKE_WEB_IDENTITY_TOKEN_FILE "
        "and TKE_ROLE_ARN all set; some are missing"};
  }

  api::MetadataOptions m;
  m.endpoint = o.metadata_endpoint;
  m.timeout = o.metadata_timeout;
  m.observer = o.observer;
  auto metadata = std::make_shared<api::MetadataClient>(std::move(m));
  auto role = std::make_shared<std::string>(o.cvm_role);
  auto chain = refreshed(cvm_role_issuer(metadata, o.cvm_role, role), o, nullptr, metadata,
                         "cvm_role", [role, named = !o.cvm_role.empty()] {
                           return "CAM role " + *role +
                                  (named ? " (--tencentcloud.cvm-role)" : " (instance metadata)");
                         });
  if (chain || !o.cvm_role.empty()) return chain;
  // Nothing anywhere: what today's error says, plus why the last step found nothing.
  auto none = config::CredentialsSource::open(o.static_keys);
  return Error{(none ? std::string("no Tencent Cloud credentials") : none.error()) +
               "; no TKE OIDC identity (TKE_* unset); no CVM role: " + chain.error()};
}

}  // namespace

bool has_local_source(const ChainOptions& o) {
  return env_keys(o.static_keys.env) || !file_to_read(o).empty() ||
         tke_set(tke_oidc(o.static_keys.env)) > 0 || !o.cvm_role.empty();
}

Result<std::unique_ptr<Chain>> open_chain(ChainOptions o) {
  if (!o.role_arn.empty() && !api::is_valid_role_arn(o.role_arn)) {
    return Error{
        "--tencentcloud.role-arn does not look like "
        "qcs::cam::uin/<uin>:roleName/<name>"};
  }
  auto base = first_match(o);
  if (!base || o.role_arn.empty()) return base;

  const Chain* caller = base.value().get();
  auto sts = sts_client(o);
  return refreshed(
      assume_role_issuer(sts, [caller] { return caller->current(); },
                         o.sts_region.empty() ? std::string(api::kDefaultStsRegion) : o.sts_region,
                         {o.role_arn, o.role_session_name, o.role_duration.count()}),
      o, std::move(base).value(), sts, "assume_role",
      [&o, caller] { return o.role_arn + " (as " + caller->source() + ")"; });
}

}  // namespace tcorg::credentials
