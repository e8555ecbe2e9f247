#pragma once

// WebFilter: what the web config asks of every request, for httplib's routing hooks.
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

 private:
  WebConfigSource source_;
  BasicAuth auth_;
};

}  // namespace tcorg::http
