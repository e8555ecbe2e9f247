#include "exporter/api/pagination.h"

#include <algorithm>
#include <string>
#include <unordered_map>
#include <utility>

namespace tcorg::api {
namespace {

// A walk may take twice the pages the first TotalCount needs plus these, for a list that changes
// under it (growth of up to half a page per page, or steps back after shrinks).
constexpr std::int64_t kSparePages = 5;

std::int64_t pages_for(std::int64_t total, std::int64_t limit) {
  return (total + limit - 1) / limit;
}

// The walk shared by every Offset/Limit action. fetch(offset, limit) returns a page with `items`
// and `total_count`; key(item) identifies an item.
//
// Why each rule:
// - the next Offset advances by what the page held, not by Limit, so a short page skips nothing;
// - when TotalCount shrinks by d before a page, up to d unread items may have moved left past
//   that page's offset: read again from offset - d (dedup drops what is read twice), but never
//   twice in a row, so a list shrinking before every page still advances;
// - a repeated item replaces the earlier copy in place (it is newer) and is returned once;
// - the page budget is fixed by the first page (2 * ceil(TotalCount / limit) + kSparePages), so a
//   list that keeps growing faster than it is read ends with an error instead of a loop.
template <class Item, class Fetch, class Items, class Key>
Result<std::vector<Item>> walk(std::string_view action, std::int64_t page_size, Fetch fetch,
                               Items items_of, Key key) {
  const std::int64_t limit = std::clamp<std::int64_t>(page_size, 1, kMaxPageSize);
  std::vector<Item> out;
  std::unordered_map<std::int64_t, std::size_t> index;  // key → position in `out`
  std::int64_t offset = 0;
  std::int64_t first_total = 0;
  std::int64_t previous_total = -1;
  bool stepped_back = false;  // the page just read was a step back: the next one must advance
  for (std::int64_t pages = 0;; ++pages) {
    if (pages > 0 && pages >= 2 * pages_for(first_total, limit) + kSparePages) {
      ApiError e;
      e.kind = ErrorKind::kDecode;
      e.message = std::string(action) + ": paging did not converge after " + std::to_string(pages) +
                  " pages (TotalCount went from " + std::to_string(first_total) + " to " +
                  std::to_string(previous_total) + ")";
      return e;
    }
    auto page = fetch(offset, limit);
    if (!page.ok()) return page.error();
    auto& items = items_of(page.value());
    const std::int64_t total = page->total_count;
    if (pages == 0) first_total = std::max<std::int64_t>(0, total);
    for (auto& item : items) {
      const auto [it, inserted] = index.try_emplace(key(item), out.size());
      if (inserted) {
        out.push_back(std::move(item));
      } else {
        out[it->second] = std::move(item);
      }
    }
    if (items.empty()) break;
    const std::int64_t shrunk = previous_total > total ? previous_total - total : 0;
    if (shrunk > 0 && !stepped_back) {
      offset = std::max<std::int64_t>(0, offset - shrunk);
      stepped_back = true;
    } else {
      offset += static_cast<std::int64_t>(items.size());
      stepped_back = false;
    }
    previous_total = total;
    if (offset >= total) break;
  }
  return out;
}

}  // namespace

Result<std::vector<Invitation>> list_all_invitations(Api& api, Direction direction,
                                                     std::int64_t page_size) {
  return walk<Invitation>(
      action::kListOrganizationInvitations, page_size,
      [&](std::int64_t offset, std::int64_t limit) {
        return api.list_invitations(direction, offset, limit);
      },
      [](InvitationPage& p) -> std::vector<Invitation>& { return p.invitations; },
      [](const Invitation& i) { return i.id; });
}

Result<std::vector<Member>> list_all_members(Api& api, std::int64_t page_size) {
  return walk<Member>(
      action::kListOrganizationMembers, page_size,
      [&](std::int64_t offset, std::int64_t limit) { return api.list_members(offset, limit); },
      [](MemberPage& p) -> std::vector<Member>& { return p.members; },
      [](const Member& m) { return m.uin; });
}

}  // namespace tcorg::api
