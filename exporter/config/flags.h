#pragma once

// Command-line flags -> Config, in the Prometheus (kingpin) style: `--flag=value` or
// `--flag value`, booleans as `--flag` / `--no-flag`, `-h`/`--help`, `--version`. Every value is
// checked here; a bad one stops startup with a message naming the flag, the value and what is
// accepted:  --log.format: invalid value "xml" (accepted: logfmt, json)

#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "exporter/config/config.h"
#include "exporter/config/env.h"

namespace tcorg::config {

inline constexpr std::string_view kProgramName = "tencentcloud_org_exporter";

struct BuildInfo {
  std::string_view version;
  std::string_view revision;
};

// Stop without running: after --help or --version (code 0, `text` for stdout), or on a bad
// command line (code 2, `text` for stderr).
struct ExitNow {
  int code = 0;
  std::string text;  // ends in '\n'
};

using ParseResult = std::variant<Config, ExitNow>;

// argv[0] is the program name and is skipped. `env` supplies TENCENTCLOUD_CREDENTIALS_FILE and
// HOME for the credentials file default.
ParseResult parse_flags(int argc, const char* const* argv, const BuildInfo& build,
                        const Getenv& env);
// The same for arguments without the program name (handy in tests).
ParseResult parse_flags(const std::vector<std::string>& args, const BuildInfo& build,
                        const Getenv& env);

// The --help text: every flag with its default and a one-line description, grouped.
std::string help_text();
// "tencentcloud_org_exporter, version X (revision Y)\n".
std::string version_text(const BuildInfo& build);
// Names of all flags, without "--" (for tests and completions).
std::vector<std::string_view> flag_names();

}  // namespace tcorg::config
