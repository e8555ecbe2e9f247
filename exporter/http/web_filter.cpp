#include "exporter/http/web_filter.h"

#include "exporter/http/content_types.h"

namespace tcorg::http {

WebFilter::WebFilter(web::WebConfigSource source, web::BasicAuthOptions auth)
    : source_(std::move(source)), auth_(std::move(auth)) {}

FilterVerdict WebFilter::before(const httplib::Request& req, httplib::Response& res,
                                bool may_wait) {
  const auto active = source_();
  const auto& users = active->config.users;
  if (users.empty()) return FilterVerdict::kPass;
  switch (auth_.check(users, req.get_header_value("Authorization"), may_wait)) {
    case web::AuthVerdict::kGood:
      return FilterVerdict::kPass;
    case web::AuthVerdict::kLater:
      return FilterVerdict::kLater;
    case web::AuthVerdict::kBusy:
      // Not a 401: the password may well be right, only bcrypt is saturated by others.
      res.status = 503;
      res.set_header("Retry-After", "1");
      res.set_content("Too many password checks waiting, try again later.\n", kTextType);
      return FilterVerdict::kAnswered;
    case web::AuthVerdict::kBad:
      break;
  }
  res.status = 401;
  res.set_header("WWW-Authenticate", "Basic");
  res.set_content("Unauthorized\n", kTextType);
  return FilterVerdict::kAnswered;
}

void WebFilter::after(const httplib::Request&, httplib::Response& res) {
  for (const auto& [name, value] : source_()->config.headers) res.set_header(name, value);
}

}  // namespace tcorg::http
