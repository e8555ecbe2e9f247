#include "test_pki.h"

#include <crypt.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <stdexcept>

namespace tcorg::web::testing {
namespace {

struct KeyDeleter {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct CertDeleter {
  void operator()(X509* c) const { X509_free(c); }
};
using Key = std::unique_ptr<EVP_PKEY, KeyDeleter>;
using Cert = std::unique_ptr<X509, CertDeleter>;

void check(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("test PKI: ") + what);
}

Key new_key() {
  Key k(EVP_EC_gen("P-256"));
  check(k != nullptr, "EVP_EC_gen");
  return k;
}

void add_ext(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  check(ext != nullptr, "extension");
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
}

// Signed by (issuer, issuer_key), or self-signed when issuer is null.
Cert make_cert(EVP_PKEY* key, const std::string& cn, X509* issuer, EVP_PKEY* issuer_key, bool ca,
               bool server) {
  static long serial = 1;
  Cert c(X509_new());
  X509_set_version(c.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(c.get()), serial++);
  X509_gmtime_adj(X509_getm_notBefore(c.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(c.get()), 24 * 3600);
  X509_set_pubkey(c.get(), key);
  X509_NAME* name = X509_get_subject_name(c.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
  X509* signer = issuer != nullptr ? issuer : c.get();
  X509_set_issuer_name(c.get(), X509_get_subject_name(signer));
  if (ca) {
    add_ext(c.get(), signer, NID_basic_constraints, "critical,CA:TRUE");
    add_ext(c.get(), signer, NID_key_usage, "critical,keyCertSign,cRLSign");
  } else {
    add_ext(c.get(), signer, NID_basic_constraints, "critical,CA:FALSE");
    add_ext(c.get(), signer, NID_key_usage, "critical,digitalSignature");
    add_ext(c.get(), signer, NID_ext_key_usage, server ? "serverAuth" : "clientAuth");
    if (server) add_ext(c.get(), signer, NID_subject_alt_name, "IP:127.0.0.1,DNS:localhost");
  }
  check(X509_sign(c.get(), issuer_key != nullptr ? issuer_key : key, EVP_sha256()) > 0, "sign");
  return c;
}

void write_pem(const std::string& path, X509* cert, EVP_PKEY* key) {
  FILE* f = std::fopen(path.c_str(), "w");
  check(f != nullptr, "open");
  if (cert != nullptr) PEM_write_X509(f, cert);
  if (key != nullptr) PEM_write_PrivateKey(f, key, nullptr, nullptr, 0, nullptr, nullptr);
  std::fclose(f);
}

// The CA key and certificate live here so issue_server can sign after construction.
Key g_ca_key;
Cert g_ca_cert;

}  // namespace

TestPki::TestPki() {
  char tmpl[] = "/tmp/tcorg-pki-XXXXXX";
  check(mkdtemp(tmpl) != nullptr, "mkdtemp");
  dir = tmpl;
  ca_cert = dir + "/ca.pem";
  ca_key = dir + "/ca-key.pem";
  server_cert = dir + "/server.pem";
  server_key = dir + "/server-key.pem";
  client_cert = dir + "/client.pem";
  client_key = dir + "/client-key.pem";
  other_ca_cert = dir + "/other-ca.pem";

  if (!g_ca_key) {
    g_ca_key = new_key();
    g_ca_cert = make_cert(g_ca_key.get(), "tcorg test CA", nullptr, nullptr, true, false);
  }
  write_pem(ca_cert, g_ca_cert.get(), nullptr);
  write_pem(ca_key, nullptr, g_ca_key.get());
  issue_server(server_cert, server_key, "tcorg test server");

  Key client = new_key();
  Cert client_c = make_cert(client.get(), "scraper", g_ca_cert.get(), g_ca_key.get(), false, false);
  write_pem(client_cert, client_c.get(), nullptr);
  write_pem(client_key, nullptr, client.get());

  Key other = new_key();
  Cert other_c = make_cert(other.get(), "other CA", nullptr, nullptr, true, false);
  write_pem(other_ca_cert, other_c.get(), nullptr);
}

TestPki::~TestPki() {
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
}

void TestPki::issue_server(const std::string& cert_path, const std::string& key_path,
                           const std::string& cn) const {
  Key key = new_key();
  Cert cert = make_cert(key.get(), cn, g_ca_cert.get(), g_ca_key.get(), false, true);
  write_pem(cert_path + ".tmp", cert.get(), nullptr);
  write_pem(key_path + ".tmp", nullptr, key.get());
  std::filesystem::rename(key_path + ".tmp", key_path);
  std::filesystem::rename(cert_path + ".tmp", cert_path);
}

void write_file(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".tmp";
  std::ofstream(tmp, std::ios::binary | std::ios::trunc) << text;
  std::filesystem::rename(tmp, path);
}

std::string bcrypt_hash(const std::string& password, int cost) {
  char setting[CRYPT_GENSALT_OUTPUT_SIZE];
  check(crypt_gensalt_rn("$2b$", cost, nullptr, 0, setting, sizeof setting) != nullptr, "gensalt");
  crypt_data data{};
  const char* out = crypt_rn(password.c_str(), setting, &data, sizeof data);
  check(out != nullptr, "crypt");
  return out;
}

}  // namespace tcorg::web::testing
