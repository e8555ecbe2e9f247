#pragma once

// WebFilter: what the web config asks of every request the server answers.
// before(): with basic_auth_users set, a request without the right user and password gets 401
// and "WWW-Authenticate: Basic" on every path, as exporter-toolkit does, and one that finds the
// bcrypt queue full gets 503 with "Retry-After: 1" (basic_auth.h). after(): the configured
// http_server_config.headers on every response, 401s and 404s included. Thread-safe.

#include <httplib.h>

#include "exporter/web/basic_auth.h"
#include "exporter/web/web_config_file.h"

namespace tcorg::http {

enum class FilterVerdict {
  kPass,      // go on and answer the request
  kAnswered,  // `res` holds the answer (401, or 503 when bcrypt is saturated)
  kLater,     // only bcrypt can tell, and the caller may not wait: ask again where it may
};

class WebFilter {
 public:
  explicit WebFilter(web::WebConfigSource source, web::BasicAuthOptions auth = {});

  // `may_wait` false: never runs bcrypt (tens of milliseconds), answers kLater instead.
  FilterVerdict before(const httplib::Request& req, httplib::Response& res, bool may_wait = true);
  void after(const httplib::Request& req, httplib::Response& res);

 private:
  web::WebConfigSource source_;
  web::BasicAuth auth_;
};

}  // namespace tcorg::http
