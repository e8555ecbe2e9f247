// POST /: one API call, in the real service's order: authenticate, find the action, rate limit,
// then (for accepted calls only) latency and injected faults, then parameters and the answer.
// Authentication comes first because the real quota is per account, known only after it; a
// rejected call never uses quota, so a client that paces is never throttled.

#include <chrono>

#include "simulator/actions.h"
#include "simulator/auth.h"
#include "simulator/faults.h"
#include "simulator/http_body.h"
#include "simulator/simulator_impl.h"
#include "simulator/sts.h"

namespace tcorg::sim {
namespace {

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Sends the status line and headers, then closes: the client never gets a complete answer.
void hang_up(httplib::Response& res) {
  res.set_chunked_content_provider(kJsonType,
                                   [](std::size_t, httplib::DataSink&) { return false; });
}

bool is_json(const std::string& content_type) {
  return content_type.rfind("application/json", 0) == 0 &&
         (content_type.size() == 16 || content_type[16] == ';' || content_type[16] == ' ');
}

// Action and version headers: the action must exist in this version.
std::optional<ApiFailure> check_action(const httplib::Request& req) {
  const std::string action = req.get_header_value("X-TC-Action");
  const std::string version = req.get_header_value("X-TC-Version");
  if (action.empty()) return ApiFailure{"MissingParameter", "The parameter `Action` is missing."};
  if (version.empty()) return ApiFailure{"MissingParameter", "The parameter `Version` is missing."};
  const bool sts = is_sts_action(action);
  if (version != (sts ? kStsVersion : kVersion)) {
    return ApiFailure{"NoSuchVersion", "The API version `" + version + "` does not exist."};
  }
  if (!sts && find_action(action) == nullptr) {
    return ApiFailure{"InvalidAction", "The action `" + action + "` does not exist."};
  }
  return std::nullopt;
}

}  // namespace

void Simulator::Impl::handle_api(const httplib::Request& req, httplib::Response& res) {
  {
    std::lock_guard lock(stats_mu);
    ++stats.requests;
  }
  const std::string request_id = request_ids.next();

  SignedRequest signed_request{req.get_header_value("Authorization"),
                               req.get_header_value("Host"),
                               req.get_header_value("Content-Type"),
                               req.get_header_value("X-TC-Action"),
                               req.get_header_value("X-TC-Timestamp"),
                               req.get_header_value("X-TC-Token"),
                               req.body};
  double limit = 0;
  {
    std::lock_guard lock(config_mu);
    limit = rate_limit;
  }
  const bool sts = is_sts_action(signed_request.action);
  // AssumeRoleWithWebIdentity is unsigned: the web identity token is its proof.
  if (signed_request.action != kAssumeRoleWithWebIdentity) {
    if (auto failure = authenticate(signed_request, sts)) {
      return reply_failure(req, res, *failure, request_id);
    }
  }
  if (auto failure = check_action(req)) return reply_failure(req, res, *failure, request_id);

  if (!limiter.try_admit(signed_request.action, limit)) {
    {
      std::lock_guard lock(stats_mu);
      ++stats.actions[signed_request.action].throttled;
    }
    return reply_failure(
        req, res,
        {"RequestLimitExceeded", "Your current request times equals to `" +
                                     std::to_string(static_cast<long long>(limit)) +
                                     "` in a second, which exceeds the frequency limit."},
        request_id);
  }
  FaultPlan plan = next_fault_plan();
  if (sts && plan.kind == FaultKind::kNone) {
    std::lock_guard lock(config_mu);
    if (faults.credentials_fail) plan.kind = FaultKind::kInternalError;
  }
  {
    std::lock_guard lock(stats_mu);
    ++stats.actions[signed_request.action].accepted;
    if (plan.kind != FaultKind::kNone) ++stats.errors[fault_label(plan.kind)];
  }

  if (!sleep_unless_stopped(plan.delay)) return hang_up(res);
  switch (plan.kind) {
    case FaultKind::kHang:
      sleep_unless_stopped(plan.hang);
      return hang_up(res);
    case FaultKind::kHttp500:
      res.status = 500;
      set_body(req, res, "Internal Server Error\n", "text/plain; charset=utf-8");
      return;
    case FaultKind::kMalformed:
      // A truncated answer, as from a proxy that cut the connection short.
      set_body(req, res, R"({"Response":{"RequestId":")" + request_id);
      return;
    case FaultKind::kInternalError:
      set_body(req, res,
               error_body({"InternalError", "An internal error has occurred. Retry later."},
                          request_id));
      return;
    case FaultKind::kNone:
      break;
  }

  if (!is_json(signed_request.content_type)) {
    return reply_failure(
        req, res, {"InvalidParameter", "Content-Type must be application/json for this simulator."},
        request_id);
  }
  if (sts) return answer_sts(req, res, signed_request.action, request_id);
  const ActionDef& action = *find_action(signed_request.action);
  auto params = parse_params(req.body, action.params);
  if (const auto* failure = std::get_if<ApiFailure>(&params)) {
    return reply_failure(req, res, *failure, request_id);
  }
  const int utc = options.org.utc_offset_seconds;
  Answer answer;
  {
    std::lock_guard lock(org_mu);
    answer = action.answer(org, std::get<ParamValues>(params), utc);
  }
  if (const auto* failure = std::get_if<ApiFailure>(&answer)) {
    return reply_failure(req, res, *failure, request_id);
  }
  set_body(req, res, success_body(std::move(std::get<Json>(answer)), request_id));
}

std::optional<ApiFailure> Simulator::Impl::authenticate(const SignedRequest& request, bool sts) {
  api::Credentials creds;
  bool refuse_permanent = false;
  {
    std::lock_guard lock(config_mu);
    creds = credentials;
    refuse_permanent = refuse_permanent_keys;
  }
  const auto authorization = parse_authorization(request.authorization);
  const auto temporary =
      authorization ? temporary_keys.find(authorization->secret_id) : std::nullopt;
  if (temporary) creds = {temporary->secret_id, temporary->secret_key, temporary->token};
  const std::int64_t t = now();
  if (auto failure = verify_request(request, creds, t, options.max_clock_skew_seconds,
                                    sts ? kStsService : kService)) {
    return failure;
  }
  if (temporary && t >= temporary->expires_at) {
    std::lock_guard lock(stats_mu);
    ++stats.expired_key_rejections;
    return ApiFailure{"AuthFailure.TokenFailure", "The temporary credentials have expired."};
  }
  if (!temporary && refuse_permanent && !sts) {
    return ApiFailure{"AuthFailure.UnauthorizedOperation",
                      "This account only accepts temporary credentials."};
  }
  return std::nullopt;
}

void Simulator::Impl::answer_sts(const httplib::Request& req, httplib::Response& res,
                                 const std::string& action, const std::string& request_id) {
  StsIdentity identity;
  std::int64_t lifetime = 0;
  {
    std::lock_guard lock(config_mu);
    identity = {options.oidc_provider_id, web_identity_token, options.role_arn};
    lifetime = temporary_key_lifetime;
  }
  const auto checked = check_sts_params(action, req.body, identity, lifetime);
  if (const auto* failure = std::get_if<ApiFailure>(&checked)) {
    return reply_failure(req, res, *failure, request_id);
  }
  const TemporaryKey key = temporary_keys.issue(now(), std::get<std::int64_t>(checked));
  {
    std::lock_guard lock(stats_mu);
    ++stats.issued[action];
  }
  set_body(req, res, success_body(sts_credentials_answer(key), request_id));
}

std::int64_t Simulator::Impl::now() const {
  return unix_now() + options.clock_offset_seconds;
}

bool Simulator::Impl::sleep_unless_stopped(std::chrono::microseconds d) {
  std::unique_lock lock(stop_mu);
  if (d.count() <= 0) return !stopping;
  return !stop_cv.wait_for(lock, d, [this] { return stopping; });
}

FaultPlan Simulator::Impl::next_fault_plan() {
  std::lock_guard lock(config_mu);
  return plan_faults(faults, fault_random);
}

void Simulator::Impl::reply_failure(const httplib::Request& req, httplib::Response& res,
                                    const ApiFailure& failure, const std::string& request_id) {
  count_error(failure.code);
  res.status = 200;
  set_body(req, res, error_body(failure, request_id));
}

void Simulator::Impl::count_error(const std::string& label) {
  std::lock_guard lock(stats_mu);
  ++stats.errors[label];
  if (label.rfind("AuthFailure", 0) == 0) ++stats.auth_failures;
}

}  // namespace tcorg::sim
