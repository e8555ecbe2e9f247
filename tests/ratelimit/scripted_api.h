#pragma once

// Test doubles for RateLimitedApi: an inner Api that answers from a script and records when each
// attempt arrived, and an observer that records what it is told. Thread-safe.

#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "exporter/api/api.h"
#include "exporter/ratelimit/clock.h"
#include "exporter/ratelimit/limiter_observer.h"

namespace tcorg::ratelimit::testing {

inline api::ApiError api_error(std::string code) {
  api::ApiError e;
  e.kind = api::ErrorKind::kApi;
  e.code = std::move(code);
  return e;
}

inline api::ApiError kind_error(api::ErrorKind kind) {
  api::ApiError e;
  e.kind = kind;
  return e;
}

class ScriptedApi final : public api::Api {
 public:
  explicit ScriptedApi(Clock& clock) : clock_(clock) {}

  // Answers in order; nullopt is a success. After the script runs out: `otherwise`.
  void script(std::vector<std::optional<api::ApiError>> answers,
              std::optional<api::ApiError> otherwise = std::nullopt) {
    std::lock_guard lock(mutex_);
    answers_.assign(answers.begin(), answers.end());
    otherwise_ = std::move(otherwise);
  }

  int calls() const {
    std::lock_guard lock(mutex_);
    return static_cast<int>(times_.size());
  }
  std::vector<Clock::time_point> times() const {
    std::lock_guard lock(mutex_);
    return times_;
  }
  std::vector<std::string> actions() const {
    std::lock_guard lock(mutex_);
    return actions_;
  }

  api::Result<api::InvitationPage> list_invitations(api::Direction, std::int64_t,
                                                    std::int64_t) override {
    return answer<api::InvitationPage>(api::action::kListOrganizationInvitations);
  }
  api::Result<api::MemberDetail> get_member(std::int64_t uin) override {
    auto result = answer<api::MemberDetail>(api::action::kGetOrganizationMember);
    if (result.ok()) result->uin = uin;
    return result;
  }
  api::Result<api::MemberPage> list_members(std::int64_t, std::int64_t) override {
    return answer<api::MemberPage>(api::action::kListOrganizationMembers);
  }
  api::Result<api::NodeList> list_nodes() override {
    return answer<api::NodeList>(api::action::kListOrganizationNodes);
  }

 private:
  template <class T>
  api::Result<T> answer(std::string_view action) {
    std::lock_guard lock(mutex_);
    times_.push_back(clock_.now());
    actions_.emplace_back(action);
    std::optional<api::ApiError> next = otherwise_;
    if (!answers_.empty()) {
      next = answers_.front();
      answers_.pop_front();
    }
    if (next) return *next;
    return T{};
  }

  Clock& clock_;
  mutable std::mutex mutex_;
  std::deque<std::optional<api::ApiError>> answers_;
  std::optional<api::ApiError> otherwise_;
  std::vector<Clock::time_point> times_;
  std::vector<std::string> actions_;
};

class RecordingObserver final : public LimiterObserver {
 public:
  void on_wait(std::string_view action, double seconds) override {
    std::lock_guard lock(mutex_);
    wait_actions.emplace_back(action);
    waits.push_back(seconds);
  }
  void on_retry(std::string_view action, const api::ApiError& error) override {
    std::lock_guard lock(mutex_);
    retry_actions.emplace_back(action);
    retry_labels.push_back(error.label());
  }

  std::vector<std::string> wait_actions;
  std::vector<double> waits;
  std::vector<std::string> retry_actions;
  std::vector<std::string> retry_labels;

 private:
  std::mutex mutex_;
};

}  // namespace tcorg::ratelimit::testing
