#include "exporter/web/web_config.h"

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <functional>
#include <set>

#include "exporter/common/printable.h"
#include "exporter/web/bcrypt.h"
#include "exporter/web/web_config_values.h"
#include "exporter/web/yaml_documents.h"

namespace tcorg::web {
namespace {

using YAML::Node;

int line_of(const Node& n) {
  const YAML::Mark m = n.Mark();
  return m.is_null() ? 0 : m.line + 1;
}

// Text from the file, fit for a message and a log line: cut short, control characters masked.
// (UTF-8 kept: a YAML file is UTF-8, and a name in it reads as written.)
std::string shown(std::string_view s) {
  return printable(s, 80, NonAscii::kKeep);
}

std::string quote(std::string_view s) {
  return "\"" + shown(s) + "\"";
}

std::string resolve(const std::string& config_path, const std::string& file) {
  if (file.empty() || std::filesystem::path(file).is_absolute()) return file;
  return (std::filesystem::path(config_path).parent_path() / file).string();
}

// Walks the document; the first problem stops it and becomes the error.
class Parser {
 public:
  explicit Parser(const std::string& path) { out_.path = path; }

  bool document(const Node& root) {
    return map(root, root, "", [&](const std::string& k, const Node& key, const Node& v) {
      if (k == "tls_server_config") return tls(key, v);
      if (k == "http_server_config") return http(key, v);
      if (k == "basic_auth_users") return users(key, v);
      if (k == "rate_limit") return unsupported(key, k);
      return fail(key, k, "unknown key");
    });
  }

  WebSecurity& result() { return out_; }
  const std::string& error() const { return error_; }

  bool fail(const Node& at, std::string_view key, const std::string& message) {
    error_ = out_.path;
    if (const int line = line_of(at); line > 0) error_ += ":" + std::to_string(line);
    error_ += ": ";
    if (!key.empty()) error_ += shown(key) + ": ";
    error_ += message;
    return false;
  }

 private:
  using EntryFn = std::function<bool(const std::string& name, const Node& key, const Node& value)>;

  // A map (or nothing) whose keys are distinct strings; `prefix` names it in messages and `at`
  // (its key) gives their line.
  bool map(const Node& at, const Node& node, const std::string& prefix, const EntryFn& entry) {
    if (node.IsNull()) return true;
    if (!node.IsMap()) return fail(at, prefix.empty() ? "document" : prefix, "must be a map");
    std::set<std::string> seen;
    for (const auto& it : node) {
      const std::string key_path = prefix.empty() ? "" : prefix + ".";
      if (!it.first.IsScalar()) return fail(it.first, prefix, "keys must be strings");
      const std::string name = it.first.Scalar();
      if (!seen.insert(name).second) return fail(it.first, key_path + name, "duplicate key");
      if (!entry(name, it.first, it.second)) return false;
    }
    return true;
  }

  bool unsupported(const Node& key, const std::string& k) {
    return fail(key, k, "not supported by this exporter");
  }

  bool string(const Node& key, const Node& v, const std::string& k, std::string& out) {
    if (v.IsNull()) return true;  // as in Go: null leaves the default
    if (!v.IsScalar()) return fail(key, k, "must be a string");
    out = v.Scalar();
    return true;
  }

  bool boolean(const Node& key, const Node& v, const std::string& k, bool& out) {
    // A quoted "true" is a string in YAML, so Go would refuse it too.
    if (!v.IsScalar() || v.Tag() == "!" || !YAML::convert<bool>::decode(v, out)) {
      return fail(key, k, "must be true or false");
    }
    return true;
  }

  bool strings(const Node& key, const Node& v, const std::string& k, std::vector<std::string>& out,
               const std::function<bool(const Node&, const std::string&)>& check) {
    if (v.IsNull()) return true;
    if (!v.IsSequence()) return fail(key, k, "must be a list of strings");
    for (std::size_t i = 0; i < v.size(); ++i) {
      const std::string item_key = k + "[" + std::to_string(i) + "]";
      const Node item = v[i];
      if (!item.IsScalar()) return fail(item, item_key, "must be a string");
      if (!check(item, item_key)) return false;
      out.push_back(item.Scalar());
    }
    return true;
  }

  bool tls(const Node& tls_key, const Node& v) {
    TlsServerConfig t;
    bool any = false;
    const bool ok = map(tls_key, v, "tls_server_config",
                        [&](const std::string& name, const Node& key, const Node& value) {
                          const std::string k = "tls_server_config." + name;
                          out_.lines[k] = line_of(key);
                          any = true;
                          if (name == "cert_file") return string(key, value, k, t.cert_file);
                          if (name == "key_file") return string(key, value, k, t.key_file);
                          if (name == "client_ca_file")
                            return string(key, value, k, t.client_ca_file);
                          if (name == "client_auth_type")
                            return client_auth(key, value, k, t.client_auth);
                          if (name == "min_version") return version(key, value, k, t.min_version);
                          if (name == "max_version") return version(key, value, k, t.max_version);
                          if (name == "cipher_suites")
                            return ciphers(key, value, k, t.cipher_suites);
                          if (name == "curve_preferences")
                            return curves(key, value, k, t.curve_preferences);
                          if (name == "prefer_server_cipher_suites") {
                            return boolean(key, value, k, t.prefer_server_cipher_suites);
                          }
                          if (name == "cert" || name == "key" || name == "client_ca" ||
                              name == "client_allowed_sans") {
                            return unsupported(key, k);
                          }
                          return fail(key, k, "unknown key");
                        });
    if (!ok) return false;
    out_.lines["tls_server_config"] = line_of(tls_key);
    if (!any) return true;  // an empty block: plain HTTP, as in exporter-toolkit
    if (!check_tls(tls_key, t)) return false;
    t.cert_file = resolve(out_.path, t.cert_file);
    t.key_file = resolve(out_.path, t.key_file);
    t.client_ca_file = resolve(out_.path, t.client_ca_file);
    out_.tls = std::move(t);
    return true;
  }

  bool check_tls(const Node& tls_key, const TlsServerConfig& t) {
    const std::string k = "tls_server_config";
    if (t.cert_file.empty() && t.key_file.empty()) {
      return fail(tls_key, k, "cert_file and key_file are required to serve TLS");
    }
    if (t.cert_file.empty()) return fail(tls_key, k, "cert_file is missing (key_file is set)");
    if (t.key_file.empty()) return fail(tls_key, k, "key_file is missing (cert_file is set)");
    if (t.min_version > t.max_version) {
      const std::string at = out_.lines.count(k + ".min_version") ? ".min_version" : ".max_version";
      return fail_at(k + at, std::string("min_version ") + tls_version_name(t.min_version) +
                                 " is above max_version " + tls_version_name(t.max_version));
    }
    const bool verifies = t.client_auth == ClientAuth::kVerifyClientCertIfGiven ||
                          t.client_auth == ClientAuth::kRequireAndVerifyClientCert;
    if (!t.client_ca_file.empty() && t.client_auth == ClientAuth::kNoClientCert) {
      return fail_at(k + ".client_ca_file",
                     "set without client_auth_type (use RequireAndVerifyClientCert for mTLS)");
    }
    if (verifies && t.client_ca_file.empty()) {
      return fail_at(k + ".client_auth_type", std::string(client_auth_name(t.client_auth)) +
                                                  " needs client_ca_file to verify against");
    }
    if (t.min_version < TlsVersion::kTls12) {
      out_.notes.push_back(out_.where(k + ".min_version") +
                           ": OpenSSL's security level may still refuse TLS 1.0 and 1.1");
    }
    return true;
  }

  // For rules found after the walk: points at the line recorded for `key`.
  bool fail_at(const std::string& key, const std::string& message) {
    error_ = out_.where(key) + ": " + message;
    return false;
  }

  bool version(const Node& key, const Node& v, const std::string& k, TlsVersion& out) {
    std::string s;
    if (!string(key, v, k, s)) return false;
    if (s.empty()) return true;
    const auto parsed = tls_version_from_name(s);
    if (!parsed)
      return fail(key, k, "unknown TLS version " + quote(s) + " (expected TLS10..TLS13)");
    out = *parsed;
    return true;
  }

  bool client_auth(const Node& key, const Node& v, const std::string& k, ClientAuth& out) {
    std::string s;
    if (!string(key, v, k, s)) return false;
    if (s.empty()) return true;
    const auto parsed = client_auth_from_name(s);
    if (!parsed) {
      return fail(key, k,
                  "unknown client_auth_type " + quote(s) +
                      " (expected NoClientCert, RequestClientCert, RequireAnyClientCert, "
                      "VerifyClientCertIfGiven or RequireAndVerifyClientCert)");
    }
    out = *parsed;
    return true;
  }

  bool ciphers(const Node& key, const Node& v, const std::string& k,
               std::vector<std::string>& out) {
    bool tls13 = false;
    const bool ok = strings(key, v, k, out, [&](const Node& item, const std::string& item_key) {
      if (!is_known_cipher_suite(item.Scalar())) {
        return fail(item, item_key, "unknown cipher suite " + quote(item.Scalar()));
      }
      tls13 = tls13 || is_tls13_cipher_suite(item.Scalar());
      return true;
    });
    if (ok && tls13) {
      out_.notes.push_back(out_.where(k) +
                           ": TLS 1.3 suites are not configurable and are ignored, as in Go");
    }
    return ok;
  }

  bool curves(const Node& key, const Node& v, const std::string& k, std::vector<std::string>& out) {
    return strings(key, v, k, out, [&](const Node& item, const std::string& item_key) {
      if (openssl_group_for_curve(item.Scalar()) != nullptr) return true;
      return fail(item, item_key,
                  "unknown curve " + quote(item.Scalar()) +
                      " (expected CurveP256, CurveP384, CurveP521 or X25519)");
    });
  }

  bool http(const Node& http_key, const Node& v) {
    return map(http_key, v, "http_server_config",
               [&](const std::string& name, const Node& key, const Node& value) {
                 const std::string k = "http_server_config." + name;
                 out_.lines[k] = line_of(key);
                 if (name == "headers") return headers(key, value, k);
                 if (name == "http2") {
                   if (!boolean(key, value, k, out_.http2)) return false;
                   if (out_.http2)
                     out_.notes.push_back(out_.where(k) + ": HTTP/2 is not supported; ignored");
                   return true;
                 }
                 return fail(key, k, "unknown key");
               });
  }

  bool headers(const Node& headers_key, const Node& v, const std::string& prefix) {
    return map(headers_key, v, prefix,
               [&](const std::string& name, const Node& key, const Node& value) {
                 if (!value.IsScalar()) return fail(key, prefix + "." + name, "must be a string");
                 if (auto problem = header_problem(name, value.Scalar()))
                   return fail(key, prefix, *problem);
                 out_.headers[name] = value.Scalar();
                 return true;
               });
  }

  bool users(const Node& users_key, const Node& v) {
    const std::string prefix = "basic_auth_users";
    return map(
        users_key, v, prefix, [&](const std::string& name, const Node& key, const Node& value) {
          // The message never shows the value: it may be a plaintext password put there by mistake.
          if (name.empty()) return fail(key, prefix, "user name must not be empty");
          const std::string k = prefix + "." + quote(name);
          if (name.find(':') != std::string::npos) {
            return fail(key, k, "user name must not contain ':' (Basic auth splits there)");
          }
          if (!value.IsScalar() || !is_bcrypt_hash(value.Scalar())) {
            return fail(key, k,
                        "password must be a bcrypt hash (60 characters, cost 4 to 31; make one with"
                        " htpasswd -nBC 10 USER)");
          }
          out_.users[name] = value.Scalar();
          return true;
        });
  }

  WebSecurity out_;
  std::string error_;
};

}  // namespace

std::string WebSecurity::where(std::string_view key) const {
  const auto it = lines.find(std::string(key));
  std::string out = path;
  if (it != lines.end() && it->second > 0) out += ":" + std::to_string(it->second);
  return out + ": " + std::string(key);
}

Result<WebSecurity> parse_web_config(std::string_view text, const std::string& path) {
  if (text.size() > kMaxWebConfigBytes) {
    return Error{path + ": larger than " + std::to_string(kMaxWebConfigBytes) + " bytes"};
  }
  Parser parser(path);
  try {
    const std::string copy(text);
    if (std::string err = second_document(copy, path); !err.empty()) return Error{err};
    if (!parser.document(YAML::Load(copy))) return Error{parser.error()};
  } catch (const YAML::Exception& e) {
    const std::string where = e.mark.is_null() ? path
                                               : path + ":" + std::to_string(e.mark.line + 1) +
                                                     ":" + std::to_string(e.mark.column + 1);
    return Error{where + ": invalid YAML: " + e.msg};
  } catch (const std::exception& e) {
    return Error{path + ": cannot parse: " + e.what()};
  }
  return std::move(parser.result());
}

}  // namespace tcorg::web
