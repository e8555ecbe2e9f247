// The four actions through the server: shapes, paging, parameter errors.

#include <gtest/gtest.h>

#include <set>

#include "exporter/api/time_parse.h"
#include "simulator/tests/signed_call.h"

namespace tcorg::sim {
namespace {

using testing::Call;

class ActionsTest : public ::testing::Test {
 protected:
  static Options options() {
    Options o = testing::small_options();
    o.rate_limit = -1;  // paging tests need not pace
    return o;
  }
  testing::Reply call(const std::string& action, const std::string& body) {
    Call c;
    c.action = action;
    c.body = body;
    return testing::send(client_, simulator_, c);
  }

  Simulator simulator_{options()};
  int port_ = simulator_.start();
  httplib::Client client_ = testing::client_for(simulator_);
};

TEST_F(ActionsTest, InvitationPagesCoverEachInvitationOnce) {
  const Organization org = simulator_.organization();
  for (int invited : {0, 1}) {
    const auto& truth = invited == 1 ? org.received : org.sent;
    std::multiset<std::int64_t> ids;
    for (int offset = 0; offset < 100; offset += 7) {
      const auto reply = call("ListOrganizationInvitations",
                              R"({"Invited":)" + std::to_string(invited) + R"(,"Offset":)" +
                                  std::to_string(offset) + R"(,"Limit":7})");
      ASSERT_EQ(reply.code(), "") << reply.body;
      EXPECT_EQ(reply.response().at("TotalCount"), truth.size());
      for (const auto& inv : reply.response().at("Invitations"))
        ids.insert(inv.at("Id").get<std::int64_t>());
    }
    std::multiset<std::int64_t> expected;
    for (const auto& inv : truth) expected.insert(inv.id);
    EXPECT_EQ(ids, expected);
  }
}

TEST_F(ActionsTest, InvitationHasTheDocumentedFields) {
  const auto reply = call("ListOrganizationInvitations", R"({"Invited":0})");
  ASSERT_EQ(reply.code(), "");
  const auto& list = reply.response().at("Invitations");
  ASSERT_EQ(list.size(), 10u);  // default Limit
  const auto& first = list.at(0);
  for (const char* field : {"Id", "Uin", "HostUin", "HostName", "HostMail", "Status", "Name",
                            "Remark", "OrgType", "InviteTime", "ExpireTime"}) {
    EXPECT_TRUE(first.contains(field)) << field;
  }
  EXPECT_EQ(first.at("OrgType"), 1);
  const api::Invitation truth = simulator_.organization().sent.at(0);
  EXPECT_EQ(first.at("Id"), truth.id);
  EXPECT_EQ(api::parse_api_time(first.at("ExpireTime").get<std::string>(), 8 * 3600),
            truth.expire_time);
}

TEST_F(ActionsTest, GetOrganizationMember) {
  const auto m = simulator_.organization().members.at(3);
  const auto reply =
      call("GetOrganizationMember", R"({"MemberUin":)" + std::to_string(m.uin) + "}");
  ASSERT_EQ(reply.code(), "");
  const auto& r = reply.response();
  EXPECT_EQ(r.at("Uin"), m.uin);
  EXPECT_EQ(r.at("Name"), m.name);
  EXPECT_EQ(r.at("NodeId"), m.node_id);
  EXPECT_EQ(r.at("NodeName"), m.node_name);
  EXPECT_EQ(r.at("ParentNodeId"), m.parent_node_id);
  EXPECT_EQ(r.at("JoinTime"), api::format_api_time(m.join_time, 8 * 3600));

  EXPECT_EQ(call("GetOrganizationMember", R"({"MemberUin":42})").code(),
            "ResourceNotFound.MemberNotExist");
  EXPECT_EQ(call("GetOrganizationMember", "{}").code(), "MissingParameter");
}

TEST_F(ActionsTest, MembersAndNodes) {
  const Organization org = simulator_.organization();
  std::set<std::int64_t> uins;
  for (int offset = 0; offset < 60; offset += 50) {
    const auto reply = call("ListOrganizationMembers",
                            R"({"Offset":)" + std::to_string(offset) + R"(,"Limit":50})");
    ASSERT_EQ(reply.code(), "");
    EXPECT_EQ(reply.response().at("TotalCount"), org.members.size());
    for (const auto& m : reply.response().at("Members"))
      uins.insert(m.at("Uin").get<std::int64_t>());
  }
  EXPECT_EQ(uins.size(), org.members.size());

  const auto nodes = call("ListOrganizationNodes", "");
  ASSERT_EQ(nodes.code(), "");
  ASSERT_EQ(nodes.response().at("Nodes").size(), org.nodes.size());
  EXPECT_EQ(nodes.response().at("Nodes").at(0).at("ParentNodeId"), 0);
  EXPECT_EQ(call("ListOrganizationNodes", R"({"Limit":1})").code(), "UnknownParameter");
}

TEST_F(ActionsTest, ParameterErrors) {
  EXPECT_EQ(call("ListOrganizationInvitations", "{}").code(), "MissingParameter");
  EXPECT_EQ(call("ListOrganizationInvitations", R"({"Invited":"1"})").code(), "InvalidParameter");
  EXPECT_EQ(call("ListOrganizationInvitations", R"({"Invited":2})").code(),
            "InvalidParameterValue");
  EXPECT_EQ(call("ListOrganizationInvitations", R"({"Invited":1,"Limit":51})").code(),
            "InvalidParameterValue");
  EXPECT_EQ(call("ListOrganizationInvitations", R"({"Invited":1,"Limit":0})").code(),
            "InvalidParameterValue");
  EXPECT_EQ(call("ListOrganizationInvitations", R"({"Invited":1,"Page":1})").code(),
            "UnknownParameter");
  EXPECT_EQ(call("ListOrganizationMembers", R"({"Limit":1.5})").code(), "InvalidParameter");
  EXPECT_EQ(call("ListOrganizationMembers", "[1]").code(), "InvalidParameter");
}

TEST_F(ActionsTest, OffsetPastTheEndIsAnEmptyPage) {
  const auto reply = call("ListOrganizationMembers", R"({"Offset":1000})");
  ASSERT_EQ(reply.code(), "");
  EXPECT_TRUE(reply.response().at("Members").empty());
  EXPECT_EQ(reply.response().at("TotalCount"), 30);
}

TEST_F(ActionsTest, GzipOnlyWhenAskedAndNeverBrotli) {
  Call c;
  EXPECT_EQ(testing::send(client_, simulator_, c).content_encoding, "");
  c.accept_encoding = "br, gzip, deflate";
  const auto reply = testing::send(client_, simulator_, c);
  EXPECT_EQ(reply.content_encoding, "gzip");
  EXPECT_EQ(reply.code(), "");  // the client decompressed it
  EXPECT_TRUE(reply.response().contains("Nodes"));
}

TEST_F(ActionsTest, MutationsAreServed) {
  simulator_.mutate([](Organization& org) { org.received.clear(); });
  const auto reply = call("ListOrganizationInvitations", R"({"Invited":1})");
  EXPECT_EQ(reply.response().at("TotalCount"), 0);

  const auto uin = simulator_.organization().members.at(0).uin;
  simulator_.mutate([](Organization& org) { org.members.erase(org.members.begin()); });
  EXPECT_EQ(call("GetOrganizationMember", R"({"MemberUin":)" + std::to_string(uin) + "}").code(),
            "ResourceNotFound.MemberNotExist");
}

}  // namespace
}  // namespace tcorg::sim
