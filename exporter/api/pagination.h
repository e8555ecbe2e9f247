#pragma once

// Walk every page of a paginated action by Offset/Limit until TotalCount. With in_flight > 1 the
// pages after the first are fetched that many at a time; if the list changed meanwhile (pages
// disagree on TotalCount), a serial walk starts over.
// A list may change between pages: the walk never loops forever (it stops on an empty page or
// when Offset reaches TotalCount) and never returns an item twice (deduplicated by id/uin).
//
// `on_items`, when set, is told the items of every page as it arrives, so that work on them can
// start before the walk ends. Unlike the result it may repeat an item, and tell of items the
// result leaves out (pages read before a fallback to the serial walk, or before a failure). It is
// never called by two threads at once.

#include <functional>
#include <span>
#include <vector>

#include "exporter/api/api.h"

namespace tcorg::api {

template <class Item>
using OnItems = std::function<void(std::span<const Item>)>;

Result<std::vector<Invitation>> list_all_invitations(Api& api, Direction direction,
                                                     std::int64_t page_size = kMaxPageSize,
                                                     std::size_t in_flight = 1,
                                                     const OnItems<Invitation>& on_items = {});
Result<std::vector<Member>> list_all_members(Api& api, std::int64_t page_size = kMaxPageSize,
                                             std::size_t in_flight = 1,
                                             const OnItems<Member>& on_items = {});

}  // namespace tcorg::api
