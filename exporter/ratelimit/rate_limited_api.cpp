#include "exporter/ratelimit/rate_limited_api.h"

#include <utility>

namespace tcorg::ratelimit {

RateLimitedApi::RateLimitedApi(api::Api& inner, LimiterSet& limiters, RetryPolicy policy,
                               std::stop_token stop, LimiterObserver* observer)
    : inner_(inner),
      limiters_(limiters),
      policy_(policy),
      stop_(std::move(stop)),
      observer_(observer),
      rng_(std::random_device{}()) {}

template <class T, class Attempt>
api::Result<T> RateLimitedApi::call(std::string_view action, Attempt&& attempt) {
  Limiter& limiter = limiters_.get(action);
  Clock& clock = limiters_.clock();
  int retries = 0;
  int throttle_retries = 0;
  for (;;) {
    const std::optional<double> waited = limiter.acquire(stop_);
    if (!waited) return api::stopped_error();
    if (observer_ != nullptr) observer_->on_wait(action, *waited);

    api::Result<T> result = attempt();
    if (result.ok()) {
      limiter.on_success();
      return result;
    }
    const api::ApiError& error = result.error();
    if (error.is_throttled()) {
      limiter.on_throttled();
    } else if (error.kind == api::ErrorKind::kApi) {
      limiter.on_success();  // answered within the quota: the rate was fine
    }

    const RetryDecision decision = decide_retry(policy_, error, retries, throttle_retries);
    if (decision == RetryDecision::kGiveUp) return result;
    if (observer_ != nullptr) observer_->on_retry(action, error);
    const Clock::duration delay = retry_delay(policy_, retries + throttle_retries, uniform01());
    if (decision == RetryDecision::kRetryThrottled) {
      ++throttle_retries;
    } else {
      ++retries;
    }
    if (!clock.sleep_until(clock.now() + delay, stop_)) return api::stopped_error();
  }
}

double RateLimitedApi::uniform01() {
  std::lock_guard lock(rng_mutex_);
  return std::uniform_real_distribution<double>(0.0, 1.0)(rng_);
}

api::Result<api::InvitationPage> RateLimitedApi::list_invitations(api::Direction direction,
                                                                  std::int64_t offset,
                                                                  std::int64_t limit) {
  return call<api::InvitationPage>(api::action::kListOrganizationInvitations, [&] {
    return inner_.list_invitations(direction, offset, limit);
  });
}

api::Result<api::MemberDetail> RateLimitedApi::get_member(std::int64_t member_uin) {
  return call<api::MemberDetail>(api::action::kGetOrganizationMember,
                                 [&] { return inner_.get_member(member_uin); });
}

api::Result<api::MemberPage> RateLimitedApi::list_members(std::int64_t offset, std::int64_t limit) {
  return call<api::MemberPage>(api::action::kListOrganizationMembers,
                               [&] { return inner_.list_members(offset, limit); });
}

api::Result<api::NodeList> RateLimitedApi::list_nodes() {
  return call<api::NodeList>(api::action::kListOrganizationNodes,
                             [&] { return inner_.list_nodes(); });
}

}  // namespace tcorg::ratelimit
