#include "exporter/api/call_headers.h"

namespace tcorg::api::detail {
namespace {

HeaderList headers(const CallTarget& target, std::string_view action, std::int64_t timestamp,
                   std::string authorization, std::string_view token) {
  HeaderList h = {
      {"Host", target.host},
      {"Content-Type", std::string(kContentType)},
      {"X-TC-Action", std::string(action)},
      {"X-TC-Version", std::string(target.version)},
      {"X-TC-Timestamp", std::to_string(timestamp)},
      {"Authorization", std::move(authorization)},
      {"X-TC-RequestClient", std::string(target.request_client)},
      {"User-Agent", std::string(target.request_client)},
      {"Accept-Encoding", "gzip"},
  };
  if (!target.region.empty()) h.emplace_back("X-TC-Region", std::string(target.region));
  if (!target.language.empty()) h.emplace_back("X-TC-Language", std::string(target.language));
  if (!token.empty()) h.emplace_back("X-TC-Token", std::string(token));
  return h;
}

}  // namespace

HeaderList signed_headers(const CallTarget& target, std::string_view action, std::string_view body,
                          std::int64_t timestamp, const Credentials& credentials,
                          const tc3::Digest& key) {
  tc3::Request req;
  req.host = target.host;
  req.content_type = std::string(kContentType);
  req.action = std::string(action);
  req.payload = body;
  req.timestamp = timestamp;
  req.service = std::string(target.service);
  const tc3::Signature sig = tc3::sign_with_key(req, credentials.secret_id, key);
  return headers(target, action, timestamp, sig.authorization, credentials.token);
}

HeaderList unsigned_headers(const CallTarget& target, std::string_view action,
                            std::int64_t timestamp) {
  return headers(target, action, timestamp, "SKIP", {});
}

}  // namespace tcorg::api::detail
