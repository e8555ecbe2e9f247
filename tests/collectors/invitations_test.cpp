#include "exporter/collectors/invitations.h"

#include <gtest/gtest.h>

#include "tests/collectors/fake_api.h"

namespace tcorg::collectors {
namespace {

using testing::FakeApi;
using testing::invitation;

TEST(InvitationsCollector, ReadsEveryPageOfBothDirections) {
  FakeApi api;
  for (int i = 0; i < 120; ++i) api.received.push_back(invitation(i, 1000 + i, i % 5 - 1));
  for (int i = 0; i < 7; ++i) api.sent.push_back(invitation(500 + i, 2000 + i, 0));
  InvitationsCollector c(api, std::chrono::minutes(1));
  const auto result = c.collect(nullptr, {});
  ASSERT_TRUE(result.ok());
  const auto& snap = std::get<InvitationsSnapshot>(*result.data);
  EXPECT_EQ(snap.received.size(), 120u);
  EXPECT_EQ(snap.sent.size(), 7u);
  EXPECT_EQ(api.calls, 3 + 1);  // 120 received in pages of 50, 7 sent in one page
  EXPECT_EQ(c.name(), "invitations");
}

TEST(InvitationsCollector, FailureReturnsErrorAndNoData) {
  FakeApi api;
  api.failing_actions.insert("ListOrganizationInvitations");
  InvitationsCollector c(api, std::chrono::minutes(1));
  const auto result = c.collect(nullptr, {});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error->code, "InternalError");
  EXPECT_EQ(result.data, nullptr);  // the store keeps the last good snapshot
}

}  // namespace
}  // namespace tcorg::collectors
