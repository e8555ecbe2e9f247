#pragma once

// Throwaway PKI for TLS tests, made with the OpenSSL API at test time (no files in the repo, no
// network): a CA, a server certificate for 127.0.0.1/localhost and a client certificate, both
// signed by the CA, written as PEM files under a fresh temporary directory.

#include <string>

namespace tcorg::web::testing {

struct TestPki {
  std::string dir;  // removed by the destructor
  std::string ca_cert, ca_key;
  std::string server_cert, server_key;
  std::string client_cert, client_key;
  std::string other_ca_cert;  // a second CA that signed nothing here

  TestPki();
  ~TestPki();
  TestPki(const TestPki&) = delete;
  TestPki& operator=(const TestPki&) = delete;

  // A new server certificate (new serial and subject CN `cn`) in the given files.
  void issue_server(const std::string& cert_path, const std::string& key_path,
                    const std::string& cn) const;
};

// Writes `text` to `path` through a temporary file and a rename, as config tools do.
void write_file(const std::string& path, const std::string& text);

// "$2b$04$...": a bcrypt hash of `password`, by default with the lowest cost, for fast tests.
std::string bcrypt_hash(const std::string& password, int cost = 4);

}  // namespace tcorg::web::testing
