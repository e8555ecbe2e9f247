#include "exporter/metrics/store.h"

#include <prometheus/text_serializer.h>

#include "exporter/metrics/org_families.h"

namespace tcorg::metrics {

Store::Store(prometheus::Registry& registry, std::vector<std::string> collectors,
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
      now_(std::move(now)),
      org_text_(std::make_shared<const std::string>()) {
  for (auto& name : collectors) entries_.emplace(std::move(name), Entry{});
}

void Store::publish(std::string_view collector, collectors::CycleResult result, double seconds) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(collector);
  if (it == entries_.end()) return;
  Entry& e = it->second;
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
    render_locked();
  }
}

void Store::render_locked() {
  std::vector<prometheus::MetricFamily> families;
  for (const auto& [name, e] : entries_) {
    if (!e.snapshot) continue;
    auto part = std::visit(
        [](const auto& s) {
          using T = std::decay_t<decltype(s)>;
          if constexpr (std::is_same_v<T, collectors::InvitationsSnapshot>) {
            return invitation_families(s);
          } else {
            return member_families(s);
          }
        },
        *e.snapshot);
    families.insert(families.end(), std::make_move_iterator(part.begin()),
                    std::make_move_iterator(part.end()));
  }
  org_text_ = std::make_shared<const std::string>(prometheus::TextSerializer().Serialize(families));
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

std::shared_ptr<const std::string> Store::org_text() const {
  std::lock_guard lock(mu_);
  return org_text_;
}

}  // namespace tcorg::metrics
