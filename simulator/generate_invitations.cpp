// The invitation half of generate_organization: both directions, every status, and pending ones
// expiring at times the exporter's alerts care about.

#include <algorithm>
#include <array>
#include <cstdio>
#include <numeric>
#include <string>

#include "simulator/generate_internal.h"
#include "simulator/organization.h"

namespace tcorg::sim::detail {
namespace {

namespace status = api::invitation_status;

constexpr const char* kHostName = "org-admin";
constexpr const char* kHostMail = "admin@example.com";
constexpr std::int64_t kFirstInviterUin = 100005000000;   // other organizations' admins
constexpr std::int64_t kFirstOutsiderUin = 100009000000;  // invited accounts that never joined
constexpr std::int64_t kFirstId = 1001;

std::string formatted(const char* format, long long n) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, n, n);
  return buf;
}

// Slot 0 is the near-expiry pending one, slots 1-4 the other statuses once each, then a mix.
std::vector<std::int64_t> statuses(int count, Random& random) {
  static constexpr std::array<std::int64_t, 4> kOthers = {status::kExpired, status::kAccepted,
                                                          status::kInvalidated, status::kCancelled};
  std::vector<std::int64_t> out;
  out.reserve(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) {
    if (i == 0) {
      out.push_back(status::kPending);
    } else if (i <= 4) {
      out.push_back(kOthers[static_cast<std::size_t>(i - 1)]);
    } else {
      const double u = random.unit();
      out.push_back(u < 0.35   ? status::kPending
                    : u < 0.65 ? status::kAccepted
                    : u < 0.80 ? status::kExpired
                    : u < 0.90 ? status::kInvalidated
                               : status::kCancelled);
    }
  }
  return out;
}

// Invite and expiry times for a status; every invitation not pending has expired already.
void set_times(api::Invitation& inv, bool first, api::Direction direction, std::int64_t now,
               Random& random) {
  if (inv.status == status::kPending) {
    if (first && direction == api::Direction::kReceived) {
      inv.expire_time = now + random.between(30 * 60, 11 * kHour);  // within 12 h
    } else if (first) {
      inv.expire_time = now + random.between(25 * kHour, 71 * kHour);  // within 24-72 h
    } else {
      inv.expire_time = now + random.between(3 * kDay, 14 * kDay);
    }
    inv.invite_time = inv.expire_time - kInvitationValiditySeconds;
  } else if (inv.status == status::kExpired) {
    inv.expire_time = now - random.between(kHour, 180 * kDay);
    inv.invite_time = inv.expire_time - kInvitationValiditySeconds;
  } else {
    inv.invite_time = now - random.between(16 * kDay, 365 * kDay);
    inv.expire_time = inv.invite_time + kInvitationValiditySeconds;
  }
}

std::vector<api::Invitation> received(int count, std::int64_t now, Random& random) {
  std::vector<api::Invitation> out;
  const auto st = statuses(count, random);
  for (int i = 0; i < count; ++i) {
    api::Invitation inv;
    inv.uin = kHostUin;
    inv.host_uin = kFirstInviterUin + 1000LL * i + random.between(0, 999);
    inv.host_name = formatted("org-%04lld", i + 1);
    inv.host_mail = formatted("admin@org-%04lld.example.com", i + 1);
    inv.status = st[static_cast<std::size_t>(i)];
    inv.name = kHostName;
    inv.org_type = 1;
    set_times(inv, i == 0, api::Direction::kReceived, now, random);
    out.push_back(std::move(inv));
  }
  return out;
}

// Accepted sent invitations name members, each a different one while there are enough.
std::vector<api::Invitation> sent(int count, std::int64_t now,
                                  const std::vector<api::MemberDetail>& members, Random& random) {
  std::vector<api::Invitation> out;
  const auto st = statuses(count, random);
  std::vector<std::size_t> pool;  // partial Fisher-Yates over member indexes
  std::size_t accepted = 0;
  for (int i = 0; i < count; ++i) {
    api::Invitation inv;
    inv.host_uin = kHostUin;
    inv.host_name = kHostName;
    inv.host_mail = kHostMail;
    inv.status = st[static_cast<std::size_t>(i)];
    inv.org_type = 1;
    if (random.chance(0.25)) inv.remark = "please join the organization";
    if (inv.status == status::kAccepted && !members.empty()) {
      if (pool.empty()) {
        pool.resize(members.size());
        std::iota(pool.begin(), pool.end(), std::size_t{0});
      }
      const std::size_t k = accepted++ % pool.size();
      if (accepted <= pool.size()) {
        std::swap(pool[k],
                  pool[static_cast<std::size_t>(random.between(
                      static_cast<std::int64_t>(k), static_cast<std::int64_t>(pool.size()) - 1))]);
      }
      const api::MemberDetail& m = members[pool[k]];
      inv.uin = m.uin;
      inv.name = m.name;
      inv.invite_time = m.join_time - random.between(kHour, 5 * kDay);
      inv.expire_time = inv.invite_time + kInvitationValiditySeconds;
    } else {
      inv.uin = kFirstOutsiderUin + 10LL * i + random.between(0, 9);
      inv.name = formatted("account-%04lld", i + 1);
      set_times(inv, i == 0, api::Direction::kSent, now, random);
    }
    out.push_back(std::move(inv));
  }
  return out;
}

}  // namespace

void generate_invitations(int count, std::int64_t now, Random& random, Organization& out) {
  out.received = received((count + 1) / 2, now, random);
  out.sent = sent(count / 2, now, out.members, random);
  // Ids grow with invite time across both directions, like a real sequence.
  std::vector<api::Invitation*> all;
  for (auto& inv : out.received) all.push_back(&inv);
  for (auto& inv : out.sent) all.push_back(&inv);
  std::stable_sort(all.begin(), all.end(), [](const api::Invitation* a, const api::Invitation* b) {
    return a->invite_time < b->invite_time;
  });
  for (std::size_t i = 0; i < all.size(); ++i) all[i]->id = kFirstId + static_cast<std::int64_t>(i);
  const auto by_id = [](const api::Invitation& a, const api::Invitation& b) { return a.id < b.id; };
  std::sort(out.received.begin(), out.received.end(), by_id);
  std::sort(out.sent.begin(), out.sent.end(), by_id);
}

}  // namespace tcorg::sim::detail
