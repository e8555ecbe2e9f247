#include "exporter/web/bcrypt.h"

#include <crypt.h>
#include <openssl/crypto.h>

#include <algorithm>
#include <memory>

namespace tcorg::web {
namespace {

constexpr std::size_t kHashLength = 60;

bool is_bcrypt_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '/';
}

// Wipes libcrypt's scratch space: it holds key material derived from the password.
struct CryptDataDeleter {
  void operator()(crypt_data* d) const {
    OPENSSL_cleanse(d, sizeof *d);
    delete d;
  }
};

}  // namespace

bool is_bcrypt_hash(std::string_view h) {
  if (h.size() != kHashLength || h[0] != '$' || h[1] != '2' || h[3] != '$' || h[6] != '$') {
    return false;
  }
  if (h[2] != 'a' && h[2] != 'b' && h[2] != 'y') return false;
  if (h[4] < '0' || h[4] > '9' || h[5] < '0' || h[5] > '9') return false;
  const int cost = (h[4] - '0') * 10 + (h[5] - '0');
  if (cost < 4 || cost > 31) return false;
  return std::all_of(h.begin() + 7, h.end(), is_bcrypt_char);
}

bool bcrypt_matches(std::string_view password, const std::string& hash) {
  if (!is_bcrypt_hash(hash)) return false;
  // crypt takes a C string: a NUL would silently cut the password short.
  if (password.find('\0') != std::string_view::npos) return false;
  if (password.size() > CRYPT_MAX_PASSPHRASE_SIZE) return false;
  std::string phrase(password);
  std::unique_ptr<crypt_data, CryptDataDeleter> data(new crypt_data{});
  const char* out = crypt_rn(phrase.c_str(), hash.c_str(), data.get(), sizeof(crypt_data));
  OPENSSL_cleanse(phrase.data(), phrase.size());
  if (out == nullptr) return false;
  const std::string_view computed(out);
  return computed.size() == hash.size() &&
         CRYPTO_memcmp(computed.data(), hash.data(), hash.size()) == 0;
}

}  // namespace tcorg::web
