#pragma once

// Walk every page of a paginated action by Offset/Limit until TotalCount. With in_flight > 1 the
// pages after the first are fetched that many at a time; if the list changed meanwhile (pages
// disagree on TotalCount), a serial walk starts over.
// A list may change between pages: the walk never loops forever (it stops on an empty page or
// when Offset reaches TotalCount) and never returns an item twice (deduplicated by id/uin).

#include <vector>

#include "exporter/api/api.h"

namespace tcorg::api {

Result<std::vector<Invitation>> list_all_invitations(Api& api, Direction direction,
                                                     std::int64_t page_size = kMaxPageSize,
                                                     std::size_t in_flight = 1);
Result<std::vector<Member>> list_all_members(Api& api, std::int64_t page_size = kMaxPageSize,
                                             std::size_t in_flight = 1);

}  // namespace tcorg::api
