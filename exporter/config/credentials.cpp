#include "exporter/config/credentials.h"

#include <algorithm>
#include <map>
#include <string>

namespace tcorg::config {

namespace {

constexpr std::string_view kSpace = " \t\r\f\v";

std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(kSpace) - first + 1);
}

// Strips one pair of matching quotes: `secret_id = "AKID..."` is a common way to write it.
std::string_view unquote(std::string_view v) {
  if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'') && v.back() == v.front()) {
    return v.substr(1, v.size() - 2);
  }
  return v;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

struct Parser {
  std::string_view path;
  std::string where(int line) const { return std::string(path) + ":" + std::to_string(line); }
  Error at(int line, std::string_view what) const {
    return Error{where(line) + ": " + std::string(what)};
  }
};

}  // namespace

Result<api::Credentials> parse_credentials_ini(std::string_view text, std::string_view path) {
  const Parser p{path};
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // UTF-8 BOM from some editors

  api::Credentials creds;
  std::map<std::string, int> first_line;  // key in [default] -> line it was set on
  bool in_default = false;
  bool in_other_section = false;
  bool saw_default = false;
  int line_no = 0;
  while (!text.empty()) {
    ++line_no;
    const auto nl = text.find('\n');
    const std::string_view line = trim(text.substr(0, nl));
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    if (line.empty() || line.front() == '#' || line.front() == ';') continue;

    if (line.front() == '[') {
      if (line.back() != ']') return p.at(line_no, "malformed section header (expected [name])");
      in_default = trim(line.substr(1, line.size() - 2)) == kCredentialsSection;
      in_other_section = !in_default;
      saw_default = saw_default || in_default;
      continue;
    }
    // Other sections belong to other tools: their lines are not ours to judge.
    if (in_other_section) continue;
    const auto eq = line.find('=');
    if (eq == std::string_view::npos) return p.at(line_no, "expected key = value");
    if (!in_default) continue;  // a key before any section

    const std::string key = lower(trim(line.substr(0, eq)));
    const std::string_view value = unquote(trim(line.substr(eq + 1)));
    std::string* slot = key == "secret_id"    ? &creds.secret_id
                        : key == "secret_key" ? &creds.secret_key
                        : key == "token"      ? &creds.token
                                              : nullptr;
    if (slot == nullptr) {
      return p.at(line_no, "unknown key in [default] (accepted: secret_id, secret_key, token)");
    }
    if (const auto [it, added] = first_line.emplace(key, line_no); !added) {
      return p.at(line_no, key + " given twice in [default] (first at line " +
                               std::to_string(it->second) + ")");
    }
    // A value with blanks inside is never a key: most likely a trailing "# comment".
    if (value.find_first_of(kSpace) != std::string_view::npos) {
      return p.at(line_no,
                  "value of " + key + " contains whitespace (comments must be on their own line)");
    }
    // Control bytes are never part of a key; sent on, they would corrupt the request's headers.
    if (std::any_of(value.begin(), value.end(),
                    [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; })) {
      return p.at(line_no, "value of " + key + " contains a control character");
    }
    *slot = std::string(value);
  }

  if (!saw_default) return Error{std::string(path) + ": no [default] section"};
  for (const char* key : {"secret_id", "secret_key"}) {
    const auto it = first_line.find(key);
    if (it == first_line.end()) {
      return Error{std::string(path) + ": [default] has no " + key};
    }
    const std::string& value =
        std::string_view(key) == "secret_id" ? creds.secret_id : creds.secret_key;
    if (value.empty()) return p.at(it->second, std::string(key) + " is empty");
  }
  return creds;
}

}  // namespace tcorg::config
