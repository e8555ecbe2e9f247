#pragma once

// WebFilter: what the web config asks of every request the server answers.
// before(): with basic_auth_users set, a request without the right user and password gets 401
// and "WWW-Authenticate: Basic" on every path, as exporter-toolkit does. after(): the configured
// http_server_config.headers on every response, 401s and 404s included. Thread-safe.

#include <httplib.h>

#include <functional>
#include <memory>

#include "exporter/http/basic_auth.h"
#include "exporter/http/web_config_file.h"

namespace tcorg::http {

class WebFilter {
 public:
  explicit WebFilter(WebConfigSource source, BasicAuthOptions auth = {});

  httplib::Server::HandlerResponse before(const httplib::Request& req, httplib::Response& res);
  void after(const httplib::Request& req, httplib::Response& res);
  // Whether before() may run bcrypt for this request (and so take tens of milliseconds): not
  // when no users are configured or a recent check of the same credentials succeeded.
  bool may_block(const httplib::Request& req) const;

 private:
  WebConfigSource source_;
  BasicAuth auth_;
};

}  // namespace tcorg::http
