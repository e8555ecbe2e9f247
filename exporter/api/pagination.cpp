#include "exporter/api/pagination.h"

#include <algorithm>
#include <mutex>
#include <numeric>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

#include "exporter/common/concurrently.h"

namespace tcorg::api {
namespace {

// A walk may take twice the pages the first TotalCount needs plus these, for a list that changes
// under it (growth of up to half a page per page, or steps back after shrinks).
constexpr std::int64_t kSparePages = 5;

std::int64_t pages_for(std::int64_t total, std::int64_t limit) {
  return (total + limit - 1) / limit;
}

// Items in first-read order, one per key. A repeated key replaces the earlier copy in place: the
// later read is the newer one.
template <class Item, class Key>
class Deduplicated {
 public:
  explicit Deduplicated(Key key) : key_(std::move(key)) {}

  void add(Item&& item) {
    const auto [it, inserted] = index_.try_emplace(key_(item), items_.size());
    if (inserted) {
      items_.push_back(std::move(item));
    } else {
      items_[it->second] = std::move(item);
    }
  }
  std::vector<Item> take() { return std::move(items_); }

 private:
  Key key_;
  std::vector<Item> items_;
  std::unordered_map<std::int64_t, std::size_t> index_;  // key → position in items_
};

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
                               Items items_of, Key key, const OnItems<Item>& on_items) {
  const std::int64_t limit = std::clamp<std::int64_t>(page_size, 1, kMaxPageSize);
  Deduplicated<Item, Key> out(key);
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
    if (on_items) on_items(items);
    for (auto& item : items) out.add(std::move(item));
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
  return out.take();
}

// The first page tells how many pages there are; fetch the rest `in_flight` at a time, since
// with 100-300 ms per call a serial walk of a large list takes longer than the rate limit needs.
// Valid only if every page agrees on TotalCount and is as full as it should be: then the pages
// are one consistent view. Otherwise the list changed meanwhile (or TotalCount is wrong), and the
// careful serial walk starts over. Returns nullopt for that, and when in_flight is 1.
template <class Item, class Fetch, class Items, class Key>
std::optional<Result<std::vector<Item>>> fetch_pages_concurrently(std::int64_t page_size,
                                                                  std::size_t in_flight,
                                                                  Fetch fetch, Items items_of,
                                                                  Key key,
                                                                  const OnItems<Item>& on_items) {
  if (in_flight <= 1) return std::nullopt;
  const std::int64_t limit = std::clamp<std::int64_t>(page_size, 1, kMaxPageSize);
  std::mutex report_mutex;  // on_items is never called by two threads at once
  auto fetch_page = [&](std::int64_t offset) {
    auto page = fetch(offset, limit);
    if (page.ok() && on_items) {
      std::lock_guard lock(report_mutex);
      on_items(items_of(page.value()));
    }
    return page;
  };
  auto first = fetch_page(0);
  if (!first.ok()) return Result<std::vector<Item>>(first.error());
  const std::int64_t total = std::max<std::int64_t>(first->total_count, 0);

  using Page = std::decay_t<decltype(first)>;
  std::vector<std::optional<Page>> rest(
      static_cast<std::size_t>(std::max<std::int64_t>(pages_for(total, limit) - 1, 0)));
  // Indices rather than std::views::iota, which clang 14 (clang-tidy) rejects with libstdc++ 12.
  std::vector<std::size_t> indices(rest.size());
  std::iota(indices.begin(), indices.end(), std::size_t{0});
  for_each_concurrently(
      indices, in_flight,
      [&](std::size_t i) { rest[i].emplace(fetch_page(static_cast<std::int64_t>(i + 1) * limit)); },
      {});

  Deduplicated<Item, Key> out(key);
  auto take = [&](Page& page, std::int64_t offset) {
    auto& items = items_of(page.value());
    if (page->total_count != first->total_count ||
        static_cast<std::int64_t>(items.size()) != std::min(limit, total - offset)) {
      return false;
    }
    for (auto& item : items) out.add(std::move(item));
    return true;
  };
  bool consistent = take(first, 0);
  for (std::size_t i = 0; i < rest.size(); ++i) {
    if (!rest[i]->ok()) return Result<std::vector<Item>>(rest[i]->error());
    consistent = consistent && take(*rest[i], static_cast<std::int64_t>(i + 1) * limit);
  }
  if (!consistent) return std::nullopt;
  return Result<std::vector<Item>>(out.take());
}

template <class Item, class Fetch, class Items, class Key>
Result<std::vector<Item>> walk_fast(std::string_view action, std::int64_t page_size,
                                    std::size_t in_flight, Fetch fetch, Items items_of, Key key,
                                    const OnItems<Item>& on_items) {
  if (auto fast =
          fetch_pages_concurrently<Item>(page_size, in_flight, fetch, items_of, key, on_items)) {
    return std::move(*fast);
  }
  return walk<Item>(action, page_size, fetch, items_of, key, on_items);
}

}  // namespace

Result<std::vector<Invitation>> list_all_invitations(Api& api, Direction direction,
                                                     std::int64_t page_size, std::size_t in_flight,
                                                     const OnItems<Invitation>& on_items) {
  return walk_fast<Invitation>(
      action::kListOrganizationInvitations, page_size, in_flight,
      [&](std::int64_t offset, std::int64_t limit) {
        return api.list_invitations(direction, offset, limit);
      },
      [](InvitationPage& p) -> std::vector<Invitation>& { return p.invitations; },
      [](const Invitation& i) { return i.id; }, on_items);
}

Result<std::vector<Member>> list_all_members(Api& api, std::int64_t page_size,
                                             std::size_t in_flight,
                                             const OnItems<Member>& on_items) {
  return walk_fast<Member>(
      action::kListOrganizationMembers, page_size, in_flight,
      [&](std::int64_t offset, std::int64_t limit) { return api.list_members(offset, limit); },
      [](MemberPage& p) -> std::vector<Member>& { return p.members; },
      [](const Member& m) { return m.uin; }, on_items);
}

}  // namespace tcorg::api
