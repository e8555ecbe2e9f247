// tencentcloud_org_exporter: wiring only. Flags -> credentials -> signed client -> pacing and
// retries -> collectors on a schedule -> store -> /metrics.

#include <malloc.h>
#include <prometheus/registry.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <exception>
#include <iostream>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include "exporter/api/client.h"
#include "exporter/collectors/cycle_log.h"
#include "exporter/collectors/invitations.h"
#include "exporter/collectors/members.h"
#include "exporter/collectors/scheduler.h"
#include "exporter/config/flags.h"
#include "exporter/credentials/chain.h"
#include "exporter/http/landing_page.h"
#include "exporter/http/server.h"
#include "exporter/log/logger.h"
#include "exporter/metrics/api_metrics.h"
#include "exporter/metrics/collectable_list.h"
#include "exporter/metrics/credentials_metrics.h"
#include "exporter/metrics/exposition.h"
#include "exporter/metrics/limiter_events.h"
#include "exporter/metrics/process_metrics.h"
#include "exporter/metrics/store.h"
#include "exporter/ratelimit/limiter_set.h"
#include "exporter/ratelimit/rate_limited_api.h"
#include "exporter/web/open_web_config.h"

namespace tcorg {
namespace {

constexpr config::BuildInfo kBuild{TCORG_VERSION, TCORG_REVISION};
// No source of credentials on this machine (nothing in the environment, no file, no TKE
// identity, no CVM role): not configured yet, unlike a broken configuration (2). The Debian unit
// counts it as a clean stop (docs/decisions/0302-deb-cvm-role-without-a-file.md).
constexpr int kExitNoCredentials = 3;

double unix_now() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// SIGTERM/SIGINT are blocked in every thread and taken by sigwait, so shutdown runs as
// ordinary code rather than inside a signal handler. Called once, first thing in main, so every
// thread inherits the mask; returns the set for sigwait.
sigset_t block_stop_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  return set;
}

int run(const config::Config& cfg, const log::Logger& logger, const sigset_t& stop_signals) {
  for (const auto& w : cfg.warnings) logger.warn(w);

  prometheus::Registry registry;
  metrics::ApiMetrics api_metrics(registry);
  metrics::register_build_info(registry, TCORG_VERSION, TCORG_REVISION);

  credentials::ChainOptions chain_options;
  auto& copts = chain_options.static_keys;
  copts.file = cfg.tencentcloud.credentials_file;
  copts.file_explicit = cfg.tencentcloud.credentials_file_explicit;
  copts.on_error = [&logger](const std::string& m) {
    logger.error("credentials file unusable; keeping the last good credentials", {{"err", m}});
  };
  copts.on_reload = [&logger](const std::string& path) {
    logger.info("credentials reloaded", {{"file", path}});
  };
  const auto& tc = cfg.tencentcloud;
  chain_options.cvm_role = tc.cvm_role;
  chain_options.metadata_endpoint = tc.metadata_endpoint;
  chain_options.sts_endpoint = tc.sts_endpoint;
  chain_options.sts_endpoint_explicit = tc.sts_endpoint_explicit;
  chain_options.sts_region = tc.region;
  chain_options.role_arn = tc.role_arn;
  chain_options.role_session_name = tc.role_session_name;
  chain_options.role_duration = std::chrono::duration_cast<std::chrono::seconds>(tc.role_duration);
  chain_options.timeout = cfg.api.timeout;
  chain_options.request_client = std::string("tencentcloud_org_exporter/") + TCORG_VERSION;
  chain_options.observer = &api_metrics;
  // Refreshes start during open_chain, before the metrics know the source: they look here.
  // Declared before the chain, so its refresh thread stops before these go.
  std::optional<metrics::CredentialsMetrics> credentials_series;
  std::atomic<metrics::CredentialsMetrics*> credentials_metrics{nullptr};
  chain_options.on_refresh = [&credentials_metrics, &logger](std::int64_t expires_at) {
    if (auto* m = credentials_metrics.load()) m->set_expiry(expires_at);
    logger.debug("temporary credentials refreshed", {{"expires_at", expires_at}});
  };
  chain_options.on_refresh_error = [&credentials_metrics, &logger](const std::string& m) {
    if (auto* cm = credentials_metrics.load()) cm->refresh_failed();
    logger.warn(
        "refreshing temporary credentials failed; keeping the last good ones until they "
        "expire",
        {{"err", m}});
  };
  const bool local_source = credentials::has_local_source(chain_options);
  auto chain = credentials::open_chain(std::move(chain_options));
  if (!chain) {
    std::cerr << chain.error() << "\n";
    return local_source ? 2 : kExitNoCredentials;
  }
  std::shared_ptr<credentials::Chain> source = std::move(chain).value();
  credentials_series.emplace(registry, source->source());
  credentials_metrics.store(&*credentials_series);
  credentials_series->set_expiry(source->expires_at());
  logger.info("credentials found", {{"source", source->source()}, {"origin", source->origin()}});

  api::ClientOptions options;
  options.endpoint = cfg.tencentcloud.endpoint;
  options.endpoint_explicit = cfg.tencentcloud.endpoint_explicit;
  options.region = cfg.tencentcloud.region;
  options.timeout = cfg.api.timeout;
  options.utc_offset_seconds = cfg.tencentcloud.utc_offset_seconds;
  options.request_client = std::string("tencentcloud_org_exporter/") + TCORG_VERSION;
  options.credentials = [source] { return source->current(); };
  options.observer = &api_metrics;
  // Once per correction: a large skew means the host's clock (NTP) needs looking at.
  options.on_clock_skew = [&api_metrics, &logger](std::int64_t skew, std::int64_t previous) {
    api_metrics.set_clock_skew(static_cast<double>(skew));
    logger.warn("API server clock differs from the local clock; correcting request timestamps",
                {{"skew_seconds", skew}, {"previous_skew_seconds", previous}});
  };
  std::unique_ptr<api::Client> client;
  try {
    client = std::make_unique<api::Client>(std::move(options));
  } catch (const std::invalid_argument& e) {
    std::cerr << e.what() << "\n";
    return 2;
  }

  std::stop_source shutdown;
  ratelimit::SteadyClock clock;
  ratelimit::LimiterOptions limiter_options;
  limiter_options.requests_per_second = cfg.api.requests_per_second;
  ratelimit::LimiterSet limiters(limiter_options, clock);
  ratelimit::RetryPolicy retry;
  retry.max_retries = cfg.api.max_retries;
  metrics::LimiterEvents limiter_events(api_metrics, logger);
  ratelimit::RateLimitedApi api(*client, limiters, retry, shutdown.get_token(), &limiter_events);

  std::vector<std::unique_ptr<collectors::Collector>> owned;
  if (cfg.collectors.invitations) {
    owned.push_back(std::make_unique<collectors::InvitationsCollector>(
        api, cfg.collectors.invitations_interval, static_cast<std::size_t>(cfg.api.max_in_flight)));
  }
  if (cfg.collectors.members) {
    collectors::MembersOptions m;
    m.interval = cfg.collectors.members_interval;
    m.use_member_list = cfg.collectors.members_list;
    m.static_uins = cfg.collectors.member_uins;
    m.max_in_flight = static_cast<std::size_t>(cfg.api.max_in_flight);
    owned.push_back(std::make_unique<collectors::MembersCollector>(api, std::move(m)));
  }
  std::vector<collectors::Collector*> enabled;
  std::vector<metrics::CollectorSpec> specs;
  for (auto& c : owned) {
    enabled.push_back(c.get());
    specs.push_back({std::string(c->name()), std::chrono::duration<double>(c->interval()).count()});
  }

  metrics::Store store(registry, std::move(specs), unix_now);
  const metrics::ProcessCollector process;
  const metrics::CollectableList live({&registry, &process});
  metrics::Exposition exposition(store, live);
  collectors::CycleLog cycle_log(logger);
  collectors::Scheduler scheduler(
      enabled, [&store](const collectors::Collector& c) { return store.latest(c.name()); },
      [&](const collectors::Collector& c, collectors::CycleResult r,
          std::chrono::duration<double> took) {
        cycle_log.record(c, r, took.count());
        store.publish(c.name(), std::move(r), took.count());
      });

  if (cfg.collect_once) {
    scheduler.run_once(shutdown.get_token());
    std::cout << exposition.render() << std::flush;
    bool all_ok = true;
    for (const auto& [name, h] : store.health()) all_ok = all_ok && h.success;
    return all_ok ? 0 : 1;
  }

  auto web_config = web::open_web_config(cfg.web.config_file, logger);
  if (!web_config) {
    std::cerr << web_config.error() << "\n";
    return 2;
  }
  http::ServerOptions server_options{
      cfg.web.listen_address, cfg.web.telemetry_path,
      std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, 4)};
  server_options.max_requests = cfg.web.max_requests;
  server_options.max_connections = static_cast<std::size_t>(cfg.web.max_connections);
  bool tls = false, basic_auth = false;
  if (auto file = web_config.value()) {
    server_options.web_config = [file] { return file->current(); };
    tls = file->current()->tls != nullptr;
    basic_auth = !file->current()->config.users.empty();
  }
  http::Server server(std::move(server_options),
                      http::Handlers{[&store] { return store.ready(); },
                                     [&] {
                                       return http::landing_page(http::LandingInfo{
                                           TCORG_VERSION, TCORG_REVISION, cfg.web.telemetry_path,
                                           store.health(), unix_now()});
                                     },
                                     [&exposition](bool gzip, bool may_wait) {
                                       return may_wait ? exposition.body(gzip)
                                                       : exposition.try_body(gzip);
                                     }});
  std::string error;
  const int port = server.bind(error);
  if (port < 0) {
    logger.error("cannot start the web server", {{"err", error}});
    return 1;
  }
  logger.info("starting tencentcloud_org_exporter",
              {{"version", TCORG_VERSION},
               {"revision", TCORG_REVISION},
               {"endpoint", cfg.tencentcloud.endpoint},
               {"credentials", source->origin()},
               {"requests_per_second", cfg.api.requests_per_second}});
  logger.info("listening", {{"address", cfg.web.listen_address},
                            {"port", port},
                            {"telemetry_path", cfg.web.telemetry_path},
                            {"tls", tls},
                            {"basic_auth", basic_auth},
                            {"max_requests", cfg.web.max_requests}});

  scheduler.start(shutdown.get_token());
  std::thread web([&server] { server.serve(); });

  int signal = 0;
  sigwait(&stop_signals, &signal);
  logger.info("shutting down", {{"signal", signal == SIGTERM ? "SIGTERM" : "SIGINT"}});
  shutdown.request_stop();
  server.stop();
  web.join();
  return 0;  // the scheduler's destructor joins the collector threads
}

// "tencentcloud_org_exporter: fatal: <what>" on stderr, on one line whatever `what` holds. Stdio,
// not iostreams, so that reporting the failure cannot throw in turn.
void print_fatal(const char* what) noexcept {
  std::fprintf(stderr, "%.*s: fatal: ", static_cast<int>(config::kProgramName.size()),
               config::kProgramName.data());
  for (const char* c = what; *c != '\0'; ++c) {
    std::fputc(*c == '\n' || *c == '\r' ? ' ' : *c, stderr);
  }
  std::fputc('\n', stderr);
}

}  // namespace
}  // namespace tcorg

int main(int argc, char** argv) {
  using namespace tcorg;
  // Multi-MB buffers of a cycle (snapshots, the rendered text) stay in mmap, so freeing them
  // returns the memory: RSS stays flat across cycles instead of creeping with glibc's adaptive
  // threshold (benchmarks/RESULTS.md, "Memory").
  mallopt(M_MMAP_THRESHOLD, 128 * 1024);
  // Before any thread starts, so every thread inherits the mask.
  const sigset_t stop_signals = block_stop_signals();
  // A peer closing a TLS connection mid-write must be an error value, not the end of the process.
  std::signal(SIGPIPE, SIG_IGN);
  // Expected failures (bad flags, unusable credentials or web config) are reported where they
  // happen; this is for the unexpected ones, so they end with a line rather than an abort. Our
  // exceptions' messages never hold a secret.
  try {
    auto parsed = config::parse_flags(argc, argv, kBuild, config::process_env());
    if (auto* exit = std::get_if<config::ExitNow>(&parsed)) {
      (exit->code == 0 ? std::cout : std::cerr) << exit->text;
      return exit->code;
    }
    const auto& cfg = std::get<config::Config>(parsed);
    log::Logger logger(cfg.log.level, cfg.log.format);
    return run(cfg, logger, stop_signals);
  } catch (const std::exception& e) {
    print_fatal(e.what());
  } catch (...) {
    print_fatal("unknown exception");
  }
  return 1;
}
