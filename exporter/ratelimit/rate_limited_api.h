#pragma once

// An Api that paces, retries and backs off around another Api (normally the HTTPS Client):
//   - every attempt, retries included, first takes a slot from the action's Limiter;
//   - RequestLimitExceeded* lowers that action's rate and is retried after a jittered delay;
//   - other retryable errors (transport, timeout, 5xx, InternalError...) are retried a few times;
//   - anything else (auth, decode, ResourceNotFound, InvalidParameter...) is returned at once;
//   - once `stop` is requested, calls return api::stopped_error() promptly (waits are
//     interrupted; an attempt already sent runs to its own timeout).
// Thread-safe if the inner Api is: many threads may call it at once, which is how the member
// sweep keeps enough calls in flight for the limiter, not the latency, to bound throughput.

#include <mutex>
#include <random>
#include <stop_token>
#include <string_view>

#include "exporter/api/api.h"
#include "exporter/ratelimit/limiter_observer.h"
#include "exporter/ratelimit/limiter_set.h"
#include "exporter/ratelimit/retry_policy.h"

namespace tcorg::ratelimit {

class RateLimitedApi final : public api::Api {
 public:
  // `inner`, `limiters` and `observer` (may be null) must outlive this object. Sleeps use
  // limiters.clock().
  RateLimitedApi(api::Api& inner, LimiterSet& limiters, RetryPolicy policy, std::stop_token stop,
                 LimiterObserver* observer = nullptr);

  api::Result<api::InvitationPage> list_invitations(api::Direction direction, std::int64_t offset,
                                                    std::int64_t limit) override;
  api::Result<api::MemberDetail> get_member(std::int64_t member_uin) override;
  api::Result<api::MemberPage> list_members(std::int64_t offset, std::int64_t limit) override;
  api::Result<api::NodeList> list_nodes() override;

 private:
  template <class T, class Attempt>
  api::Result<T> call(std::string_view action, Attempt&& attempt);
  double uniform01();

  api::Api& inner_;
  LimiterSet& limiters_;
  const RetryPolicy policy_;
  const std::stop_token stop_;
  LimiterObserver* const observer_;
  std::mutex rng_mutex_;
  std::mt19937_64 rng_;
};

}  // namespace tcorg::ratelimit
