#pragma once

// The Content-Type values the server sends, one place for each.

namespace tcorg::http {

// Short text answers: errors, /-/healthy, /-/ready, 401s.
inline constexpr const char* kTextType = "text/plain; charset=utf-8";
// The telemetry path: Prometheus' text exposition format.
inline constexpr const char* kExpositionType = "text/plain; version=0.0.4; charset=utf-8";
// The landing page.
inline constexpr const char* kHtmlType = "text/html; charset=utf-8";

}  // namespace tcorg::http
