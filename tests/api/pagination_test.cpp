#include "exporter/api/pagination.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <set>
#include <span>
#include <thread>
#include <utility>

namespace tcorg::api {
namespace {

// An Api over in-memory lists, paging like the real service. `before_page(n)` runs before the
// n-th list call (0-based) so a test can change the list between pages.
class FakeApi : public Api {
 public:
  std::vector<Invitation> invitations;
  std::vector<Member> members;
  std::function<void(int)> before_page = [](int) {};
  int fail_on_page = -1;                  // this call answers InternalError
  std::int64_t reported_total_delta = 0;  // TotalCount lies by this much
  bool ignore_offset = false;             // a broken server: always the first page
  std::vector<std::pair<std::int64_t, std::int64_t>> calls;  // (offset, limit)
  std::vector<Direction> directions;

  Result<InvitationPage> list_invitations(Direction d, std::int64_t offset,
                                          std::int64_t limit) override {
    std::lock_guard lock(mu_);  // concurrent page walks call from several threads
    directions.push_back(d);
    auto r = page(invitations, offset, limit);
    if (r.error) return *r.error;
    InvitationPage p;
    p.invitations = std::move(r.items);
    p.total_count = static_cast<std::int64_t>(invitations.size()) + reported_total_delta;
    return p;
  }
  Result<MemberPage> list_members(std::int64_t offset, std::int64_t limit) override {
    std::lock_guard lock(mu_);
    auto r = page(members, offset, limit);
    if (r.error) return *r.error;
    MemberPage p;
    p.members = std::move(r.items);
    p.total_count = static_cast<std::int64_t>(members.size()) + reported_total_delta;
    return p;
  }
  Result<MemberDetail> get_member(std::int64_t) override { return MemberDetail{}; }
  Result<NodeList> list_nodes() override { return NodeList{}; }

 private:
  template <class T>
  struct Paged {
    std::vector<T> items;
    std::optional<ApiError> error;
  };

  template <class T>
  Paged<T> page(const std::vector<T>& all, std::int64_t offset, std::int64_t limit) {
    const int n = static_cast<int>(calls.size());
    calls.emplace_back(offset, limit);
    before_page(n);
    Paged<T> out;
    if (n == fail_on_page) {
      ApiError e;
      e.kind = ErrorKind::kApi;
      e.code = "InternalError";
      out.error = e;
      return out;
    }
    if (ignore_offset) offset = 0;
    // `all` is read after before_page, so edits show in this page.
    for (std::int64_t i = offset; i < offset + limit && i < static_cast<std::int64_t>(all.size());
         ++i) {
      out.items.push_back(all[static_cast<std::size_t>(i)]);
    }
    return out;
  }
  std::mutex mu_;
};

std::vector<Invitation> make_invitations(int n, std::int64_t first_id = 1) {
  std::vector<Invitation> v;
  for (int i = 0; i < n; ++i) {
    Invitation inv;
    inv.id = first_id + i;
    inv.uin = 1000 + first_id + i;
    v.push_back(inv);
  }
  return v;
}

std::vector<Member> make_members(int n) {
  std::vector<Member> v;
  for (int i = 0; i < n; ++i) {
    Member m;
    m.uin = 100000000000 + i;
    v.push_back(m);
  }
  return v;
}

std::set<std::int64_t> ids(const std::vector<Invitation>& v) {
  std::set<std::int64_t> s;
  for (const auto& i : v) s.insert(i.id);
  return s;
}

TEST(ListAllInvitations, ExactPages) {
  FakeApi api;
  api.invitations = make_invitations(30);
  const auto r = list_all_invitations(api, Direction::kSent, 10);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->size(), 30u);
  const std::vector<std::pair<std::int64_t, std::int64_t>> want = {{0, 10}, {10, 10}, {20, 10}};
  EXPECT_EQ(api.calls, want);
  EXPECT_EQ(api.directions, std::vector<Direction>(3, Direction::kSent));
  for (std::size_t i = 0; i < r->size(); ++i)
    EXPECT_EQ((*r)[i].id, static_cast<std::int64_t>(i + 1));
}

TEST(ListAllInvitations, PartialLastPage) {
  FakeApi api;
  api.invitations = make_invitations(31);
  const auto r = list_all_invitations(api, Direction::kReceived, 10);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->size(), 31u);
  EXPECT_EQ(api.calls.size(), 4u);
}

TEST(ListAllInvitations, EmptyOrganizationIsOneCall) {
  FakeApi api;
  const auto r = list_all_invitations(api, Direction::kReceived);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->empty());
  ASSERT_EQ(api.calls.size(), 1u);
  EXPECT_EQ(api.calls[0].first, 0);
  EXPECT_EQ(api.calls[0].second, 50);
}

TEST(ListAllInvitations, LimitClampedTo1To50) {
  for (const auto& [asked, sent] : {std::pair<std::int64_t, std::int64_t>{0, 1},
                                    {-5, 1},
                                    {1, 1},
                                    {50, 50},
                                    {51, 50},
                                    {1000, 50}}) {
    FakeApi api;
    api.invitations = make_invitations(3);
    ASSERT_TRUE(list_all_invitations(api, Direction::kReceived, asked).ok());
    EXPECT_EQ(api.calls[0].second, sent) << asked;
  }
}

TEST(ListAllInvitations, ErrorOnPage3Propagates) {
  FakeApi api;
  api.invitations = make_invitations(100);
  api.fail_on_page = 2;
  const auto r = list_all_invitations(api, Direction::kReceived, 10);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "InternalError");
  EXPECT_EQ(api.calls.size(), 3u);  // stops at the first error
}

TEST(ListAllInvitations, GrowingListNothingTwice) {
  // Two invitations are inserted at the front before every page: items shift right, so pages
  // overlap; every item is returned once and the walk ends.
  FakeApi api;
  api.invitations = make_invitations(30, 1000);
  std::int64_t next_id = 1;
  api.before_page = [&](int n) {
    if (n == 0) return;
    auto fresh = make_invitations(2, next_id);
    next_id += 2;
    api.invitations.insert(api.invitations.begin(), fresh.begin(), fresh.end());
  };
  const auto r = list_all_invitations(api, Direction::kReceived, 10);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(ids(*r).size(), r->size());  // no duplicates
  for (std::int64_t id = 1000; id < 1030; ++id) EXPECT_TRUE(ids(*r).count(id)) << id;
  EXPECT_LE(api.calls.size(), 10u);
}

TEST(ListAllInvitations, ShrinkingListSkipsNothingThatStayed) {
  // Before page 2, three items of page 1 are removed: the rest shift left. Stepping back by the
  // shrink means no item that stayed in the list is missed.
  FakeApi api;
  api.invitations = make_invitations(30);
  api.before_page = [&](int n) {
    if (n == 1) api.invitations.erase(api.invitations.begin(), api.invitations.begin() + 3);
  };
  const auto r = list_all_invitations(api, Direction::kReceived, 10);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(ids(*r).size(), r->size());
  for (std::int64_t id = 4; id <= 30; ++id) EXPECT_TRUE(ids(*r).count(id)) << id;
}

TEST(ListAllInvitations, ShrinkingToEmptyStops) {
  FakeApi api;
  api.invitations = make_invitations(30);
  api.before_page = [&](int n) {
    if (n == 1) api.invitations.clear();
  };
  const auto r = list_all_invitations(api, Direction::kReceived, 10);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->size(), 10u);  // what page 1 held
  EXPECT_LE(api.calls.size(), 3u);
}

TEST(ListAllInvitations, RepeatedItemKeepsNewestCopyOnce) {
  FakeApi api;
  api.invitations = make_invitations(20);
  api.before_page = [&](int n) {
    if (n != 1) return;
    // Item 5, already read, shows up again on page 2 with a new status.
    Invitation again = api.invitations[4];
    again.status = invitation_status::kAccepted;
    api.invitations.insert(api.invitations.begin() + 10, again);
  };
  const auto r = list_all_invitations(api, Direction::kReceived, 10);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->size(), 20u);
  EXPECT_EQ((*r)[4].id, 5);
  EXPECT_EQ((*r)[4].status, invitation_status::kAccepted);
}

TEST(ListAllInvitations, ShrinkOnEveryPageStillEnds) {
  FakeApi api;
  api.invitations = make_invitations(100);
  api.before_page = [&](int n) {
    if (n > 0 && !api.invitations.empty()) api.invitations.erase(api.invitations.begin());
  };
  const auto r = list_all_invitations(api, Direction::kReceived, 10);
  // Offset paging cannot see every item of a list that shifts before every page; the walk must
  // still end, within its page budget, with no item twice.
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(ids(*r).size(), r->size());
  EXPECT_LE(api.calls.size(), 25u);
  EXPECT_GE(r->size(), 80u);
}

TEST(ListAllInvitations, ServerIgnoringOffsetDoesNotLoopForever) {
  FakeApi api;
  api.invitations = make_invitations(100);
  api.ignore_offset = true;  // every call returns items 1..10, TotalCount 100
  const auto r = list_all_invitations(api, Direction::kReceived, 10);
  // Offset still advances by what each page held, so the walk ends after 10 pages.
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->size(), 10u);
  EXPECT_EQ(api.calls.size(), 10u);
}

TEST(ListAllInvitations, EverGrowingTotalEndsWithError) {
  // TotalCount races ahead faster than paging: the page budget ends the walk with an error.
  FakeApi api;
  api.invitations = make_invitations(20);
  std::int64_t next_id = 100000;
  api.before_page = [&](int) {
    auto more = make_invitations(15, next_id);
    next_id += 15;
    api.invitations.insert(api.invitations.end(), more.begin(), more.end());
  };
  const auto r = list_all_invitations(api, Direction::kReceived, 10);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kDecode);
  EXPECT_NE(r.error().message.find("did not converge"), std::string::npos) << r.error().message;
  EXPECT_LT(api.calls.size(), 200u);
}

TEST(ListAllInvitations, TotalCountTooLargeStopsOnEmptyPage) {
  FakeApi api;
  api.invitations = make_invitations(25);
  api.reported_total_delta = 1000;  // claims 1025
  const auto r = list_all_invitations(api, Direction::kReceived, 10);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->size(), 25u);
  EXPECT_EQ(api.calls.size(), 4u);  // the 4th page is empty
}

TEST(ListAllInvitations, TotalCountTooSmallStopsAtTotal) {
  FakeApi api;
  api.invitations = make_invitations(25);
  api.reported_total_delta = -10;  // claims 15
  const auto r = list_all_invitations(api, Direction::kReceived, 10);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->size(), 20u);  // trusts TotalCount: two pages
}

TEST(ListAllMembers, PagesAndDedupByUin) {
  FakeApi api;
  api.members = make_members(120);
  api.members.push_back(api.members[3]);  // the service lists one member twice
  const auto r = list_all_members(api);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->size(), 120u);
  const std::vector<std::pair<std::int64_t, std::int64_t>> want = {{0, 50}, {50, 50}, {100, 50}};
  EXPECT_EQ(api.calls, want);
}

TEST(ListAllMembers, ErrorPropagates) {
  FakeApi api;
  api.members = make_members(10);
  api.fail_on_page = 0;
  const auto r = list_all_members(api);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "InternalError");
}

TEST(ListAllMembers, Empty) {
  FakeApi api;
  const auto r = list_all_members(api, 10);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->empty());
  EXPECT_EQ(api.calls.size(), 1u);
}

TEST(ConcurrentPages, SameResultAsSerialWalk) {
  FakeApi api;
  api.members = make_members(437);
  const auto r = list_all_members(api, 50, 4);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 437u);
  for (std::size_t i = 0; i < r->size(); ++i)
    EXPECT_EQ((*r)[i].uin, 100000000000 + static_cast<std::int64_t>(i));
  EXPECT_EQ(api.calls.size(), 9u);  // one call per page, none repeated
}

TEST(ConcurrentPages, ListChangingMeanwhileFallsBackToTheSerialWalk) {
  FakeApi api;
  api.invitations = make_invitations(95, 1000);
  api.before_page = [&](int n) {
    if (n == 3) {  // an invitation arrives while the pages are being fetched
      auto fresh = make_invitations(1, 1);
      api.invitations.insert(api.invitations.begin(), fresh.begin(), fresh.end());
    }
  };
  const auto r = list_all_invitations(api, Direction::kReceived, 10, 4);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(ids(*r).size(), 96u);    // nothing lost, nothing twice
  EXPECT_GT(api.calls.size(), 10u);  // the serial walk ran again
}

TEST(ConcurrentPages, ErrorOnAnyPagePropagates) {
  FakeApi api;
  api.invitations = make_invitations(95);
  api.fail_on_page = 5;
  const auto r = list_all_invitations(api, Direction::kSent, 10, 3);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "InternalError");
}

TEST(ConcurrentPages, SinglePageIsOneCall) {
  FakeApi api;
  api.invitations = make_invitations(7);
  const auto r = list_all_invitations(api, Direction::kSent, 10, 8);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->size(), 7u);
  EXPECT_EQ(api.calls.size(), 1u);
}

TEST(OnItems, SerialWalkReportsEachPageBeforeReadingTheNext) {
  FakeApi api;
  api.invitations = make_invitations(25);
  std::vector<std::int64_t> reported;
  std::vector<std::size_t> reported_before_page;
  api.before_page = [&](int) { reported_before_page.push_back(reported.size()); };
  const auto r =
      list_all_invitations(api, Direction::kSent, 10, 1, [&](std::span<const Invitation> page) {
        for (const auto& i : page) reported.push_back(i.id);
      });
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(reported_before_page, (std::vector<std::size_t>{0, 10, 20}));
  std::vector<std::int64_t> want;
  for (const auto& i : *r) want.push_back(i.id);
  EXPECT_EQ(reported, want);
}

TEST(OnItems, ConcurrentPagesReportedOnceEachAndNeverConcurrently) {
  FakeApi api;
  api.members = make_members(437);
  std::atomic<bool> inside{false};
  std::atomic<bool> overlapped{false};
  std::vector<std::int64_t> reported;  // guarded by the promise that calls never overlap
  const auto r = list_all_members(api, 50, 4, [&](std::span<const Member> page) {
    if (inside.exchange(true)) overlapped = true;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));  // widen any overlap
    for (const auto& m : page) reported.push_back(m.uin);
    inside = false;
  });
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(overlapped);
  std::sort(reported.begin(), reported.end());
  ASSERT_EQ(reported.size(), r->size());
  for (std::size_t i = 0; i < r->size(); ++i) EXPECT_EQ(reported[i], (*r)[i].uin);
}

TEST(OnItems, FallbackToTheSerialWalkMayReportItemsAgain) {
  FakeApi api;
  api.invitations = make_invitations(95, 1000);
  api.before_page = [&](int n) {
    if (n == 3) {
      auto fresh = make_invitations(1, 1);
      api.invitations.insert(api.invitations.begin(), fresh.begin(), fresh.end());
    }
  };
  std::vector<std::int64_t> reported;
  const auto r =
      list_all_invitations(api, Direction::kReceived, 10, 4, [&](std::span<const Invitation> page) {
        for (const auto& i : page) reported.push_back(i.id);
      });
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(ids(*r).size(), 96u);  // the result is as without on_items
  EXPECT_GT(reported.size(), r->size());
  const std::set<std::int64_t> seen(reported.begin(), reported.end());
  for (const auto id : ids(*r)) EXPECT_TRUE(seen.count(id)) << id;
}

}  // namespace
}  // namespace tcorg::api
