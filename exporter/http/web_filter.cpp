#include "exporter/http/web_filter.h"

namespace tcorg::http {

WebFilter::WebFilter(WebConfigSource source, BasicAuthOptions auth)
    : source_(std::move(source)), auth_(std::move(auth)) {}

httplib::Server::HandlerResponse WebFilter::before(const httplib::Request& req,
                                                   httplib::Response& res) {
  const auto active = source_();
  const auto& users = active->config.users;
  if (users.empty() || auth_.check(users, req.get_header_value("Authorization"))) {
    return httplib::Server::HandlerResponse::Unhandled;
  }
  res.status = 401;
  res.set_header("WWW-Authenticate", "Basic");
  res.set_content("Unauthorized\n", "text/plain; charset=utf-8");
  return httplib::Server::HandlerResponse::Handled;
}

bool WebFilter::may_block(const httplib::Request& req) const {
  const auto active = source_();
  const auto& users = active->config.users;
  return !users.empty() && !auth_.known_good(users, req.get_header_value("Authorization"));
}

void WebFilter::after(const httplib::Request&, httplib::Response& res) {
  for (const auto& [name, value] : source_()->config.headers) res.set_header(name, value);
}

}  // namespace tcorg::http
