#pragma once

#include <chrono>

#include "exporter/api/api.h"
#include "exporter/collectors/collector.h"

namespace tcorg::collectors {

// `invitations`: every page of received (Invited=1) and sent (Invited=0) invitations.
// A cycle succeeds only when both directions were read completely.
class InvitationsCollector final : public Collector {
 public:
  InvitationsCollector(api::Api& api, std::chrono::milliseconds interval)
      : api_(api), interval_(interval) {}

  std::string_view name() const override { return "invitations"; }
  std::chrono::milliseconds interval() const override { return interval_; }
  CycleResult collect(const Snapshot* previous, std::stop_token stop) override;

 private:
  api::Api& api_;
  std::chrono::milliseconds interval_;
};

}  // namespace tcorg::collectors
