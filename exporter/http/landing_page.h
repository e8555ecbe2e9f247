#pragma once

// The HTML page served on `/`: name, version, links, collector status. Pure; holds no secret.

#include <map>
#include <string>

#include "exporter/metrics/store.h"

namespace tcorg::http {

struct LandingInfo {
  std::string version;
  std::string revision;
  std::string telemetry_path;
  std::map<std::string, metrics::CollectorHealth> collectors;
  double now_unix = 0;
};

std::string landing_page(const LandingInfo& info);
// Escapes &, <, >, " and ' for HTML text and attributes.
std::string html_escape(std::string_view text);

}  // namespace tcorg::http
