// Cost of decoding the API's answers: a full page of 50 invitations (ListOrganizationInvitations)
// and one GetOrganizationMember answer, the call made once per member per sweep.

#include <benchmark/benchmark.h>

#include <string>

#include "exporter/api/decode.h"

namespace {

constexpr int kBeijing = 8 * 3600;

std::string invitation_page(int n) {
  std::string s = R"({"Response":{"TotalCount":1234,"Invitations":[)";
  for (int i = 0; i < n; ++i) {
    const std::string id = std::to_string(500000 + i);
    const std::string uin = std::to_string(100000000 + i);
    if (i > 0) s += ',';
    s += R"({"Id":)" + id + R"(,"Uin":)" + uin +
         R"(,"HostUin":100000000,"HostName":"Example Holdings","HostMail":"admin@example.com",)"
         R"("Status":)" +
         std::to_string(i % 4 - 1) + R"(,"Name":"member-)" + uin +
         R"(","Remark":"invited by the platform team","OrgType":1,)"
         R"("InviteTime":"2026-01-02 10:11:12","ExpireTime":"2026-01-16 10:11:12"})";
  }
  s += R"(],"RequestId":"97fd9345-cfd6-4b93-8205-e25d21ecd26e"}})";
  return s;
}

const std::string kMember = R"({"Response":{"Uin":100000123,"Name":"member-100000123",)"
                            R"("Remark":"payments team","JoinTime":"2025-06-01 08:30:00",)"
                            R"("NodeId":2003,"NodeName":"Payments","ParentNodeId":2001,)"
                            R"("RequestId":"fae840be-2b30-47ae-93b7-df5610168eff"}})";

void BM_DecodeInvitationPage50(benchmark::State& state) {
  const std::string body = invitation_page(50);
  for (auto _ : state) {
    auto page = tcorg::api::decode_invitation_page(body, kBeijing);
    if (!page.ok() || page->invitations.size() != 50) state.SkipWithError("decode failed");
    benchmark::DoNotOptimize(page);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * body.size()));
}
BENCHMARK(BM_DecodeInvitationPage50);

void BM_DecodeMemberDetail(benchmark::State& state) {
  for (auto _ : state) {
    auto member = tcorg::api::decode_member_detail(kMember, kBeijing);
    if (!member.ok()) state.SkipWithError("decode failed");
    benchmark::DoNotOptimize(member);
  }
}
BENCHMARK(BM_DecodeMemberDetail);

}  // namespace

BENCHMARK_MAIN();
