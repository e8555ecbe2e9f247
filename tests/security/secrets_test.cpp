// Secrets never leave the process: the real exporter, logging at debug level, is driven through
// every error path with recognisable keys and tokens, and everything it writes (stdout, stderr)
// or serves (/metrics, /, /-/healthy, /-/ready) is searched for them.

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <tuple>

#include "tests/integration/exporter_fixture.h"

namespace tcorg::testing {
namespace {

using namespace std::chrono_literals;
using Env = std::map<std::string, std::string>;

constexpr const char* kId = "AKIDsecretsTestEXAMPLE";
const std::string kKey = "KEY-1f7c9e2b-LEAKCHECK-a9e2d4c1";
const std::string kToken = "TOKEN-4b2e8f01-LEAKCHECK-c3d1e7a5";
const std::string kWrongKey = "KEY-wrong0a1-LEAKCHECK-5e6f7081";
const std::string kWrongToken = "TOKEN-wrong0b2-LEAKCHECK-8a8b9c0d";
const std::string kRotatedKey = "KEY-rotated3c-LEAKCHECK-9d3a1b2c";
const std::string kBrokenKey = "KEY-broken4d5-LEAKCHECK-77aa66bb";
const std::vector<std::string> kSecrets = {kKey,        kToken,      kWrongKey,
                                           kWrongToken, kRotatedKey, kBrokenKey};

// Everything a secret could surface in.
struct Output {
  std::map<std::string, std::string> texts;  // by where it came from
};

// No secret (of kSecrets and `more`), nor its first or last 8 characters, nor the marker the
// test's own secrets share.
void expect_no_secret(const std::string& scenario, const Output& output,
                      const std::vector<std::string>& more = {}) {
  std::vector<std::string> secrets = kSecrets;
  secrets.insert(secrets.end(), more.begin(), more.end());
  for (const auto& [where, text] : output.texts) {
    std::vector<std::string> needles{"LEAKCHECK"};
    for (const auto& s : secrets) {
      needles.insert(needles.end(), {s, s.substr(0, 8), s.substr(s.size() - 8)});
    }
    for (const auto& needle : needles) {
      EXPECT_EQ(text.find(needle), std::string::npos)
          << scenario << ": \"" << needle << "\" in " << where << ":\n"
          << text;
    }
  }
}

Env env_with(const std::string& key, const std::string& token, const std::string& id = kId) {
  Env env{
      {"HOME", "/nonexistent"}, {"TENCENTCLOUD_SECRET_ID", id}, {"TENCENTCLOUD_SECRET_KEY", key}};
  if (!token.empty()) env["TENCENTCLOUD_SECURITY_TOKEN"] = token;
  return env;
}

sim::Options sim_options(const std::string& token) {
  sim::Options o = simulator_options(8, 3, 10);
  o.secret_id = kId;
  o.secret_key = kKey;
  o.token = token;
  return o;
}

std::vector<std::string> debug_args(std::vector<std::string> extra = {}) {
  std::vector<std::string> args{"--log.level=debug", "--collector.invitations.interval=1s",
                                "--collector.members.interval=1s", "--api.timeout=1s",
                                "--api.max-retries=1"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

bool saw_error_code(ExporterRun& run, const std::string& code) {
  for (const auto& s : run.scrape().find("tencentcloud_org_api_errors_total", {{"code", code}})) {
    if (s.value > 0) return true;
  }
  return false;
}

// Polls `reached` every 100 ms for at most `timeout`.
bool eventually(const std::function<bool()>& reached, std::chrono::milliseconds timeout = 15s) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (reached()) return true;
    std::this_thread::sleep_for(100ms);
  }
  return false;
}

// Scrapes every page, stops the exporter with SIGTERM and collects all it wrote.
Output finish(ExporterRun& run) {
  Output o;
  for (const char* path : {"/metrics", "/", "/-/healthy", "/-/ready"})
    o.texts[path] = run.get(path);
  run.process->signal(SIGTERM);
  EXPECT_EQ(run.process->wait(10s), std::optional<int>(0));
  o.texts["stdout"] = run.process->out();
  o.texts["stderr"] = run.process->err();
  return o;
}

struct ApiCase {
  std::string name;
  std::string sim_token;
  Env env;
  std::function<void(sim::Simulator&)> fault;  // may be empty
  std::string expected_code;                   // the error label the path ends in
};

std::vector<ApiCase> api_cases() {
  const auto faults = [](auto set) {
    return [set](sim::Simulator& s) {
      sim::Faults f;
      set(f);
      s.set_faults(f);
    };
  };
  return {
      {"bad signature", kToken, env_with(kWrongKey, kToken), {}, "AuthFailure.SignatureFailure"},
      {"unknown SecretId",
       kToken,
       env_with(kKey, kToken, "AKIDunknownEXAMPLE"),
       {},
       "AuthFailure.SecretIdNotFound"},
      {"missing token", kToken, env_with(kKey, ""), {}, "AuthFailure.TokenFailure"},
      {"wrong token", kToken, env_with(kKey, kWrongToken), {}, "AuthFailure.TokenFailure"},
      {"throttled", kToken, env_with(kKey, kToken), [](sim::Simulator& s) { s.set_rate_limit(0); },
       "RequestLimitExceeded"},
      {"InternalError", kToken, env_with(kKey, kToken),
       faults([](sim::Faults& f) { f.fail_all = true; }), "InternalError"},
      {"HTTP 500", kToken, env_with(kKey, kToken), faults([](sim::Faults& f) { f.http_500 = 1; }),
       "http_500"},
      {"malformed body", kToken, env_with(kKey, kToken),
       faults([](sim::Faults& f) { f.malformed = 1; }), "decode"},
      {"hang", kToken, env_with(kKey, kToken), faults([](sim::Faults& f) {
         f.hang = 1;
         f.hang_seconds = 3;
       }),
       "timeout"},
      {"connection refused", kToken, env_with(kKey, kToken), [](sim::Simulator& s) { s.stop(); },
       "transport"},
  };
}

TEST(Secrets, NoneInAnyOutputOnAnyApiErrorPath) {
  for (const auto& c : api_cases()) {
    sim::Simulator sim(sim_options(c.sim_token));
    sim.start();
    if (c.fault) c.fault(sim);
    ExporterRun run(sim, debug_args(), c.env);
    ASSERT_GT(run.start(), 0) << c.name << ": " << run.process->err();
    EXPECT_TRUE(eventually([&] { return saw_error_code(run, c.expected_code); }))
        << c.name << ": no " << c.expected_code << " counted\n"
        << run.get("/metrics");
    expect_no_secret(c.name, finish(run));
  }
}

void write_atomically(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".tmp";
  std::ofstream(tmp, std::ios::trunc) << text;
  ASSERT_EQ(std::rename(tmp.c_str(), path.c_str()), 0);
}

std::string ini(const std::string& key, const std::string& token) {
  return std::string("[default]\nsecret_id = ") + kId + "\nsecret_key = " + key +
         "\ntoken = " + token + "\n";
}

TEST(Secrets, NoneWhenTheCredentialsFileIsRotated) {
  sim::Simulator sim(sim_options(kToken));
  sim.start();
  char dir_template[] = "/tmp/tcorg-secrets-XXXXXX";
  const std::string dir = ::mkdtemp(dir_template);
  const std::string file = dir + "/credentials";
  write_atomically(file, ini(kKey, kToken));
  ExporterRun run(sim, debug_args({"--tencentcloud.credentials-file=" + file}),
                  {{"HOME", "/nonexistent"}});
  ASSERT_GT(run.start(), 0) << run.process->err();
  ASSERT_TRUE(run.wait_ready(15s));

  // Broken: a trailing comment after the key, then a secret pasted as a key name.
  write_atomically(file, "[default]\nsecret_id = " + std::string(kId) +
                             "\nsecret_key = " + kBrokenKey + " # new\n");
  EXPECT_TRUE(run.process->wait_for_err("credentials file unusable", 10s));
  write_atomically(file, "[default]\n" + kBrokenKey + " = x\n");
  EXPECT_TRUE(eventually([&] {
    const std::string err = run.process->err();
    return err.find("unknown key") != std::string::npos;
  }));

  // A new key, on both sides.
  sim.set_credentials(kId, kRotatedKey, kToken);
  write_atomically(file, ini(kRotatedKey, kToken));
  EXPECT_TRUE(run.process->wait_for_err("credentials reloaded", 10s));
  sim.reset_stats();
  EXPECT_TRUE(
      eventually([&] { return sim.stats().actions["ListOrganizationNodes"].accepted > 0; }));
  expect_no_secret("credentials file rotation", finish(run));
  std::filesystem::remove_all(dir);
}

// Exits at startup: each must say why, and nothing else.
TEST(Secrets, NoneInStartupErrors) {
  sim::Simulator sim(sim_options(kToken));
  sim.start();
  char dir_template[] = "/tmp/tcorg-secrets-XXXXXX";
  const std::string dir = ::mkdtemp(dir_template);
  std::ofstream(dir + "/broken") << "[default]\nsecret_id = x\n" << kBrokenKey << " = x\n";
  struct Startup {
    std::string name;
    std::vector<std::string> args;
    Env env;
    std::string says;  // part of the message
  };
  const Env token_only{{"HOME", "/nonexistent"}, {"TENCENTCLOUD_SECURITY_TOKEN", kToken}};
  const std::vector<Startup> cases = {
      {"bad flag value", {"--api.timeout=bogus"}, env_with(kKey, kToken), "--api.timeout"},
      {"missing credentials file",
       {"--tencentcloud.credentials-file=" + dir + "/absent"},
       token_only,
       dir + "/absent"},
      {"broken credentials file",
       {"--tencentcloud.credentials-file=" + dir + "/broken"},
       token_only,
       dir + "/broken:3"},
      {"half-set environment",
       {},
       {{"HOME", "/nonexistent"}, {"TENCENTCLOUD_SECRET_KEY", kKey}},
       "TENCENTCLOUD_SECRET_ID"},
  };
  for (const auto& c : cases) {
    ExporterRun run(sim, debug_args(c.args), c.env);
    const auto status = run.process->wait(10s);
    ASSERT_TRUE(status.has_value()) << c.name;
    EXPECT_EQ(*status, 2) << c.name;
    EXPECT_NE(run.process->err().find(c.says), std::string::npos)
        << c.name << ": " << run.process->err();
    expect_no_secret(c.name,
                     Output{{{"stdout", run.process->out()}, {"stderr", run.process->err()}}});
  }
  std::filesystem::remove_all(dir);
}

std::string read_environ(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/environ", std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::replace(text.begin(), text.end(), '\0', '\n');
  return text;
}

// Once read, the key and token leave the environment: another process of the same user (or a
// core dump, or a child) reading /proc/PID/environ finds neither.
TEST(Secrets, NoneInTheProcessEnvironment) {
  sim::Simulator sim(sim_options(kToken));
  sim.start();
  for (const char* token_var : {"TENCENTCLOUD_SECURITY_TOKEN", "TENCENTCLOUD_SESSION_TOKEN"}) {
    Env env = env_with(kKey, "");
    env[token_var] = kToken;
    env["TENCENTCLOUD_SESSION_TOKEN"] = kToken;  // both may be set; neither may stay
    ExporterRun run(sim, debug_args(), env);
    ASSERT_GT(run.start(), 0) << run.process->err();
    ASSERT_TRUE(run.wait_ready(15s)) << "the credentials must still work";
    const std::string environ = read_environ(run.process->pid());
    EXPECT_NE(environ.find(std::string("TENCENTCLOUD_SECRET_ID=") + kId), std::string::npos)
        << "the test must see the environment it reads:\n"
        << environ;
    EXPECT_EQ(environ.find("TENCENTCLOUD_SECRET_KEY"), std::string::npos) << environ;
    EXPECT_EQ(environ.find("TOKEN"), std::string::npos) << environ;
    expect_no_secret(token_var, Output{{{"/proc/PID/environ", environ}}});
    expect_no_secret(token_var, finish(run));
  }
}

TEST(Secrets, NoneInCollectOnceOutput) {
  sim::Simulator sim(sim_options(kToken));
  sim.start();
  for (const auto& [name, env, status] : std::vector<std::tuple<std::string, Env, int>>{
           {"good", env_with(kKey, kToken), 0},
           {"bad key", env_with(kWrongKey, kToken), 1},
           {"bad token", env_with(kKey, kWrongToken), 1}}) {
    ExporterRun run(sim, debug_args({"--collect.once"}), env);
    EXPECT_EQ(run.process->wait(20s), std::optional<int>(status)) << name;
    const std::string out = run.process->out();
    EXPECT_NE(out.find("tencentcloud_org_collector_success"), std::string::npos) << name;
    expect_no_secret("collect.once " + name,
                     Output{{{"stdout", out}, {"stderr", run.process->err()}}});
  }
}

// Temporary keys and tokens (CVM role, AssumeRole on top of it, TKE OIDC and its web identity
// token) through issue, refresh, token rotation, expiry while refreshes fail, and recovery.
TEST(Secrets, NoneOfTheTemporaryKeysOrTokens) {
  char dir_template[] = "/tmp/tcorg-secrets-XXXXXX";
  const std::string dir = ::mkdtemp(dir_template);
  const std::string token_file = dir + "/web-identity-token";
  const std::string web_token = "WEBID-5d0c2a9e-LEAKCHECK-6f1b3e8d";
  const std::string rotated_token = "WEBID-rotated7-LEAKCHECK-0c9d8e7f";
  std::ofstream(token_file) << web_token << "\n";

  struct Case {
    std::string name;
    std::vector<std::string> args;
    Env env;
  };
  sim::Options o = sim_options("");
  o.cvm_role = "org-reader";
  o.web_identity_token = web_token;
  o.temporary_key_lifetime_seconds = 4;  // refreshed every 2 s
  o.refuse_permanent_keys = true;
  const std::vector<Case> cases = {
      {"CVM role, then AssumeRole", {"--tencentcloud.role-arn=" + o.role_arn}, {}},
      {"TKE OIDC",
       {},
       {{"TKE_REGION", "ap-guangzhou"},
        {"TKE_PROVIDER_ID", o.oidc_provider_id},
        {"TKE_WEB_IDENTITY_TOKEN_FILE", token_file},
        {"TKE_ROLE_ARN", o.role_arn}}},
  };
  for (const auto& c : cases) {
    std::ofstream(token_file) << web_token << "\n";
    sim::Simulator sim(o);
    sim.start();
    Env env = c.env;
    env["HOME"] = "/nonexistent";
    std::vector<std::string> args = c.args;
    args.insert(args.end(), {"--tencentcloud.metadata-endpoint=" + sim.endpoint(),
                             "--tencentcloud.sts-endpoint=" + sim.endpoint()});
    ExporterRun run(sim, debug_args(args), env);
    ASSERT_GT(run.start(), 0) << c.name << ": " << run.process->err();
    ASSERT_TRUE(run.wait_ready(20s)) << c.name << ": " << run.process->err();
    const auto issued = [&sim] {
      std::uint64_t n = 0;
      for (const auto& [source, count] : sim.stats().issued) n += count;
      return n;
    };
    ASSERT_TRUE(eventually([&] { return issued() >= 4; }, 30s)) << c.name << ": no refreshes";
    if (!c.env.empty()) {  // the token file rotates: the next refresh must read the new one
      std::ofstream(token_file) << rotated_token << "\n";
      sim.set_web_identity_token(rotated_token);
      const auto before = issued();
      ASSERT_TRUE(eventually([&] { return issued() > before; }, 30s))
          << c.name << ": no refresh after the token rotated: " << run.process->err();
    }
    // Every refresh fails until the keys have expired and a cycle has failed for it.
    sim::Faults faults;
    faults.credentials_fail = true;
    sim.set_faults(faults);
    ASSERT_TRUE(run.process->wait_for_err("the temporary keys expired", 30s))
        << c.name << ": " << run.process->err();
    sim.set_faults(sim::Faults{});
    ASSERT_TRUE(eventually(
        [&] {
          return run.scrape().value("tencentcloud_org_collector_success",
                                    {{"collector", "invitations"}}) == 1.0;
        },
        30s))
        << c.name << ": no recovery: " << run.process->err();
    std::vector<std::string> secrets = sim.issued_secrets();
    ASSERT_GE(secrets.size(), 8u) << c.name;
    secrets.insert(secrets.end(), {web_token, rotated_token});
    expect_no_secret(c.name, finish(run), secrets);
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace tcorg::testing
