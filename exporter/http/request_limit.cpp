#include "exporter/http/request_limit.h"

#include <string>

namespace tcorg::http {

httplib::Server::Handler RequestLimit::wrap(httplib::Server::Handler handler) {
  return [this, handler = std::move(handler)](const httplib::Request& req, httplib::Response& res) {
    if (max_ <= 0) return handler(req, res);
    if (in_flight_.fetch_add(1) >= max_) {
      in_flight_.fetch_sub(1);
      res.status = 503;
      res.set_content(
          "Limit of concurrent requests reached (" + std::to_string(max_) + "), try again later.\n",
          "text/plain; charset=utf-8");
      return;
    }
    // Released however the handler ends: httplib turns an exception into a 500.
    struct Release {
      std::atomic<int>& n;
      ~Release() { n.fetch_sub(1); }
    } release{in_flight_};
    handler(req, res);
  };
}

}  // namespace tcorg::http
