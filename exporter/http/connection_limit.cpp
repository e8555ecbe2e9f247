// Room for a new connection at max_connections, across the loops: which connection gives way
// (event_server.h says which, event_loop.h lists the other files).

#include <algorithm>

#include "exporter/http/event_loop.h"

namespace tcorg::http::detail {
namespace {

constexpr auto kFreshFor = std::chrono::seconds(1);  // a new connection's time to start its request
// Keys of least_progress(): rank, then age. Idle connections rank above unfinished heads, and
// fresh ones (within kFreshFor) above both.
constexpr std::int64_t kRank = std::int64_t{1} << 60;  // above any steady-clock ns count
constexpr std::int64_t kFreshRank = 2 * kRank;

std::int64_t nanoseconds(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

}  // namespace

// Room for one more connection at the global limit: the connection with the least progress of
// all loops gives way. Each loop publishes the key of its own candidate (least_progress());
// when another loop's is older, that loop is asked to close its candidate if it is still older
// than ours (shed()), and the new connection may be over the limit for a moment, by at most
// shed_slack(). The slack is wider than one per loop because a loop may accept several
// connections before another loop gets to its shed requests; with one per loop, the asker ran
// out of slack and closed its own candidate, a recent connection, instead of the oldest.
//
// The asker's key is that of its own candidate or of the newcomer, fresh now, whichever has made
// less progress: a loop with no candidate of its own still asks for one older than the newcomer.
// (With no candidate it asked with kNone, and a request the other loop took late closed the
// first fresh connection it had, which could be the next scrape, accepted since.)
bool Loop::make_room() {
  Connection* mine = least_progress();
  const std::int64_t my_key = std::min(best_key_.load(), kFreshRank + nanoseconds(Clock::now()));
  Loop* other = nullptr;
  std::int64_t best = my_key;
  for (auto& loop : server_.loops) {
    const std::int64_t key = loop->best_key_.load();
    if (loop.get() != this && key < best) other = loop.get(), best = key;
  }
  if (other != nullptr && server_.open.load() < server_.options.max_connections + shed_slack()) {
    other->shed({my_key, this, false});
    return true;
  }
  if (mine == nullptr) return false;
  evict(*mine);
  return true;
}

void Loop::shed(Shed request) {
  {
    std::lock_guard lock(mu_);
    shed_.push_back(request);
  }
  wake();
}

// On this loop, for a request shed() queued.
void Loop::on_shed(const Shed& request) {
  Connection* victim = least_progress();
  const std::int64_t key = best_key_.load();
  // A returned request closes this loop's candidate even if it is younger than the asker's,
  // but not a fresh connection: the newcomer on a loop with no other candidate would close
  // itself. The count then stays over the limit, within shed_slack(), until the next make_room().
  if (victim != nullptr && (key < request.than || (request.returned && key < kFreshRank))) {
    evict(*victim);
  } else if (!request.returned) {
    request.from->shed({key, this, true});
  }
}

std::size_t Loop::shed_slack() const {
  return std::max<std::size_t>(server_.loops.size(), server_.options.max_connections / 8);
}

bool Loop::nearly_full() const {
  return server_.open.load() * 4 >= server_.options.max_connections * 3;
}

bool Loop::evict_least_progress() {
  Connection* victim = least_progress();
  if (victim == nullptr) return false;
  evict(*victim);
  return true;
}

void Loop::evict(Connection& victim) {
  close(victim);
  connections_.erase(victim.id);
  least_progress();  // publishes the next candidate
}

// The connection that has made the least progress, which gives way first: the oldest
// unfinished request head or TLS handshake (a slow client's), else the one idle the longest,
// else one just accepted that has had no time to send (kFreshFor). Never one being answered
// (waiting for or writing its reply) or lingering after one. Publishes its key in best_key_
// (rank, then age; kNone: none) for the other loops to compare.
Connection* Loop::least_progress() {
  const auto now = Clock::now();
  const auto fresh_for = std::min<Clock::duration>(kFreshFor, server_.options.request_timeout / 4);
  auto key = [&](const Connection& c) -> std::int64_t {
    if (c.state == State::kReading && c.idle)
      return c.in.empty() ? kRank + nanoseconds(c.idle_since) : kNone;
    if (c.state != State::kHandshake && c.state != State::kReading) return kNone;
    const auto started = c.deadline - server_.options.request_timeout;
    return (now - started < fresh_for ? kFreshRank : 0) + nanoseconds(started);
  };
  Connection* victim = nullptr;
  std::int64_t victim_key = kNone;
  for (auto& [id, c] : connections_) {
    const std::int64_t k = key(*c);
    if (k < victim_key) victim = c.get(), victim_key = k;
  }
  best_key_.store(victim_key);
  return victim;
}

}  // namespace tcorg::http::detail
