#include "exporter/collectors/invitations.h"

#include "exporter/api/pagination.h"

namespace tcorg::collectors {

CycleResult InvitationsCollector::collect(const Snapshot* /*previous*/, std::stop_token /*stop*/) {
  // Stopping is handled by the Api wrapper, which fails calls promptly once stop is requested.
  auto received =
      api::list_all_invitations(api_, api::Direction::kReceived, api::kMaxPageSize, in_flight_);
  if (!received) return {nullptr, received.error()};
  auto sent = api::list_all_invitations(api_, api::Direction::kSent, api::kMaxPageSize, in_flight_);
  if (!sent) return {nullptr, sent.error()};
  return {std::make_shared<const Snapshot>(
              InvitationsSnapshot{std::move(received).value(), std::move(sent).value()}),
          std::nullopt};
}

}  // namespace tcorg::collectors
