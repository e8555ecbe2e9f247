#include "exporter/log/format.h"

#include <cmath>
#include <cstdio>
#include <ctime>

namespace tcorg::log {

namespace {

void append_hex_escape(std::string& out, unsigned char c) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "\\u%04x", c);
  out += buf;
}

// Appends the escape for c if it needs one (shared by both formats); returns false otherwise.
bool append_common_escape(std::string& out, unsigned char c) {
  switch (c) {
    case '"':
      out += "\\\"";
      return true;
    case '\\':
      out += "\\\\";
      return true;
    case '\n':
      out += "\\n";
      return true;
    case '\r':
      out += "\\r";
      return true;
    case '\t':
      out += "\\t";
      return true;
    default:
      if (c < 0x20 || c == 0x7f) {
        append_hex_escape(out, c);
        return true;
      }
      return false;
  }
}

// Length of the valid UTF-8 sequence starting at s[i], or 0 if it is not valid.
std::size_t utf8_sequence_length(std::string_view s, std::size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  std::size_t n = 0;
  unsigned min = 0;
  if (c < 0x80) return 1;
  if ((c & 0xe0) == 0xc0)
    n = 2, min = 0x80;
  else if ((c & 0xf0) == 0xe0)
    n = 3, min = 0x800;
  else if ((c & 0xf8) == 0xf0)
    n = 4, min = 0x10000;
  else
    return 0;
  if (i + n > s.size()) return 0;
  unsigned cp = c & (0x7f >> n);
  for (std::size_t k = 1; k < n; ++k) {
    const auto cc = static_cast<unsigned char>(s[i + k]);
    if ((cc & 0xc0) != 0x80) return 0;
    cp = (cp << 6) | (cc & 0x3f);
  }
  // Overlong forms, surrogates and values past U+10FFFF are not valid UTF-8.
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  return n;
}

bool needs_logfmt_quotes(std::string_view value) {
  if (value.empty()) return true;
  for (unsigned char c : value) {
    if (c <= ' ' || c == '=' || c == '"' || c == 0x7f) return true;
  }
  return false;
}

// Keys come from code, but a bad one must not break the line: unsafe bytes become '_'.
std::string logfmt_key(std::string_view key) {
  std::string out(key.empty() ? "_" : key);
  for (char& c : out) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= ' ' || c == '=' || c == '"' || u == 0x7f) c = '_';
  }
  return out;
}

void append_logfmt(std::string& out, std::string_view key, std::string_view value) {
  if (!out.empty()) out += ' ';
  out += logfmt_key(key);
  out += '=';
  out += logfmt_value(value);
}

// Every member but "ts", which opens the object, is preceded by a comma.
void append_json(std::string& out, std::string_view key, std::string_view value, bool quoted) {
  if (out.back() != '{') out += ',';
  out += json_string(key);
  out += ':';
  out += quoted ? json_string(value) : std::string(value);
}

template <class Fn>
void for_each_field(const Record& r, Fn&& fn) {
  if (r.context != nullptr) {
    for (const Field& f : *r.context) fn(f);
  }
  for (std::size_t i = 0; i < r.field_count; ++i) fn(r.fields[i]);
}

}  // namespace

std::string format_timestamp(std::chrono::system_clock::time_point ts) {
  using namespace std::chrono;
  const auto ms = floor<milliseconds>(ts.time_since_epoch()).count();
  const auto secs = static_cast<std::time_t>(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
  const int millis = static_cast<int>(ms - static_cast<long long>(secs) * 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];  // room for any int year, so the output is never cut
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, millis);
  return buf;
}

std::string logfmt_value(std::string_view value) {
  if (!needs_logfmt_quotes(value)) return std::string(value);
  std::string out = "\"";
  for (unsigned char c : value) {
    if (!append_common_escape(out, c)) out += static_cast<char>(c);
  }
  out += '"';
  return out;
}

std::string json_string(std::string_view value) {
  std::string out = "\"";
  for (std::size_t i = 0; i < value.size();) {
    const auto c = static_cast<unsigned char>(value[i]);
    if (c < 0x80) {
      if (!append_common_escape(out, c)) out += static_cast<char>(c);
      ++i;
      continue;
    }
    const std::size_t n = utf8_sequence_length(value, i);
    if (n == 0) {
      out += "\\ufffd";
      ++i;
    } else {
      out.append(value.substr(i, n));
      i += n;
    }
  }
  out += '"';
  return out;
}

std::string format_line(Format format, const Record& r) {
  std::string out;
  out.reserve(256);
  if (format == Format::kJson) {
    out += '{';
    append_json(out, "ts", format_timestamp(r.ts), true);
    append_json(out, "level", to_string(r.level), true);
    append_json(out, "msg", r.msg, true);
    for_each_field(r, [&](const Field& f) { append_json(out, f.key, f.value, f.quoted); });
    out += "}\n";
    return out;
  }
  append_logfmt(out, "ts", format_timestamp(r.ts));
  append_logfmt(out, "level", to_string(r.level));
  append_logfmt(out, "msg", r.msg);
  for_each_field(r, [&](const Field& f) { append_logfmt(out, f.key, f.value); });
  out += '\n';
  return out;
}

}  // namespace tcorg::log
