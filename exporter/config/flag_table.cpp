#include "exporter/config/flag_table.h"

#include <algorithm>
#include <limits>

#include "exporter/api/cam_names.h"
#include "exporter/config/duration.h"
#include "exporter/config/values.h"

namespace tcorg::config {

namespace {

using std::chrono::milliseconds;

bool set_int(int& out, std::string_view text, std::int64_t min, std::int64_t max) {
  const auto v = parse_int(text);
  if (!v || *v < min || *v > max) return false;
  out = static_cast<int>(*v);
  return true;
}

bool set_bool(bool& out, std::string_view text) {
  const auto v = parse_bool(text);
  if (!v) return false;
  out = *v;
  return true;
}

// Beyond this, adding a duration to a steady_clock time (64-bit nanoseconds) could overflow and
// turn a long interval into none. A year is longer than any sensible interval or timeout.
constexpr milliseconds kMaxDuration = std::chrono::hours(24 * 366);

bool set_duration(milliseconds& out, std::string_view text, milliseconds min) {
  const auto v = parse_duration(text);
  if (!v || *v < min || *v > kMaxDuration) return false;
  out = *v;
  return true;
}

// Paths are not opened here: the layer that reads the file reports what is wrong with it.
bool set_path(std::string& out, std::string_view text) {
  if (text.empty()) return false;
  out = std::string(text);
  return true;
}

constexpr std::int64_t kIntMax = std::numeric_limits<int>::max();
constexpr std::string_view kBoolAccepted = "true, false";
constexpr std::string_view kIntervalAccepted = "a duration from 1s to 366d, such as 30s, 1m, 1h30m";

// clang-format off
constexpr FlagSpec kFlags[] = {
  {"web.listen-address", "Web", FlagKind::kValue, ":10110", "ADDRESS",
   "Address to listen on for the web interface and telemetry.",
   "host:port or :port with port 0-65535, e.g. :10110, 127.0.0.1:10110, [::1]:10110",
   [](Config& c, std::string_view v) {
     const auto hp = parse_host_port(v);
     if (!hp) return false;
     c.web.listen_address = std::string(v);
     c.web.listen_host = hp->host;
     c.web.listen_port = hp->port;
     return true;
   }},
  {"web.telemetry-path", "Web", FlagKind::kValue, "/metrics", "PATH",
   "Path under which to expose metrics.",
   "a path starting with /",
   [](Config& c, std::string_view v) {
     if (!v.starts_with('/') || v.find_first_of(" \t\r\n?#") != std::string_view::npos) {
       return false;
     }
     c.web.telemetry_path = std::string(v);
     return true;
   }},
  {"web.config.file", "Web", FlagKind::kValue, "", "FILE",
   "Web configuration file enabling TLS or authentication (exporter-toolkit format).",
   "a file path",
   [](Config& c, std::string_view v) { return set_path(c.web.config_file, v); }},
  {"web.max-requests", "Web", FlagKind::kValue, "40", "N",
   "Maximum number of parallel scrape requests; 0 disables the limit.",
   "an integer >= 0",
   [](Config& c, std::string_view v) { return set_int(c.web.max_requests, v, 0, kIntMax); }},
  {"web.max-connections", "Web", FlagKind::kValue, "512", "N",
   "Maximum number of open connections; when full, the one that has made the least progress "
   "(oldest unfinished request or TLS handshake, else the longest idle) gives way.",
   "an integer >= 1",
   [](Config& c, std::string_view v) { return set_int(c.web.max_connections, v, 1, kIntMax); }},

  {"tencentcloud.endpoint", "Tencent Cloud", FlagKind::kValue, kDefaultEndpoint, "URL",
   "Organization API endpoint; plain http:// only for a local simulator.",
   "http(s)://host[:port]",
   [](Config& c, std::string_view v) {
     if (!is_valid_endpoint(v)) return false;
     c.tencentcloud.endpoint = std::string(v);
     c.tencentcloud.endpoint_explicit = true;
     return true;
   }},
  {"tencentcloud.region", "Tencent Cloud", FlagKind::kValue, "", "REGION",
   "Region sent as X-TC-Region; Organization is global, so usually left empty.",
   "a region such as ap-guangzhou: lowercase letters, digits and -",
   [](Config& c, std::string_view v) {
     if (!is_valid_region(v)) return false;
     c.tencentcloud.region = std::string(v);
     return true;
   }},
  {"tencentcloud.time-zone-offset", "Tencent Cloud", FlagKind::kValue, "+08:00", "OFFSET",
   "UTC offset of the zone-less times in API responses (Beijing time).",
   "+HH:MM or -HH:MM from -14:00 to +14:00, e.g. +08:00",
   [](Config& c, std::string_view v) {
     const auto seconds = parse_utc_offset(v);
     if (!seconds) return false;
     c.tencentcloud.time_zone_offset = std::string(v);
     c.tencentcloud.utc_offset_seconds = *seconds;
     return true;
   }},
  {"tencentcloud.credentials-file", "Tencent Cloud", FlagKind::kValue,
   "$TENCENTCLOUD_CREDENTIALS_FILE, else ~/.tencentcloud/credentials", "FILE",
   "INI file with secret_id, secret_key and token under [default]; re-read when it changes. "
   "TENCENTCLOUD_SECRET_ID/TENCENTCLOUD_SECRET_KEY take precedence.",
   "a file path",
   [](Config& c, std::string_view v) {
     c.tencentcloud.credentials_file_explicit = true;
     return set_path(c.tencentcloud.credentials_file, v);
   }},

  {"tencentcloud.role-arn", "Tencent Cloud", FlagKind::kValue, "", "ARN",
   "Assume this CAM role (STS AssumeRole) with the keys the chain found, and call the API with the "
   "assumed keys: how one account watches another account's organization.",
   "qcs::cam::uin/<uin>:roleName/<name>",
   [](Config& c, std::string_view v) {
     if (!api::is_valid_role_arn(v)) return false;
     c.tencentcloud.role_arn = std::string(v);
     return true;
   }},
  {"tencentcloud.role-session-name", "Tencent Cloud", FlagKind::kValue, "tencentcloud-org-exporter",
   "NAME", "RoleSessionName of AssumeRole and AssumeRoleWithWebIdentity (shows in CloudAudit).",
   "1-128 letters, digits and +=,.@_-",
   [](Config& c, std::string_view v) {
     if (!api::is_valid_role_name(v)) return false;
     c.tencentcloud.role_session_name = std::string(v);
     return true;
   }},
  {"tencentcloud.role-duration", "Tencent Cloud", FlagKind::kValue, "2h", "DURATION",
   "How long assumed-role keys live (DurationSeconds); they are refreshed before they expire.",
   "a duration from 15m to 12h",
   [](Config& c, std::string_view v) {
     const auto d = parse_duration(v);
     if (!d || *d < std::chrono::minutes(15) || *d > std::chrono::hours(12) ||
         *d % std::chrono::seconds(1) != milliseconds(0)) {
       return false;
     }
     c.tencentcloud.role_duration = *d;
     return true;
   }},
  {"tencentcloud.cvm-role", "Tencent Cloud", FlagKind::kValue, "", "NAME",
   "CAM role whose keys the instance metadata gives (CVM); default: the role bound to the instance.",
   "a CAM role name: letters, digits and +=,.@_-",
   [](Config& c, std::string_view v) {
     if (!api::is_valid_role_name(v)) return false;
     c.tencentcloud.cvm_role = std::string(v);
     return true;
   }},
  {"tencentcloud.metadata-endpoint", "Tencent Cloud", FlagKind::kValue,
   "http://metadata.tencentyun.com", "URL", "CVM instance metadata service.",
   "http(s)://host[:port]",
   [](Config& c, std::string_view v) {
     if (!is_valid_endpoint(v)) return false;
     c.tencentcloud.metadata_endpoint = std::string(v);
     return true;
   }},
  {"tencentcloud.sts-endpoint", "Tencent Cloud", FlagKind::kValue, "https://sts.tencentcloudapi.com",
   "URL", "STS endpoint for temporary keys; plain http:// only for a local simulator.",
   "http(s)://host[:port]",
   [](Config& c, std::string_view v) {
     if (!is_valid_endpoint(v)) return false;
     c.tencentcloud.sts_endpoint = std::string(v);
     c.tencentcloud.sts_endpoint_explicit = true;
     return true;
   }},

  {"api.requests-per-second", "API", FlagKind::kValue, "15", "RATE",
   "Maximum API requests per second, per action (the API allows 20).",
   "a number from 0.001 to 1000000",
   [](Config& c, std::string_view v) {
     // Bounded so that 1/rate seconds stays well inside what the clocks can represent.
     const auto rate = parse_double(v);
     if (!rate || !(*rate >= 0.001 && *rate <= 1e6)) return false;
     c.api.requests_per_second = *rate;
     return true;
   }},
  {"api.timeout", "API", FlagKind::kValue, "10s", "DURATION",
   "Timeout of one API request.",
   "a duration > 0 up to 366d, such as 10s, 500ms, 1m",
   [](Config& c, std::string_view v) { return set_duration(c.api.timeout, v, milliseconds{1}); }},
  {"api.max-retries", "API", FlagKind::kValue, "3", "N",
   "Retries of a throttled or failed API request.",
   "an integer >= 0",
   [](Config& c, std::string_view v) { return set_int(c.api.max_retries, v, 0, kIntMax); }},
  {"api.max-in-flight", "API", FlagKind::kValue, "8", "N",
   "Maximum concurrent API requests per action.",
   "an integer from 1 to 64",
   [](Config& c, std::string_view v) { return set_int(c.api.max_in_flight, v, 1, 64); }},

  {"collector.invitations", "Collectors", FlagKind::kBool, "enabled", "",
   "Enable the invitations collector.",
   kBoolAccepted,
   [](Config& c, std::string_view v) { return set_bool(c.collectors.invitations, v); }},
  {"collector.invitations.interval", "Collectors", FlagKind::kValue, "1m", "DURATION",
   "How often the invitations collector runs.",
   kIntervalAccepted,
   [](Config& c, std::string_view v) {
     return set_duration(c.collectors.invitations_interval, v, milliseconds{1000});
   }},
  {"collector.members", "Collectors", FlagKind::kBool, "enabled", "",
   "Enable the members collector.",
   kBoolAccepted,
   [](Config& c, std::string_view v) { return set_bool(c.collectors.members, v); }},
  {"collector.members.list", "Collectors", FlagKind::kBool, "enabled", "",
   "Discover members with ListOrganizationMembers (disable for accounts without that permission; members then come from accepted sent invitations and --members.uin).",
   kBoolAccepted,
   [](Config& c, std::string_view v) { return set_bool(c.collectors.members_list, v); }},
  {"collector.members.interval", "Collectors", FlagKind::kValue, "10m", "DURATION",
   "How often the members collector runs.",
   kIntervalAccepted,
   [](Config& c, std::string_view v) {
     return set_duration(c.collectors.members_interval, v, milliseconds{1000});
   }},
  {"members.uin", "Collectors", FlagKind::kRepeated, "", "UIN",
   "Member UIN to always watch, besides those discovered; repeat the flag or separate UINs with commas.",
   "positive integer UINs, e.g. 100001 or 100001,100002",
   [](Config& c, std::string_view v) {
     const auto uins = parse_uin_list(v);
     if (!uins) return false;
     auto& out = c.collectors.member_uins;
     for (std::int64_t uin : *uins) {
       if (std::find(out.begin(), out.end(), uin) == out.end()) out.push_back(uin);
     }
     return true;
   }},

  {"log.level", "Logging", FlagKind::kValue, "info", "LEVEL",
   "Only log messages with the given severity or above.",
   "debug, info, warn, error",
   [](Config& c, std::string_view v) {
     const auto level = log::parse_level(v);
     if (!level) return false;
     c.log.level = *level;
     return true;
   }},
  {"log.format", "Logging", FlagKind::kValue, "logfmt", "FORMAT",
   "Output format of log messages.",
   "logfmt, json",
   [](Config& c, std::string_view v) {
     const auto format = log::parse_format(v);
     if (!format) return false;
     c.log.format = *format;
     return true;
   }},

  {"collect.once", "Other", FlagKind::kBool, "disabled", "",
   "Run every enabled collector once, print the metrics to stdout and exit: 0 only if every collector succeeded (a way to check credentials).",
   kBoolAccepted,
   [](Config& c, std::string_view v) { return set_bool(c.collect_once, v); }},
};
// clang-format on

}  // namespace

std::span<const FlagSpec> flag_table() {
  return kFlags;
}

const FlagSpec* find_flag(std::string_view name) {
  for (const FlagSpec& f : kFlags) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

}  // namespace tcorg::config
