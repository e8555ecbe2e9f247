#include "simulator/cli.h"

#include <charconv>
#include <cmath>
#include <functional>
#include <limits>
#include <sstream>

#include "exporter/api/time_parse.h"

namespace tcorg::sim {
namespace {

// Parses a value; false if malformed or out of range.
using Setter = std::function<bool(const std::string& value, CliOptions& out)>;

struct Flag {
  const char* name;
  const char* value_name;
  const char* help;
  std::string default_text;
  Setter set;
  bool is_switch = false;  // --flag alone means --flag=true
};

template <class T>
bool parse_number(const std::string& s, T& out) {
  const char* end = s.data() + s.size();
  auto [p, ec] = std::from_chars(s.data(), end, out);
  return ec == std::errc() && p == end && !s.empty();
}

template <class F>
Setter int_flag(F field, int min) {
  return [field, min](const std::string& v, CliOptions& o) {
    int n = 0;
    if (!parse_number(v, n) || n < min) return false;
    field(o) = n;
    return true;
  };
}

template <class F>
Setter double_flag(F field, double min, double max) {
  return [field, min, max](const std::string& v, CliOptions& o) {
    double d = 0;
    if (!parse_number(v, d) || !std::isfinite(d) || d < min || d > max) return false;
    field(o) = d;
    return true;
  };
}

template <class F>
Setter string_flag(F field) {
  return [field](const std::string& v, CliOptions& o) {
    field(o) = v;
    return true;
  };
}

template <class F>
Setter bool_flag(F field) {
  return [field](const std::string& v, CliOptions& o) {
    if (v != "true" && v != "false") return false;
    field(o) = v == "true";
    return true;
  };
}

// "host:port", "[v6]:port".
bool set_listen_address(const std::string& v, CliOptions& o) {
  const auto colon = v.rfind(':');
  if (colon == std::string::npos || colon == 0) return false;
  std::string host = v.substr(0, colon);
  if (host.front() == '[') {
    if (host.back() != ']') return false;
    host = host.substr(1, host.size() - 2);
  }
  int port = 0;
  if (!parse_number(v.substr(colon + 1), port) || port < 0 || port > 65535) return false;
  o.simulator.host = host;
  o.simulator.port = port;
  return true;
}

std::vector<Flag> flags() {
  const Options d;
  const auto num = [](double x) {
    std::ostringstream s;
    s << x;
    return s.str();
  };
  constexpr double kMax = std::numeric_limits<double>::max();
  return {
      {"listen-address", "HOST:PORT", "address to listen on; port 0 picks a free one",
       "127.0.0.1:0", set_listen_address},
      {"port-file", "PATH", "write the bound port here once listening (atomically)", "",
       string_flag([](CliOptions& o) -> std::string& { return o.port_file; })},
      {"members", "N", "members of the generated organization", std::to_string(d.org.members),
       int_flag([](CliOptions& o) -> int& { return o.simulator.org.members; }, 0)},
      {"nodes", "N", "organizational units, the root included", std::to_string(d.org.nodes),
       int_flag([](CliOptions& o) -> int& { return o.simulator.org.nodes; }, 1)},
      {"invitations", "N", "invitations, split between received and sent",
       std::to_string(d.org.invitations),
       int_flag([](CliOptions& o) -> int& { return o.simulator.org.invitations; }, 0)},
      {"seed", "N", "seed of the generated organization and of fault draws",
       std::to_string(d.org.seed),
       [](const std::string& v, CliOptions& o) { return parse_number(v, o.simulator.org.seed); }},
      {"rate-limit", "N",
       "accepted requests per action in any sliding second; 0: throttle all; <0: no limit",
       num(d.rate_limit),
       double_flag([](CliOptions& o) -> double& { return o.simulator.rate_limit; }, -kMax, kMax)},
      {"latency", "MS", "latency added to every accepted request", num(d.faults.latency_ms),
       double_flag([](CliOptions& o) -> double& { return o.simulator.faults.latency_ms; }, 0,
                   kMax)},
      {"jitter", "MS", "plus a uniform 0..MS", num(d.faults.jitter_ms),
       double_flag([](CliOptions& o) -> double& { return o.simulator.faults.jitter_ms; }, 0, kMax)},
      {"internal-error-ratio", "P", "probability of an InternalError answer",
       num(d.faults.internal_error),
       double_flag([](CliOptions& o) -> double& { return o.simulator.faults.internal_error; }, 0,
                   1)},
      {"http-500-ratio", "P", "probability of an HTTP 500 answer", num(d.faults.http_500),
       double_flag([](CliOptions& o) -> double& { return o.simulator.faults.http_500; }, 0, 1)},
      {"malformed-ratio", "P", "probability of an HTTP 200 answer that is not JSON",
       num(d.faults.malformed),
       double_flag([](CliOptions& o) -> double& { return o.simulator.faults.malformed; }, 0, 1)},
      {"hang-ratio", "P", "probability of no answer for --hang-seconds", num(d.faults.hang),
       double_flag([](CliOptions& o) -> double& { return o.simulator.faults.hang; }, 0, 1)},
      {"hang-seconds", "S", "how long a hanging request waits before the connection closes",
       num(d.faults.hang_seconds),
       double_flag([](CliOptions& o) -> double& { return o.simulator.faults.hang_seconds; }, 0,
                   kMax)},
      {"secret-id", "ID", "SecretId that requests must be signed with", d.secret_id,
       string_flag([](CliOptions& o) -> std::string& { return o.simulator.secret_id; })},
      {"secret-key", "KEY", "SecretKey that requests must be signed with", d.secret_key,
       string_flag([](CliOptions& o) -> std::string& { return o.simulator.secret_key; })},
      {"token", "TOKEN", "session token X-TC-Token must carry; empty: permanent keys", "",
       string_flag([](CliOptions& o) -> std::string& { return o.simulator.token; })},
      {"clock-offset", "S", "run the simulator's clock S seconds ahead (negative: behind)",
       std::to_string(d.clock_offset_seconds),
       [](const std::string& v, CliOptions& o) {
         return parse_number(v, o.simulator.clock_offset_seconds);
       }},
      {"cvm-role", "NAME", "CAM role the metadata service reports; empty: none bound (404)", "",
       string_flag([](CliOptions& o) -> std::string& { return o.simulator.cvm_role; })},
      {"oidc-provider-id", "ID", "ProviderId AssumeRoleWithWebIdentity accepts", d.oidc_provider_id,
       string_flag([](CliOptions& o) -> std::string& { return o.simulator.oidc_provider_id; })},
      {"web-identity-token", "TOKEN", "WebIdentityToken AssumeRoleWithWebIdentity accepts",
       d.web_identity_token,
       string_flag([](CliOptions& o) -> std::string& { return o.simulator.web_identity_token; })},
      {"role-arn", "ARN", "RoleArn the STS actions accept", d.role_arn,
       string_flag([](CliOptions& o) -> std::string& { return o.simulator.role_arn; })},
      {"temporary-key-lifetime", "S",
       "lifetime of issued temporary keys (DurationSeconds may cut it)",
       std::to_string(d.temporary_key_lifetime_seconds),
       int_flag([](CliOptions& o) -> int& { return o.simulator.temporary_key_lifetime_seconds; },
                1)},
      {"refuse-permanent-keys", "BOOL",
       "Organization actions refuse the permanent keys (AssumeRole still accepts them)", "false",
       bool_flag([](CliOptions& o) -> bool& { return o.simulator.refuse_permanent_keys; }), true},
      {"utc-offset", "+HH:MM", "zone of the API's time strings", "+08:00",
       [](const std::string& v, CliOptions& o) {
         const auto offset = api::parse_utc_offset(v);
         if (offset) o.simulator.org.utc_offset_seconds = *offset;
         return offset.has_value();
       }},
  };
}

CliResult fail(const std::string& message) {
  return {std::nullopt, 2, "tcorg-simulator: " + message + "\n(see --help)\n"};
}

}  // namespace

std::string cli_usage() {
  std::ostringstream out;
  out << "Usage: tcorg-simulator [flags]\n"
         "A fake Tencent Cloud Organization API (version 2018-12-25) for tests and demos.\n"
         "Prints `tcorg-simulator listening on http://HOST:PORT` once ready; stops on SIGTERM "
         "or SIGINT.\n\nFlags (--flag=value or --flag value):\n";
  for (const Flag& f : flags()) {
    out << "  --" << f.name << "=" << f.value_name << "\n      " << f.help << " (default: \""
        << f.default_text << "\")\n";
  }
  out << "  --help\n      show this help\n";
  return out.str();
}

CliResult parse_cli(const std::vector<std::string>& args) {
  const std::vector<Flag> known = flags();
  CliOptions options;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--help" || arg == "-h") return {std::nullopt, 0, cli_usage()};
    if (arg.rfind("--", 0) != 0) return fail("unexpected argument " + arg);
    const auto eq = arg.find('=');
    const std::string name = arg.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
    const Flag* flag = nullptr;
    for (const Flag& f : known) {
      if (name == f.name) flag = &f;
    }
    if (flag == nullptr) return fail("unknown flag --" + name);
    std::string value;
    if (eq != std::string::npos) {
      value = arg.substr(eq + 1);
    } else if (flag->is_switch) {
      value = "true";
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      return fail("flag --" + name + " needs a value");
    }
    // Only numeric, boolean and address flags can be invalid, so the value is no secret.
    if (!flag->set(value, options)) {
      return fail(
          std::string(R"(invalid value ")").append(value).append(R"(" for --)").append(name));
    }
  }
  return {options, 0, ""};
}

}  // namespace tcorg::sim
