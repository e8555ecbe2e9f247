// GET /latest/meta-data/cam/security-credentials/[<role>]: the CVM instance metadata service's
// CAM role credentials, plain HTTP without auth, as the SDKs' CVM role provider reads them.

#include "simulator/http_body.h"
#include "simulator/simulator_impl.h"

namespace tcorg::sim {
namespace {

constexpr const char* kRolesPath = "/latest/meta-data/cam/security-credentials/";

void not_found(httplib::Response& res) {
  res.status = 404;
  res.set_content("Not Found", "text/plain");
}

}  // namespace

void Simulator::Impl::add_metadata_routes() {
  // True when the answer must be the injected failure.
  const auto begin = [this](httplib::Response& res) {
    {
      std::lock_guard lock(stats_mu);
      ++stats.metadata_requests;
    }
    std::lock_guard lock(config_mu);
    if (!faults.credentials_fail) return false;
    res.status = 500;
    res.set_content("Internal Server Error", "text/plain");
    return true;
  };

  server.Get(kRolesPath, [this, begin](const httplib::Request&, httplib::Response& res) {
    if (begin(res)) return;
    if (options.cvm_role.empty()) return not_found(res);
    res.set_content(options.cvm_role, "text/plain");
  });

  server.Get(std::string(kRolesPath) + "([^/]+)",
             [this, begin](const httplib::Request& req, httplib::Response& res) {
               if (begin(res)) return;
               if (options.cvm_role.empty() || req.matches[1] != options.cvm_role) {
                 return not_found(res);
               }
               int lifetime = 0;
               {
                 std::lock_guard lock(config_mu);
                 lifetime = temporary_key_lifetime;
               }
               const TemporaryKey key = temporary_keys.issue(now(), lifetime);
               {
                 std::lock_guard lock(stats_mu);
                 ++stats.issued["metadata"];
               }
               Json body;
               body["TmpSecretId"] = key.secret_id;
               body["TmpSecretKey"] = key.secret_key;
               body["Token"] = key.token;
               body["ExpiredTime"] = key.expires_at;
               body["Expiration"] = iso8601_utc(key.expires_at);
               body["Code"] = "Success";
               set_body(req, res, body.dump());
             });
}

}  // namespace tcorg::sim
