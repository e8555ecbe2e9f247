// Cost of signing one API request: the per-request part with the day's key already derived (what
// the client pays per call), and the full signature with key derivation for reference.

#include <benchmark/benchmark.h>

#include <string>

#include "tc3/signer.h"

namespace {

const std::string kPayload = R"({"MemberUin":100000123})";

tc3::Request member_request() {
  tc3::Request r;
  r.host = "organization.tencentcloudapi.com";
  r.action = "GetOrganizationMember";
  r.payload = kPayload;
  r.timestamp = 1767225600;  // 2026-01-01T00:00:00Z
  return r;
}

constexpr const char* kSecretId = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE";
constexpr const char* kSecretKey = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE";

void BM_SignWithCachedKey(benchmark::State& state) {
  const tc3::Request request = member_request();
  tc3::SigningKeyCache cache;
  const std::string date = tc3::utc_date(request.timestamp);
  const std::string service = tc3::service_of(request.host);
  for (auto _ : state) {
    const tc3::Digest& key = cache.get(kSecretKey, date, service);
    benchmark::DoNotOptimize(tc3::sign_with_key(request, kSecretId, key));
  }
}
BENCHMARK(BM_SignWithCachedKey);

void BM_SignWithKeyDerivation(benchmark::State& state) {
  const tc3::Request request = member_request();
  for (auto _ : state) benchmark::DoNotOptimize(tc3::sign(request, kSecretId, kSecretKey));
}
BENCHMARK(BM_SignWithKeyDerivation);

}  // namespace

BENCHMARK_MAIN();
