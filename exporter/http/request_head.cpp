#include "exporter/http/request_head.h"

#include <charconv>

#include "exporter/common/ascii.h"

namespace tcorg::http {
namespace {

bool is_tchar(char c) {
  const auto u = static_cast<unsigned char>(c);
  if (u >= '0' && u <= '9') return true;
  if ((u | 0x20) >= 'a' && (u | 0x20) <= 'z') return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool is_token(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!is_tchar(c)) return false;
  }
  return true;
}

// Whether a comma-separated header value lists `token`, ignoring case.
bool lists(std::string_view value, std::string_view token) {
  while (!value.empty()) {
    const auto comma = value.find(',');
    if (equals_ignoring_case(trim_blanks(value.substr(0, comma)), token)) return true;
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  return false;
}

// RFC 9112 3.2.2: a server must accept the absolute form (http://host:port/path?query), which
// proxies send; what it serves is the path and query, as for the origin form.
std::string origin_form(std::string_view target) {
  const auto authority = target.find("://");
  if (target.front() == '/' || authority == std::string_view::npos) return std::string(target);
  const std::string_view scheme = target.substr(0, authority);
  if (!equals_ignoring_case(scheme, "http") && !equals_ignoring_case(scheme, "https")) {
    return std::string(target);
  }
  const auto rest = target.find_first_of("/?", authority + 3);
  if (rest == std::string_view::npos) return "/";
  if (target[rest] == '?') return "/" + std::string(target.substr(rest));
  return std::string(target.substr(rest));
}

bool parse_request_line(std::string_view line, httplib::Request& req) {
  const auto sp1 = line.find(' ');
  if (sp1 == std::string_view::npos) return false;
  const auto sp2 = line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos || line.find(' ', sp2 + 1) != std::string_view::npos) {
    return false;
  }
  const std::string_view method = line.substr(0, sp1);
  const std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  const std::string_view version = line.substr(sp2 + 1);
  if (!is_token(method) || target.empty() || (version != "HTTP/1.1" && version != "HTTP/1.0")) {
    return false;
  }
  for (char c : target) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return false;
  }
  req.method = method;
  req.target = origin_form(target);
  req.path = req.target.substr(0, req.target.find('?'));
  req.version = version;
  return true;
}

}  // namespace

HeadStatus parse_request_head(std::string_view data, std::size_t max_size, RequestHead& out) {
  // RFC 9112 2.2: ignore empty lines before the request line.
  std::size_t start = 0;
  while (start < data.size() && (data[start] == '\r' || data[start] == '\n')) ++start;
  // The end: the first empty line (CRLF CRLF, or bare LFs, which the RFC lets a server accept).
  std::size_t end = std::string_view::npos, size = 0;
  for (std::size_t at = data.find('\n', start); at != std::string_view::npos;
       at = data.find('\n', at + 1)) {
    if (at + 1 < data.size() && data[at + 1] == '\n') {
      end = at, size = at + 2;
      break;
    }
    if (at + 2 < data.size() && data[at + 1] == '\r' && data[at + 2] == '\n') {
      end = at, size = at + 3;
      break;
    }
  }
  if (end == std::string_view::npos) {
    return data.size() > max_size ? HeadStatus::kTooLarge : HeadStatus::kIncomplete;
  }
  if (size > max_size) return HeadStatus::kTooLarge;

  out = RequestHead{};
  out.size = size;
  httplib::Request& req = out.request;
  std::string_view head = data.substr(start, end - start);
  bool first = true, has_length = false;
  while (!head.empty()) {
    const auto nl = head.find('\n');
    std::string_view line = head.substr(0, nl);
    head.remove_prefix(nl == std::string_view::npos ? head.size() : nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find('\r') != std::string_view::npos || line.find('\0') != std::string_view::npos) {
      return HeadStatus::kBad;
    }
    if (first) {
      if (!parse_request_line(line, req)) return HeadStatus::kBad;
      first = false;
      continue;
    }
    const auto colon = line.find(':');
    // No obsolete line folding, no space before the colon (RFC 9112 5.1, 5.2).
    if (colon == std::string_view::npos || !is_token(line.substr(0, colon))) {
      return HeadStatus::kBad;
    }
    const std::string name(line.substr(0, colon));
    const std::string_view value = trim_blanks(line.substr(colon + 1));
    if (equals_ignoring_case(name, "content-length")) {
      std::size_t n = 0;
      const auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
      if (ec != std::errc() || p != value.data() + value.size() || value.empty() ||
          (has_length && n != out.body_length)) {
        return HeadStatus::kBad;
      }
      has_length = true;
      out.body_length = n;
    }
    req.headers.emplace(name, std::string(value));
  }
  if (first) return HeadStatus::kBad;
  if (req.has_header("Transfer-Encoding")) return HeadStatus::kBad;
  // RFC 9112 3.2: exactly one Host in an HTTP/1.1 request, else 400, as Go's server answers.
  if (req.version == "HTTP/1.1" && req.get_header_value_count("Host") != 1) {
    return HeadStatus::kBad;
  }
  const std::string connection = req.get_header_value("Connection");
  out.keep_alive =
      req.version == "HTTP/1.1" ? !lists(connection, "close") : lists(connection, "keep-alive");
  return HeadStatus::kComplete;
}

}  // namespace tcorg::http
