// Simulator's public methods: construction, start/stop and thread-safe access to its state.

#include <stdexcept>

#include "simulator/connection_threads.h"
#include "simulator/faults.h"
#include "simulator/http_body.h"
#include "simulator/simulator_impl.h"

namespace tcorg::sim {
namespace {

// An idle keep-alive connection holds its thread this long; stop() waits for it.
constexpr time_t kKeepAliveTimeoutSeconds = 1;
constexpr std::size_t kMaxConnections = 1024;

std::string url_host(const std::string& host) {
  if (host.empty() || host == "0.0.0.0") return "127.0.0.1";
  if (host == "::") return "[::1]";
  if (host.find(':') != std::string::npos) return "[" + host + "]";
  return host;
}

}  // namespace

Simulator::Impl::Impl(Options o)
    : options(std::move(o)),
      credentials{options.secret_id, options.secret_key, options.token},
      rate_limit(options.rate_limit),
      faults(options.faults),
      fault_random(options.org.seed ^ 0x9e3779b97f4a7c15ULL),
      web_identity_token(options.web_identity_token),
      refuse_permanent_keys(options.refuse_permanent_keys),
      temporary_key_lifetime(options.temporary_key_lifetime_seconds),
      temporary_keys(options.org.seed ^ 0x165667b19e3779f9ULL),
      request_ids(options.org.seed ^ 0xc2b2ae3d27d4eb4fULL) {
  if (auto problem = validate(faults)) throw std::invalid_argument("faults: " + *problem);
  org.org = generate_organization(options.org);
  org.reindex();
}

Simulator::Simulator(Options options) : impl_(std::make_unique<Impl>(std::move(options))) {}

Simulator::~Simulator() {
  stop();
}

int Simulator::start() {
  Impl& s = *impl_;
  if (s.listener.joinable()) return s.port;
  {
    std::lock_guard lock(s.stop_mu);
    if (s.stopping) throw std::logic_error("simulator: start after stop");
  }
  s.server.new_task_queue = [] { return new ConnectionThreads(kMaxConnections); };
  s.server.set_keep_alive_max_count(1000000);
  s.server.set_keep_alive_timeout(kKeepAliveTimeoutSeconds);
  s.server.set_tcp_nodelay(true);
  s.server.Post(
      "/", [&s](const httplib::Request& req, httplib::Response& res) { s.handle_api(req, res); });
  s.add_admin_routes();
  s.add_metadata_routes();
  // Every answer is dated by the simulator's clock, as the real service's are: clients estimate
  // clock skew from it.
  s.server.set_post_routing_handler([&s](const httplib::Request&, httplib::Response& res) {
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    res.set_header("Date", http_date(std::chrono::duration_cast<std::chrono::seconds>(now).count() +
                                     s.options.clock_offset_seconds));
  });

  const std::string& host = s.options.host;
  s.port = s.options.port == 0
               ? s.server.bind_to_any_port(host)
               : (s.server.bind_to_port(host, s.options.port) ? s.options.port : -1);
  if (s.port <= 0) {
    s.port = 0;
    throw std::runtime_error("simulator: cannot listen on " + host + ":" +
                             std::to_string(s.options.port));
  }
  // The socket already listens: connections made before the loop runs wait in the backlog.
  s.listener = std::thread([&s] {
    s.server.listen_after_bind();
    s.listener_exited = true;
  });
  // Server::stop() is a no-op until the loop runs, so stop() must not race ahead of it.
  while (!s.server.is_running() && !s.listener_exited) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return s.port;
}

void Simulator::stop() {
  Impl& s = *impl_;
  {
    std::lock_guard lock(s.stop_mu);
    s.stopping = true;
  }
  s.stop_cv.notify_all();
  if (s.listener.joinable()) {
    s.server.stop();
    s.listener.join();  // also joins every connection thread
  }
}

int Simulator::port() const {
  return impl_->port;
}

std::string Simulator::endpoint() const {
  return "http://" + url_host(impl_->options.host) + ":" + std::to_string(impl_->port);
}

void Simulator::set_faults(const Faults& faults) {
  if (auto problem = validate(faults)) throw std::invalid_argument("faults: " + *problem);
  std::lock_guard lock(impl_->config_mu);
  impl_->faults = faults;
}

void Simulator::set_rate_limit(double per_second) {
  std::lock_guard lock(impl_->config_mu);
  impl_->rate_limit = per_second;
}

void Simulator::set_credentials(std::string secret_id, std::string secret_key, std::string token) {
  std::lock_guard lock(impl_->config_mu);
  impl_->credentials = {std::move(secret_id), std::move(secret_key), std::move(token)};
}

void Simulator::set_web_identity_token(std::string token) {
  std::lock_guard lock(impl_->config_mu);
  impl_->web_identity_token = std::move(token);
}

void Simulator::set_refuse_permanent_keys(bool refuse) {
  std::lock_guard lock(impl_->config_mu);
  impl_->refuse_permanent_keys = refuse;
}

void Simulator::set_temporary_key_lifetime(int seconds) {
  std::lock_guard lock(impl_->config_mu);
  impl_->temporary_key_lifetime = seconds;
}

void Simulator::mutate(const std::function<void(Organization&)>& edit) {
  std::lock_guard lock(impl_->org_mu);
  edit(impl_->org.org);
  impl_->org.reindex();
}

Stats Simulator::stats() const {
  std::lock_guard lock(impl_->stats_mu);
  return impl_->stats;
}

std::vector<std::string> Simulator::issued_secrets() const {
  return impl_->temporary_keys.secrets();
}

void Simulator::reset_stats() {
  std::lock_guard lock(impl_->stats_mu);
  impl_->stats = Stats{};
}

Organization Simulator::organization() const {
  std::lock_guard lock(impl_->org_mu);
  return impl_->org.org;
}

}  // namespace tcorg::sim
