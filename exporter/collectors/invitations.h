#pragma once

#include <chrono>

#include "exporter/api/api.h"
#include "exporter/collectors/collector.h"

namespace tcorg::collectors {

// `invitations`: every page of received (Invited=1) and sent (Invited=0) invitations.
// A cycle succeeds only when both directions were read completely.
class InvitationsCollector final : public Collector {
 public:
  // `in_flight`: pages fetched at once after the first.
  InvitationsCollector(api::Api& api, std::chrono::milliseconds interval, std::size_t in_flight = 1)
      : api_(api), interval_(interval), in_flight_(in_flight) {}

  std::string_view name() const override { return "invitations"; }
  std::chrono::milliseconds interval() const override { return interval_; }
  CycleResult collect(const Snapshot* previous, std::stop_token stop) override;

 private:
  api::Api& api_;
  std::chrono::milliseconds interval_;
  std::size_t in_flight_;
};

}  // namespace tcorg::collectors
