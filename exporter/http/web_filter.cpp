#include "exporter/http/web_filter.h"

namespace tcorg::http {

WebFilter::WebFilter(WebConfigSource source, BasicAuthOptions auth)
    : source_(std::move(source)), auth_(std::move(auth)) {}

FilterVerdict WebFilter::before(const httplib::Request& req, httplib::Response& res,
                                bool may_wait) {
  const auto active = source_();
  const auto& users = active->config.users;
  if (users.empty()) return FilterVerdict::kPass;
  switch (auth_.check(users, req.get_header_value("Authorization"), may_wait)) {
    case AuthVerdict::kGood:
      return FilterVerdict::kPass;
    case AuthVerdict::kLater:
      return FilterVerdict::kLater;
    case AuthVerdict::kBad:
      break;
  }
  res.status = 401;
  res.set_header("WWW-Authenticate", "Basic");
  res.set_content("Unauthorized\n", "text/plain; charset=utf-8");
  return FilterVerdict::kAnswered;
}

void WebFilter::after(const httplib::Request&, httplib::Response& res) {
  for (const auto& [name, value] : source_()->config.headers) res.set_header(name, value);
}

}  // namespace tcorg::http
