// TC3-HMAC-SHA256 against the official worked examples (API-NOTES.md), every intermediate value.
#include <gtest/gtest.h>

#include "tc3/signer.h"

namespace {

// The docs' CVM DescribeInstances body, exact bytes (ASCII \u escapes, spaces after : and ,).
constexpr std::string_view kBody =
    R"({"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]})";

tc3::Request cvm_request(bool sign_action) {
  tc3::Request r;
  r.host = "cvm.tencentcloudapi.com";
  r.content_type = "application/json; charset=utf-8";
  r.action = "DescribeInstances";
  r.payload = kBody;
  r.timestamp = 1551113065;
  r.sign_action = sign_action;
  return r;
}

TEST(Tc3, FirstOfficialExample) {
  const auto s = tc3::sign(cvm_request(false), "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
                           "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE");
  EXPECT_EQ(s.date, "2019-02-25");
  EXPECT_EQ(s.service, "cvm");
  EXPECT_EQ(s.hashed_payload, "35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064");
  EXPECT_EQ(s.canonical_request,
            "POST\n/\n\ncontent-type:application/json; charset=utf-8\n"
            "host:cvm.tencentcloudapi.com\n\ncontent-type;host\n"
            "35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064");
  EXPECT_EQ(s.hashed_canonical_request,
            "5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031");
  EXPECT_EQ(s.string_to_sign,
            "TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n"
            "5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031");
  EXPECT_EQ(s.signature, "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168");
  EXPECT_EQ(s.authorization,
            "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/"
            "tc3_request, SignedHeaders=content-type;host, "
            "Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168");
}

TEST(Tc3, SecondOfficialExampleSignsAction) {
  const std::string key(32, '*');
  const auto s = tc3::sign(cvm_request(true), "AKID********************************", key);
  EXPECT_EQ(s.signed_headers, "content-type;host;x-tc-action");
  EXPECT_EQ(s.canonical_request,
            "POST\n/\n\ncontent-type:application/json; charset=utf-8\n"
            "host:cvm.tencentcloudapi.com\nx-tc-action:describeinstances\n\n"
            "content-type;host;x-tc-action\n"
            "35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064");
  EXPECT_EQ(s.hashed_canonical_request,
            "7019a55be8395899b900fb5564e4200d984910f34794a27cb3fb7d10ff6a1e84");
  EXPECT_EQ(tc3::hex(tc3::derive_signing_key(key, "2019-02-25", "cvm")),
            "b596b923aad85185e2d1f6659d2a062e0a86731226e021e61bfe06f7ed05f5af");
  EXPECT_EQ(s.signature, "10b1a37a7301a02ca19a647ad722d5e43b4b3cff309d421d85b46093f6ab6c4f");
  EXPECT_EQ(s.authorization,
            "TC3-HMAC-SHA256 Credential=AKID********************************/2019-02-25/cvm/"
            "tc3_request, SignedHeaders=content-type;host;x-tc-action, "
            "Signature=10b1a37a7301a02ca19a647ad722d5e43b4b3cff309d421d85b46093f6ab6c4f");
}

TEST(Tc3, SignWithCachedKeyEqualsSign) {
  const auto r = cvm_request(false);
  tc3::SigningKeyCache cache;
  const auto& key =
      cache.get("Gu5t9xGARNpq86cd98joQYCN3EXAMPLE", tc3::utc_date(r.timestamp), "cvm");
  EXPECT_EQ(tc3::sign_with_key(r, "id", key).signature,
            tc3::sign(r, "id", "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE").signature);
  // A new day derives a new key.
  const auto next = cache.get("Gu5t9xGARNpq86cd98joQYCN3EXAMPLE", "2019-02-26", "cvm");
  EXPECT_NE(tc3::hex(next), tc3::hex(tc3::derive_signing_key("Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
                                                             "2019-02-25", "cvm")));
}

TEST(Tc3, DateIsUtcNotBeijing) {
  // 2024-03-01 00:00:30 in Beijing (UTC+8) is 2024-02-29 16:00:30 UTC: the scope uses Feb 29.
  const std::int64_t just_after_beijing_midnight = 1709222430;
  EXPECT_EQ(tc3::utc_date(just_after_beijing_midnight), "2024-02-29");
  tc3::Request r;
  r.host = "organization.tencentcloudapi.com";
  r.payload = "{}";
  r.timestamp = just_after_beijing_midnight;
  const auto s = tc3::sign(r, "id", "key");
  EXPECT_EQ(s.date, "2024-02-29");
  EXPECT_NE(s.string_to_sign.find("\n2024-02-29/organization/tc3_request\n"), std::string::npos);
  EXPECT_EQ(tc3::utc_date(1709251199), "2024-02-29");  // 23:59:59 UTC
  EXPECT_EQ(tc3::utc_date(1709251200), "2024-03-01");  // 00:00:00 UTC
  EXPECT_EQ(tc3::utc_date(0), "1970-01-01");
}

TEST(Tc3, EmptyBodyHashesEmptyString) {
  tc3::Request r;
  r.host = "organization.tencentcloudapi.com";
  r.payload = "";
  r.timestamp = 1700000000;
  const auto s = tc3::sign(r, "id", "key");
  EXPECT_EQ(s.hashed_payload, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(s.signature.size(), 64u);
}

TEST(Tc3, NonAsciiBytesAreSignedAsIs) {
  // UTF-8 "未命名" signs differently from its \u-escaped form: the signature covers exact bytes.
  tc3::Request raw;
  raw.host = "organization.tencentcloudapi.com";
  raw.timestamp = 1700000000;
  raw.payload = "{\"Name\":\"\xe6\x9c\xaa\xe5\x91\xbd\xe5\x90\x8d\"}";
  tc3::Request escaped = raw;
  escaped.payload = R"({"Name":"\u672a\u547d\u540d"})";
  EXPECT_EQ(tc3::sha256_hex(raw.payload),
            tc3::sha256_hex(std::string("{\"Name\":\"\xe6\x9c\xaa\xe5\x91\xbd\xe5\x90\x8d\"}")));
  EXPECT_NE(tc3::sign(raw, "id", "key").signature, tc3::sign(escaped, "id", "key").signature);
  // Secret keys with non-ASCII bytes are HMAC keys like any other.
  EXPECT_NE(tc3::hex(tc3::derive_signing_key("k\xc3\xa9y", "2024-01-01", "organization")),
            tc3::hex(tc3::derive_signing_key("key", "2024-01-01", "organization")));
}

TEST(Tc3, ServiceIsFirstHostLabel) {
  EXPECT_EQ(tc3::service_of("organization.tencentcloudapi.com"), "organization");
  EXPECT_EQ(tc3::service_of("organization.intl.tencentcloudapi.com"), "organization");
  EXPECT_EQ(tc3::service_of("127.0.0.1:8080"), "127");
  EXPECT_EQ(tc3::service_of("localhost:8080"), "localhost");
}

TEST(Tc3, ExplicitServiceOverridesHost) {
  tc3::Request r;
  r.host = "127.0.0.1:18080";
  r.service = "organization";
  r.payload = "{}";
  r.timestamp = 1700000000;
  const auto s = tc3::sign(r, "id", "key");
  EXPECT_EQ(s.service, "organization");
  EXPECT_NE(s.authorization.find("Credential=id/2023-11-14/organization/tc3_request"),
            std::string::npos);
}

TEST(Tc3, AuthorizationHoldsNoSecret) {
  tc3::Request r;
  r.host = "organization.tencentcloudapi.com";
  r.payload = "{}";
  r.timestamp = 1700000000;
  const auto s = tc3::sign(r, "AKIDpublic", "TopSecretKeyValue");
  for (const auto* field : {&s.canonical_request, &s.string_to_sign, &s.authorization}) {
    EXPECT_EQ(field->find("TopSecretKeyValue"), std::string::npos);
  }
}

}  // namespace
