#include "exporter/metrics/store.h"

#include <prometheus/text_serializer.h>

#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "exporter/metrics/org_families.h"

namespace tcorg::metrics {
namespace {

std::vector<prometheus::MetricFamily> families_of(const collectors::Snapshot& snapshot) {
  return std::visit(
      [](const auto& s) {
        using T = std::decay_t<decltype(s)>;
        if constexpr (std::is_same_v<T, collectors::InvitationsSnapshot>) {
          return invitation_families(s);
        } else {
          return member_families(s);
        }
      },
      snapshot);
}

// The series of the given snapshots (null ones skipped), as text and compressed.
std::shared_ptr<const OrgExposition> render(
    const std::vector<std::shared_ptr<const collectors::Snapshot>>& snapshots) {
  std::vector<prometheus::MetricFamily> families;
  for (const auto& s : snapshots) {
    if (!s) continue;
    auto part = families_of(*s);
    families.insert(families.end(), std::make_move_iterator(part.begin()),
                    std::make_move_iterator(part.end()));
  }
  auto org = std::make_shared<OrgExposition>();
  org->text = prometheus::TextSerializer().Serialize(families);
  families = {};  // freed before compressing: lower peak memory at 50k members
  org->deflated = deflate_final(org->text);
  return org;
}

// A cycle frees megabytes at once: the previous snapshot and render, the render's scratch. glibc
// keeps freed memory inside its arenas, and once its adaptive mmap threshold has grown such
// buffers land there too, so without a trim RSS creeps up cycle after cycle. Costs about a
// millisecond, once per cycle.
void release_free_memory() {
#ifdef __GLIBC__
  malloc_trim(0);
#endif
}

}  // namespace

Store::Store(prometheus::Registry& registry, std::vector<CollectorSpec> collectors,
             std::function<double()> now)
    : success_(prometheus::BuildGauge()
                   .Name("tencentcloud_org_collector_success")
                   .Help("Whether the last background collection cycle of the collector "
                         "succeeded (1) or failed (0).")
                   .Register(registry)),
      last_success_(prometheus::BuildGauge()
                        .Name("tencentcloud_org_collector_last_success_timestamp_seconds")
                        .Help("Unix time of the end of the collector's last successful background "
                              "cycle; 0 if it never succeeded.")
                        .Register(registry)),
      duration_(prometheus::BuildGauge()
                    .Name("tencentcloud_org_collector_duration_seconds")
                    .Help("Duration of the collector's last background collection cycle.")
                    .Register(registry)),
      interval_(prometheus::BuildGauge()
                    .Name("tencentcloud_org_collector_interval_seconds")
                    .Help("Configured time between the starts of the collector's background "
                          "cycles (--collector.<name>.interval).")
                    .Register(registry)),
      now_(std::move(now)),
      org_(render({})) {
  for (auto& c : collectors) {
    interval_.Add({{"collector", c.name}}).Set(c.interval_seconds);
    entries_.emplace(std::move(c.name), Entry{});
  }
}

void Store::publish(std::string_view collector, collectors::CycleResult result, double seconds) {
  std::lock_guard serial(publish_mu_);
  if (!entries_.contains(collector)) return;
  // Serializing and compressing tens of thousands of series takes tens of milliseconds: done
  // here, before taking the lock that scrapes wait for.
  std::shared_ptr<const OrgExposition> org;
  if (result.data) org = render(snapshots_with(collector, result.data));

  std::lock_guard lock(mu_);
  ++version_;
  Entry& e = entries_.find(collector)->second;
  if (!e.health.completed) {
    // Health series appear once the collector has something to say.
    const std::string name(collector);
    e.success = &success_.Add({{"collector", name}});
    e.last_success = &last_success_.Add({{"collector", name}});
    e.duration = &duration_.Add({{"collector", name}});
  }
  e.health.completed = true;
  e.health.success = result.ok();
  e.health.duration_seconds = seconds;
  e.health.last_error = result.error;
  if (result.ok()) e.health.last_success_unix = now_();
  e.success->Set(result.ok() ? 1 : 0);
  e.last_success->Set(e.health.last_success_unix);
  e.duration->Set(seconds);
  if (result.data) {
    e.snapshot = std::move(result.data);
    org_ = std::move(org);
    release_free_memory();
  }
}

std::vector<std::shared_ptr<const collectors::Snapshot>> Store::snapshots_with(
    std::string_view collector, const std::shared_ptr<const collectors::Snapshot>& fresh) const {
  // publish_mu_ is held and every writer of entries_ holds it too: reading needs no mu_.
  std::vector<std::shared_ptr<const collectors::Snapshot>> out;
  for (const auto& [name, e] : entries_) out.push_back(name == collector ? fresh : e.snapshot);
  return out;
}

std::shared_ptr<const collectors::Snapshot> Store::latest(std::string_view collector) const {
  std::lock_guard lock(mu_);
  auto it = entries_.find(collector);
  return it == entries_.end() ? nullptr : it->second.snapshot;
}

std::map<std::string, CollectorHealth> Store::health() const {
  std::lock_guard lock(mu_);
  std::map<std::string, CollectorHealth> out;
  for (const auto& [name, e] : entries_) out.emplace(name, e.health);
  return out;
}

bool Store::ready() const {
  std::lock_guard lock(mu_);
  for (const auto& [name, e] : entries_) {
    if (!e.health.completed) return false;
  }
  return true;
}

std::shared_ptr<const OrgExposition> Store::org() const {
  std::lock_guard lock(mu_);
  return org_;
}

std::uint64_t Store::version() const {
  std::lock_guard lock(mu_);
  return version_;
}

}  // namespace tcorg::metrics
