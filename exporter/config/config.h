#pragma once

// Config: everything the exporter is told at startup, as plain data. Built by parse_flags (which
// validates every field, in one place); main wires the layers from it, and tests build it by
// hand. The defaults here are the flag defaults that --help prints.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "exporter/log/level.h"

namespace tcorg::config {

// Same value as tcorg::api::kDefaultEndpoint, repeated so config need not depend on api.
inline constexpr std::string_view kDefaultEndpoint = "https://organization.tencentcloudapi.com";
// What the real API allows per action; a higher --api.requests-per-second only earns throttling.
inline constexpr double kApiRateLimit = 20;

struct WebConfig {
  std::string listen_address = ":10110";  // as given
  std::string listen_host;                // from listen_address, no brackets; empty: all interfaces
  std::uint16_t listen_port = 10110;      // 0: any free port
  std::string telemetry_path = "/metrics";
  std::string config_file;    // web config (TLS, basic auth); empty: plain HTTP
  int max_requests = 40;      // scrapes served at once; 0: unlimited
  int max_connections = 512;  // open connections, all event loops together

  friend bool operator==(const WebConfig&, const WebConfig&) = default;
};

struct TencentCloudConfig {
  std::string endpoint = std::string(kDefaultEndpoint);
  bool endpoint_explicit = false;           // given by flag: only then may it be plain http://
  std::string region;                       // X-TC-Region; empty: not sent
  std::string time_zone_offset = "+08:00";  // zone of the API's time strings, as given
  int utc_offset_seconds = 8 * 3600;        // the same, in seconds east of UTC
  // --tencentcloud.credentials-file, else $TENCENTCLOUD_CREDENTIALS_FILE, else
  // $HOME/.tencentcloud/credentials; empty when none of them is set.
  std::string credentials_file;
  bool credentials_file_explicit = false;  // given by flag or variable: a missing file is an error
  // The chain's end and AssumeRole (exporter/credentials/chain.h).
  std::string role_arn;  // empty: use the chain's keys directly
  std::string role_session_name = "tencentcloud-org-exporter";
  std::chrono::milliseconds role_duration{7'200'000};
  std::string cvm_role;  // empty: discover from instance metadata
  std::string metadata_endpoint = "http://metadata.tencentyun.com";
  std::string sts_endpoint = "https://sts.tencentcloudapi.com";
  bool sts_endpoint_explicit = false;  // only then may it be plain http://

  friend bool operator==(const TencentCloudConfig&, const TencentCloudConfig&) = default;
};

struct ApiConfig {
  double requests_per_second = 15;            // per action
  std::chrono::milliseconds timeout{10'000};  // per request
  int max_retries = 3;                        // per call, for throttling and transient failures
  int max_in_flight = 8;                      // concurrent calls per action, 1..64

  friend bool operator==(const ApiConfig&, const ApiConfig&) = default;
};

struct CollectorsConfig {
  bool invitations = true;
  bool members = true;
  bool members_list = true;  // list every member (off: only the UINs in member_uins)
  std::chrono::milliseconds invitations_interval{60'000};
  std::chrono::milliseconds members_interval{600'000};
  std::vector<std::int64_t> member_uins;  // --members.uin, in order given, without duplicates

  friend bool operator==(const CollectorsConfig&, const CollectorsConfig&) = default;
};

struct LogConfig {
  log::Level level = log::Level::kInfo;
  log::Format format = log::Format::kLogfmt;

  friend bool operator==(const LogConfig&, const LogConfig&) = default;
};

struct Config {
  WebConfig web;
  TencentCloudConfig tencentcloud;
  ApiConfig api;
  CollectorsConfig collectors;
  LogConfig log;
  bool collect_once = false;  // collect each enabled collector once, print, exit
  // Valid but doubtful settings, for main to log as warnings at startup.
  std::vector<std::string> warnings;

  friend bool operator==(const Config&, const Config&) = default;
};

}  // namespace tcorg::config
