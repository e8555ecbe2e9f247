#include "exporter/config/flags.h"

#include <algorithm>
#include <charconv>
#include <set>

#include "exporter/config/flag_table.h"

namespace tcorg::config {

namespace {

ExitNow usage_error(const std::string& message) {
  return ExitNow{2, std::string(kProgramName) + ": error: " + message + ", try --help\n"};
}

std::string quoted(std::string_view value) {
  std::string out = "\"";
  for (char c : value) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + '"';
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// "unknown flag --x (did you mean --y?)", with the closest known flag when one is near enough to be
// a typo.
std::string unknown_flag(std::string_view as_written, std::string_view name) {
  std::string message = "unknown flag " + std::string(as_written);
  const FlagSpec* best = nullptr;
  std::size_t best_distance = std::max<std::size_t>(3, name.size() / 4) + 1;
  for (const FlagSpec& f : flag_table()) {
    const std::size_t d = edit_distance(name, f.name);
    if (d < best_distance) best = &f, best_distance = d;
  }
  if (best != nullptr) message += " (did you mean --" + std::string(best->name) + "?)";
  return message;
}

std::string getenv_or_empty(const Getenv& env, const char* name) {
  const char* value = env ? env(name) : nullptr;
  return value != nullptr ? value : "";
}

std::string expand_home(const std::string& path, const std::string& home) {
  if (!home.empty() && path.starts_with("~/")) return home + path.substr(1);
  return path;
}

// Defaults that depend on the environment, applied after the flags.
void resolve_paths(Config& config, const Getenv& env) {
  const std::string home = getenv_or_empty(env, "HOME");
  auto& tc = config.tencentcloud;
  if (!tc.credentials_file_explicit) {
    if (std::string file = getenv_or_empty(env, "TENCENTCLOUD_CREDENTIALS_FILE"); !file.empty()) {
      tc.credentials_file = std::move(file);
      tc.credentials_file_explicit = true;
    } else if (!home.empty()) {
      tc.credentials_file = home + "/.tencentcloud/credentials";
    }
  }
  tc.credentials_file = expand_home(tc.credentials_file, home);
  config.web.config_file = expand_home(config.web.config_file, home);
}

std::string shortest(double value) {
  char buf[32];
  const auto res = std::to_chars(buf, buf + sizeof buf, value);
  return std::string(buf, res.ptr);
}

// Settings that are valid one by one but doubtful together: warnings, not errors.
void add_warnings(Config& config) {
  auto& w = config.warnings;
  const auto& c = config.collectors;
  if (config.api.requests_per_second > kApiRateLimit) {
    w.push_back("--api.requests-per-second=" + shortest(config.api.requests_per_second) +
                ": the real API allows 20 requests per second per action; above that it will "
                "throttle");
  }
  if (!c.invitations && !c.members) {
    w.emplace_back("every collector is disabled: only the exporter's own metrics will be served");
  }
  if (c.members && !c.members_list && c.member_uins.empty()) {
    w.emplace_back(
        "--no-collector.members.list without --members.uin: the members collector has "
        "nothing to collect");
  }
  if (!c.members && !c.member_uins.empty()) {
    w.emplace_back("--members.uin has no effect with --no-collector.members");
  }
}

}  // namespace

ParseResult parse_flags(int argc, const char* const* argv, const BuildInfo& build,
                        const Getenv& env) {
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i) args.emplace_back(argv[i]);
  return parse_flags(args, build, env);
}

ParseResult parse_flags(const std::vector<std::string>& args, const BuildInfo& build,
                        const Getenv& env) {
  Config config;
  std::set<std::string_view> seen;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    if (arg == "-h" || arg == "--help") return ExitNow{0, help_text()};
    if (arg == "--version") return ExitNow{0, version_text(build)};
    if (!arg.starts_with("--") || arg == "--") {
      // "-web.listen-address" is Go flag-package style: point at the double-dash spelling.
      if (arg.size() > 1 && arg.starts_with('-') && arg != "--") {
        return usage_error(unknown_flag(arg, arg.substr(1)));
      }
      return usage_error("unexpected argument " + quoted(arg));
    }

    const std::string_view body = arg.substr(2);
    const std::size_t eq = body.find('=');
    const std::string_view name = body.substr(0, eq);
    const bool has_value = eq != std::string_view::npos;
    const std::string flag = "--" + std::string(name);

    const FlagSpec* spec = find_flag(name);
    const bool negated = spec == nullptr && name.starts_with("no-");
    if (negated) {
      spec = find_flag(name.substr(3));
      if (spec != nullptr && spec->kind != FlagKind::kBool) {
        return usage_error(flag + ": --" + std::string(spec->name) + " is not a boolean flag");
      }
    }
    if (spec == nullptr) return usage_error(unknown_flag(flag, name));
    if (spec->kind != FlagKind::kRepeated && !seen.insert(spec->name).second) {
      return usage_error(flag + ": given more than once");
    }

    std::string value;
    if (spec->kind == FlagKind::kBool) {
      if (negated && has_value) return usage_error(flag + ": takes no value");
      value = negated ? "false" : has_value ? std::string(body.substr(eq + 1)) : "true";
    } else if (has_value) {
      value = std::string(body.substr(eq + 1));
    } else if (i + 1 < args.size() && !args[i + 1].starts_with("--")) {
      value = args[++i];
    } else {
      return usage_error(flag + ": expected a value");
    }

    if (!spec->set(config, value)) {
      return usage_error(flag + ": invalid value " + quoted(value) +
                         " (accepted: " + std::string(spec->accepted) + ")");
    }
  }
  resolve_paths(config, env);
  add_warnings(config);
  return config;
}

std::vector<std::string_view> flag_names() {
  std::vector<std::string_view> names;
  for (const FlagSpec& f : flag_table()) names.push_back(f.name);
  return names;
}

}  // namespace tcorg::config
