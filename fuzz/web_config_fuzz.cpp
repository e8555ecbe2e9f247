// libFuzzer target for the web-config parser (exporter/web/web_config.h).
// Beyond "no crash, never throws": an error names the file; an error never contains a value of
// basic_auth_users; accepted configs hold only bcrypt hashes as passwords and a complete, ordered
// TLS block.
//
// The leak check reads the same text with yaml-cpp to find the user values. A value may equal
// words of a message template by chance (libFuzzer learns them from memcmp), so a value seen in
// the message counts as a leak only if changing it in the text moves it in the message the same
// way.

#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <cstdint>
#include <exception>
#include <string>
#include <string_view>
#include <vector>

#include "exporter/web/bcrypt.h"
#include "exporter/web/web_config.h"

namespace {

using namespace tcorg::web;

const std::string kPath = "/etc/tcorg/web-config.yml";
// Shorter values (say "a") occur in messages by chance; quote() shows at most 64 characters.
constexpr std::size_t kMinNeedle = 8;
constexpr std::size_t kMaxNeedle = 32;

void require(bool condition) {
  if (!condition) __builtin_trap();
}

// The scalars of a document: the values under basic_auth_users (secret) and all others (public:
// keys, user names, file names, which messages may show).
struct Scalars {
  std::vector<std::string> secret;
  std::vector<std::string> shown;
  int budget = 10000;  // aliases can make a node its own child: bound the walk
};

void collect(const YAML::Node& node, bool under_users, int depth, Scalars& out) {
  if (--out.budget < 0 || depth > 64) return;
  if (node.IsScalar()) {
    (under_users ? out.secret : out.shown).push_back(node.Scalar());
  } else if (node.IsSequence()) {
    for (const auto& item : node) collect(item, false, depth + 1, out);
  } else if (node.IsMap()) {
    for (const auto& entry : node) {
      collect(entry.first, false, depth + 1, out);
      const bool users = depth == 0 && entry.first.IsScalar() &&
                         entry.first.Scalar() == "basic_auth_users" && entry.second.IsMap();
      if (!users) {
        collect(entry.second, false, depth + 1, out);
        continue;
      }
      for (const auto& user : entry.second) {
        collect(user.first, false, depth + 2, out);
        collect(user.second, true, depth + 2, out);
      }
    }
  }
}

Scalars scalars_of(std::string_view text) {
  Scalars out;
  try {
    // The first document only (the parser reads no other), and never LoadAll: yaml-cpp 0.7's
    // LoadAll loops forever on input like "," (jbeder/yaml-cpp#1040).
    collect(YAML::Load(std::string(text)), false, 0, out);
  } catch (const std::exception&) {
    // Not YAML (parse_web_config catches the same): it cannot have read any value either.
  }
  return out;
}

// `s` with every ASCII letter and digit moved to the next one (z -> a, 9 -> 0): same YAML shape.
std::string rotate(std::string s) {
  for (char& c : s) {
    if (c >= 'a' && c <= 'z') c = c == 'z' ? 'a' : static_cast<char>(c + 1);
    if (c >= 'A' && c <= 'Z') c = c == 'Z' ? 'A' : static_cast<char>(c + 1);
    if (c >= '0' && c <= '9') c = c == '9' ? '0' : static_cast<char>(c + 1);
  }
  return s;
}

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

std::size_t count(const std::string& haystack, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = haystack.find(needle); at != std::string::npos;
       at = haystack.find(needle, at + 1)) {
    ++n;
  }
  return n;
}

// Whether the error `message` for `text` shows the user value `secret`.
bool leaks(std::string_view text, const std::string& message, const std::string& secret,
           const std::vector<std::string>& shown) {
  std::size_t printable = 0;
  while (printable < secret.size() && printable < kMaxNeedle &&
         static_cast<unsigned char>(secret[printable]) >= 0x20 && secret[printable] != 0x7f) {
    ++printable;
  }
  if (printable < kMinNeedle) return false;
  const std::string needle = secret.substr(0, printable);
  if (message.find(needle) == std::string::npos) return false;
  for (const std::string& s : shown) {
    if (s.find(needle) != std::string::npos) return false;  // e.g. a user named like its password
  }
  const std::string changed = rotate(secret);
  if (changed == secret) return false;  // nothing to change: cannot tell
  const auto again = parse_web_config(replace_all(std::string(text), secret, changed), kPath);
  if (again.ok()) return false;
  // The needle must move with the value: the message for the changed text shows the changed
  // needle more often and the old one less often. Mere presence is not enough: a template word
  // ("htpasswd -nBC 10") can hold the needle while a user name holds its rotation.
  const std::string moved = rotate(needle);
  return count(again.error(), moved) > count(message, moved) &&
         count(again.error(), needle) < count(message, needle);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto r = parse_web_config(text, kPath);
  if (r.ok()) {
    const WebSecurity& w = r.value();
    require(w.path == kPath);
    for (const auto& [user, hash] : w.users) require(!user.empty() && is_bcrypt_hash(hash));
    if (w.tls) {
      require(!w.tls->cert_file.empty() && !w.tls->key_file.empty());
      require(w.tls->min_version <= w.tls->max_version);
    }
    return 0;
  }
  const std::string& message = r.error();
  require(message.starts_with(kPath));
  const Scalars scalars = scalars_of(text);
  for (const std::string& secret : scalars.secret) {
    require(!leaks(text, message, secret, scalars.shown));
  }
  return 0;
}
