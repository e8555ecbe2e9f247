#include "exporter/http/landing_page.h"

#include <cstdio>

namespace tcorg::http {
namespace {

std::string age(double now, double then) {
  if (then <= 0) return "never";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0f s ago", now - then);
  return buf;
}

}  // namespace

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string landing_page(const LandingInfo& info) {
  const std::string path = html_escape(info.telemetry_path);
  std::string html =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\">"
      "<title>Tencent Cloud Organization Exporter</title>\n"
      "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
      "td,th{border:1px solid #ccc;padding:.3em .8em;text-align:left}"
      ".ok{color:#1a7f37}.fail{color:#cf222e}</style></head>\n<body>\n"
      "<h1>Tencent Cloud Organization Exporter</h1>\n<p>Version " +
      html_escape(info.version) + " (revision " + html_escape(info.revision) +
      ")</p>\n<ul>\n<li><a href=\"" + path + "\">Metrics</a> (" + path +
      ")</li>\n<li><a href=\"/-/healthy\">Health</a></li>\n"
      "<li><a href=\"/-/ready\">Readiness</a></li>\n</ul>\n"
      "<h2>Collectors</h2>\n<p>Collected in the background; a scrape serves the last good "
      "data.</p>\n<table>\n<tr><th>collector</th><th>last cycle</th><th>duration</th>"
      "<th>last success</th><th>last error</th></tr>\n";
  for (const auto& [name, h] : info.collectors) {
    const char* state = !h.completed ? "pending" : h.success ? "ok" : "failed";
    char duration[32];
    std::snprintf(duration, sizeof duration, "%.3f s", h.duration_seconds);
    html += "<tr><td>" + html_escape(name) + "</td><td class=\"" + (h.success ? "ok" : "fail") +
            "\">" + state + "</td><td>" + (h.completed ? duration : "") + "</td><td>" +
            age(info.now_unix, h.last_success_unix) + "</td><td>" +
            (h.last_error ? html_escape(h.last_error->to_string()) : "") + "</td></tr>\n";
  }
  html += "</table>\n</body>\n</html>\n";
  return html;
}

}  // namespace tcorg::http
