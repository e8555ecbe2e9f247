#include "exporter/api/decode.h"

#include <gtest/gtest.h>

#include <string>

namespace tcorg::api {
namespace {

constexpr int kBeijing = 8 * 3600;
// "2019-10-10 00:00:00" at +08:00.
constexpr std::int64_t kOct10Beijing = 1570665600 - kBeijing;

// The output example of the ListOrganizationInvitations page, verbatim.
constexpr std::string_view kInvitationsExample = R"({
"Response": {
"TotalCount": 0,
"Invitations": [
{
"Id": 1,
"Uin": 1,
"HostUin": 1,
"HostName": "aa",
"HostMail": "aa@qq.com",
"Status": 1,
"Name": "aa",
"Remark": "",
"OrgType": 1,
"InviteTime": "2019-10-10 00:00:00",
"ExpireTime": "2019-10-10 00:00:00"
}
],
"RequestId": "97fd9345-cfd6-4b93-8205-e25d21ecd26e"
}
})";

// The output example of the GetOrganizationMember page, verbatim.
constexpr std::string_view kMemberExample = R"({
  "Response": {
    "Uin": 1,
    "Name": "aa",
    "Remark": "",
    "JoinTime": "2019-10-10 00:00:00",
    "NodeId": 1,
    "NodeName": "aa",
    "ParentNodeId": 0,
    "RequestId": "fae840be-2b30-47ae-93b7-df5610168eff"
  }
})";

std::string decode_message(std::string_view body) {
  const auto r = decode_invitation_page(body, kBeijing);
  EXPECT_FALSE(r.ok()) << body;
  if (r.ok()) return {};
  EXPECT_EQ(r.error().kind, ErrorKind::kDecode) << body;
  return r.error().message;
}

std::string one_invitation(std::string_view fields) {
  return R"({"Response":{"TotalCount":1,"RequestId":"r","Invitations":[{)" + std::string(fields) +
         "}]}}";
}

TEST(DecodeInvitationPage, DocumentationExample) {
  const auto r = decode_invitation_page(kInvitationsExample, kBeijing);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->total_count, 0);
  EXPECT_EQ(r->request_id, "97fd9345-cfd6-4b93-8205-e25d21ecd26e");
  ASSERT_EQ(r->invitations.size(), 1u);
  const Invitation& i = r->invitations[0];
  EXPECT_EQ(i.id, 1);
  EXPECT_EQ(i.uin, 1);
  EXPECT_EQ(i.host_uin, 1);
  EXPECT_EQ(i.host_name, "aa");
  EXPECT_EQ(i.host_mail, "aa@qq.com");
  EXPECT_EQ(i.status, invitation_status::kAccepted);
  EXPECT_EQ(i.name, "aa");
  EXPECT_EQ(i.remark, "");
  EXPECT_EQ(i.org_type, 1);
  EXPECT_EQ(i.invite_time, kOct10Beijing);
  EXPECT_EQ(i.expire_time, kOct10Beijing);
}

TEST(DecodeMemberDetail, DocumentationExample) {
  const auto r = decode_member_detail(kMemberExample, kBeijing);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->uin, 1);
  EXPECT_EQ(r->name, "aa");
  EXPECT_EQ(r->remark, "");
  EXPECT_EQ(r->join_time, kOct10Beijing);
  EXPECT_EQ(r->node_id, 1);
  EXPECT_EQ(r->node_name, "aa");
  EXPECT_EQ(r->parent_node_id, 0);
  EXPECT_EQ(r->request_id, "fae840be-2b30-47ae-93b7-df5610168eff");
}

TEST(DecodeMemberDetail, UtcOffsetApplies) {
  const auto utc = decode_member_detail(kMemberExample, 0);
  ASSERT_TRUE(utc.ok());
  EXPECT_EQ(utc->join_time, 1570665600);
}

TEST(DecodeInvitationPage, ExpiredStatusIsSigned) {
  const auto r = decode_invitation_page(one_invitation(R"("Id":7,"Status":-1)"), kBeijing);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->invitations[0].status, invitation_status::kExpired);
}

TEST(DecodeInvitationPage, UnknownStatusIsKept) {
  const auto r = decode_invitation_page(one_invitation(R"("Id":7,"Status":42)"), kBeijing);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->invitations[0].status, 42);
}

TEST(DecodeInvitationPage, LargeIntegers) {
  // UINs beyond 2^53 and up to int64 max survive exactly.
  const auto r = decode_invitation_page(
      one_invitation(R"("Id":9007199254740993,"Uin":9223372036854775807,"Status":0)"), kBeijing);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->invitations[0].id, 9007199254740993);
  EXPECT_EQ(r->invitations[0].uin, INT64_MAX);
}

TEST(DecodeInvitationPage, IntegerBeyondInt64Rejected) {
  EXPECT_EQ(decode_message(one_invitation(R"("Id":9223372036854775808,"Status":0)")),
            "Response.Invitations[0].Id: integer out of range: 9223372036854775808");
}

TEST(DecodeInvitationPage, OptionalFieldsDefault) {
  const auto r = decode_invitation_page(one_invitation(R"("Id":3,"Status":0)"), kBeijing);
  ASSERT_TRUE(r.ok());
  const Invitation& i = r->invitations[0];
  EXPECT_EQ(i.uin, 0);
  EXPECT_EQ(i.host_name, "");
  EXPECT_EQ(i.invite_time, 0);
  EXPECT_EQ(i.expire_time, 0);
}

TEST(DecodeInvitationPage, NullOptionalFieldsDefault) {
  const auto r = decode_invitation_page(
      one_invitation(R"("Id":3,"Status":0,"Uin":null,"Name":null,"InviteTime":null)"), kBeijing);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->invitations[0].uin, 0);
  EXPECT_EQ(r->invitations[0].name, "");
}

TEST(DecodeInvitationPage, EmptyAndZeroTimesMeanUnset) {
  const auto r = decode_invitation_page(
      one_invitation(R"("Id":3,"Status":0,"InviteTime":"","ExpireTime":"0000-00-00 00:00:00")"),
      kBeijing);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->invitations[0].invite_time, 0);
  EXPECT_EQ(r->invitations[0].expire_time, 0);
}

TEST(DecodeInvitationPage, UnknownFieldsIgnored) {
  const auto r = decode_invitation_page(
      R"({"Response":{"TotalCount":1,"RequestId":"r","NewThing":{"a":[1,2]},)"
      R"("Invitations":[{"Id":1,"Status":0,"Future":"x","Nested":{"Deep":[null]}}]}})",
      kBeijing);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->invitations.size(), 1u);
}

TEST(DecodeInvitationPage, MissingOrNullListIsEmpty) {
  for (const char* body : {R"({"Response":{"TotalCount":0,"RequestId":"r"}})",
                           R"({"Response":{"TotalCount":0,"Invitations":null,"RequestId":"r"}})",
                           R"({"Response":{"TotalCount":0,"Invitations":[],"RequestId":"r"}})"}) {
    const auto r = decode_invitation_page(body, kBeijing);
    ASSERT_TRUE(r.ok()) << body;
    EXPECT_TRUE(r->invitations.empty());
  }
}

TEST(DecodeInvitationPage, FieldPathInMessages) {
  // The fourth element's Status is a string.
  std::string body = R"({"Response":{"TotalCount":4,"RequestId":"r","Invitations":[)";
  for (int i = 0; i < 3; ++i) body += R"({"Id":)" + std::to_string(i) + R"(,"Status":0},)";
  body += R"({"Id":3,"Status":"1"}]}})";
  EXPECT_EQ(decode_message(body), "Response.Invitations[3].Status: expected integer, got string");
}

struct Malformed {
  const char* body;
  const char* message;
};

class DecodeMalformed : public testing::TestWithParam<Malformed> {};

TEST_P(DecodeMalformed, IsDecodeErrorNamingTheField) {
  EXPECT_EQ(decode_message(GetParam().body), GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    Fixtures, DecodeMalformed,
    testing::Values(
        Malformed{R"({"Nope":{}})", "missing Response"}, Malformed{R"({})", "missing Response"},
        Malformed{R"([1,2])", "body: expected object, got array"},
        Malformed{R"("Response")", "body: expected object, got string"},
        Malformed{R"({"Response":[]})", "Response: expected object, got array"},
        Malformed{R"({"Response":null})", "Response: expected object, got null"},
        Malformed{R"({"Response":{"TotalCount":0}})", "Response.RequestId: missing"},
        Malformed{R"({"Response":{"TotalCount":0,"RequestId":5}})",
                  "Response.RequestId: expected string, got integer"},
        Malformed{R"({"Response":{"RequestId":"r"}})", "Response.TotalCount: missing"},
        Malformed{R"({"Response":{"TotalCount":null,"RequestId":"r"}})",
                  "Response.TotalCount: expected integer, got null"},
        Malformed{R"({"Response":{"TotalCount":"3","RequestId":"r"}})",
                  "Response.TotalCount: expected integer, got string"},
        Malformed{R"({"Response":{"TotalCount":3.0,"RequestId":"r"}})",
                  "Response.TotalCount: expected integer, got float"},
        Malformed{R"({"Response":{"TotalCount":-1,"RequestId":"r"}})",
                  "Response.TotalCount: must not be negative, got -1"},
        Malformed{R"({"Response":{"TotalCount":1,"RequestId":"r","Invitations":{}}})",
                  "Response.Invitations: expected array, got object"},
        Malformed{R"({"Response":{"TotalCount":1,"RequestId":"r","Invitations":[1]}})",
                  "Response.Invitations[0]: expected object, got integer"},
        Malformed{R"({"Response":{"TotalCount":1,"RequestId":"r","Invitations":[{"Status":0}]}})",
                  "Response.Invitations[0].Id: missing"},
        Malformed{R"({"Response":{"TotalCount":1,"RequestId":"r","Invitations":[{"Id":1}]}})",
                  "Response.Invitations[0].Status: missing"},
        Malformed{
            R"({"Response":{"TotalCount":1,"RequestId":"r","Invitations":[{"Id":1,"Status":1.5}]}})",
            "Response.Invitations[0].Status: expected integer, got float"},
        Malformed{
            R"({"Response":{"TotalCount":1,"RequestId":"r","Invitations":[{"Id":1,"Status":true}]}})",
            "Response.Invitations[0].Status: expected integer, got boolean"},
        Malformed{
            R"({"Response":{"TotalCount":1,"RequestId":"r","Invitations":[{"Id":1,"Status":0,"Name":7}]}})",
            "Response.Invitations[0].Name: expected string, got integer"},
        Malformed{
            R"({"Response":{"TotalCount":1,"RequestId":"r","Invitations":[{"Id":1,"Status":0,"InviteTime":"2019-13-10 00:00:00"}]}})",
            "Response.Invitations[0].InviteTime: expected time \"YYYY-MM-DD hh:mm:ss\", got "
            "\"2019-13-10 00:00:00\""},
        Malformed{
            R"({"Response":{"TotalCount":1,"RequestId":"r","Invitations":[{"Id":1,"Status":0,"ExpireTime":"2019-10-10T00:00:00Z"}]}})",
            "Response.Invitations[0].ExpireTime: expected time \"YYYY-MM-DD hh:mm:ss\", got "
            "\"2019-10-10T00:00:00Z\""},
        Malformed{
            R"({"Response":{"TotalCount":1,"RequestId":"r","Invitations":[{"Id":1,"Status":0,"ExpireTime":1570665600}]}})",
            "Response.Invitations[0].ExpireTime: expected string, got integer"},
        Malformed{R"({"Response":{"Error":"boom","RequestId":"r"}})",
                  "Response.Error: expected object, got string"},
        Malformed{R"({"Response":{"Error":{"Message":"m"},"RequestId":"r"}})",
                  "Response.Error.Code: missing"},
        Malformed{R"({"Response":{"Error":{"Code":1},"RequestId":"r"}})",
                  "Response.Error.Code: expected string, got integer"}));

TEST(Decode, NotJsonNamesSizeAndExcerpt) {
  EXPECT_EQ(decode_message("<html>502 Bad Gateway</html>"),
            "body is not JSON (28 bytes): <html>502 Bad Gateway</html>");
  EXPECT_EQ(decode_message(""), "body is not JSON (0 bytes): ");
  EXPECT_EQ(decode_message(std::string("\x1f\x8b\x08\x00", 4)), "body is not JSON (4 bytes): ????");
  const std::string long_body(200, 'x');
  EXPECT_EQ(decode_message(long_body),
            "body is not JSON (200 bytes): " + std::string(64, 'x') + "...");
}

TEST(Decode, TruncatedAndTrailingGarbage) {
  const std::string good(kInvitationsExample);
  for (std::size_t cut : {1ul, good.size() / 2, good.size() - 1}) {
    EXPECT_EQ(decode_invitation_page(good.substr(0, cut), kBeijing).error().kind,
              ErrorKind::kDecode);
  }
  EXPECT_EQ(decode_invitation_page(good + "}", kBeijing).error().kind, ErrorKind::kDecode);
}

TEST(Decode, DeepNestingDoesNotCrash) {
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  EXPECT_EQ(decode_message(deep), "body: expected object, got array");
  const std::string unterminated(100000, '[');
  EXPECT_EQ(decode_invitation_page(unterminated, kBeijing).error().kind, ErrorKind::kDecode);
}

TEST(Decode, ApiErrorCarriesCodeMessageRequestId) {
  const auto r = decode_invitation_page(
      R"({"Response":{"Error":{"Code":"AuthFailure.SignatureFailure","Message":"sig bad"},)"
      R"("RequestId":"req-1"}})",
      kBeijing);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kApi);
  EXPECT_EQ(r.error().code, "AuthFailure.SignatureFailure");
  EXPECT_EQ(r.error().message, "sig bad");
  EXPECT_EQ(r.error().request_id, "req-1");
  EXPECT_TRUE(r.error().is_auth());
}

TEST(Decode, ApiErrorWinsOverMissingFields) {
  // An error answer has none of the success fields; it must not turn into a decode error.
  for (auto decoded :
       {decode_member_detail(R"({"Response":{"Error":{"Code":"RequestLimitExceeded"}}})", kBeijing)
            .error(),
        decode_node_list(R"({"Response":{"Error":{"Code":"RequestLimitExceeded"}}})").error()}) {
    EXPECT_EQ(decoded.kind, ErrorKind::kApi);
    EXPECT_TRUE(decoded.is_throttled());
    EXPECT_EQ(decoded.request_id, "");
  }
}

TEST(Decode, NullErrorIsNoError) {
  const auto r = decode_node_list(R"({"Response":{"Error":null,"Nodes":[],"RequestId":"r"}})");
  ASSERT_TRUE(r.ok()) << r.error().to_string();
}

TEST(DecodeMemberDetail, RequiresUin) {
  const auto r = decode_member_detail(R"({"Response":{"Name":"x","RequestId":"r"}})", kBeijing);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "Response.Uin: missing");
}

TEST(DecodeMemberDetail, BadJoinTimeNamesField) {
  const auto r = decode_member_detail(
      R"({"Response":{"Uin":5,"JoinTime":"2019-02-30 00:00:00","RequestId":"r"}})", kBeijing);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kDecode);
  EXPECT_EQ(
      r.error().message,
      "Response.JoinTime: expected time \"YYYY-MM-DD hh:mm:ss\", got \"2019-02-30 00:00:00\"");
}

TEST(DecodeMemberDetail, EmptyJoinTimeIsUnset) {
  const auto r =
      decode_member_detail(R"({"Response":{"Uin":5,"JoinTime":"","RequestId":"r"}})", kBeijing);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->join_time, 0);
}

TEST(DecodeMemberPage, Members) {
  const auto r = decode_member_page(
      R"({"Response":{"TotalCount":2,"RequestId":"r","Members":[)"
      R"({"Uin":100000000001,"Name":"a","Remark":"x","JoinTime":"2020-01-01 08:00:00"},)"
      R"({"Uin":100000000002}]}})",
      kBeijing);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->total_count, 2);
  ASSERT_EQ(r->members.size(), 2u);
  EXPECT_EQ(r->members[0].uin, 100000000001);
  EXPECT_EQ(r->members[0].name, "a");
  EXPECT_EQ(r->members[0].remark, "x");
  EXPECT_EQ(r->members[0].join_time, 1577836800);  // 2020-01-01 00:00:00 UTC
  EXPECT_EQ(r->members[1].join_time, 0);
}

TEST(DecodeMemberPage, MemberWithoutUin) {
  const auto r = decode_member_page(
      R"({"Response":{"TotalCount":2,"RequestId":"r","Members":[{"Uin":1},{"Name":"b"}]}})",
      kBeijing);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "Response.Members[1].Uin: missing");
}

TEST(DecodeNodeList, Nodes) {
  const auto r = decode_node_list(
      R"({"Response":{"RequestId":"r","Nodes":[{"NodeId":1,"Name":"root","ParentNodeId":0,)"
      R"("MemberCount":3},{"NodeId":2,"Name":"dev","ParentNodeId":1}]}})");
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  ASSERT_EQ(r->nodes.size(), 2u);
  EXPECT_EQ(r->nodes[0].node_id, 1);
  EXPECT_EQ(r->nodes[0].name, "root");
  EXPECT_EQ(r->nodes[0].member_count, 3);
  EXPECT_EQ(r->nodes[1].parent_node_id, 1);
  EXPECT_EQ(r->nodes[1].member_count, 0);
}

TEST(DecodeNodeList, BadMemberCount) {
  const auto r = decode_node_list(
      R"({"Response":{"RequestId":"r","Nodes":[{"NodeId":1,"MemberCount":"3"}]}})");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "Response.Nodes[0].MemberCount: expected integer, got string");
}

TEST(Decode, FirstErrorWins) {
  // Two bad fields: the message names the first one decoded.
  const auto r =
      decode_member_detail(R"({"Response":{"Uin":"x","Name":5,"RequestId":"r"}})", kBeijing);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "Response.Uin: expected integer, got string");
}

}  // namespace
}  // namespace tcorg::api
