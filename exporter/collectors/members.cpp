#include "exporter/collectors/members.h"

#include <algorithm>
#include <exception>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <span>
#include <thread>
#include <vector>

#include "exporter/api/pagination.h"
#include "exporter/common/concurrently.h"

namespace tcorg::collectors {
namespace {

// Members whose node is missing from ListOrganizationNodes (a race with a node change) still get
// a node, built from what GetOrganizationMember said about it.
void add_missing_nodes(std::vector<api::Node>& nodes,
                       const std::vector<api::MemberDetail>& members) {
  std::set<std::int64_t> known;
  for (const auto& n : nodes) known.insert(n.node_id);
  for (const auto& m : members) {
    if (known.insert(m.node_id).second)
      nodes.push_back({m.node_id, m.node_name, m.parent_node_id, 0});
  }
}

void count_members_per_node(std::vector<api::Node>& nodes,
                            const std::vector<api::MemberDetail>& members) {
  std::map<std::int64_t, std::int64_t> count;
  for (const auto& m : members) ++count[m.node_id];
  for (auto& n : nodes) n.member_count = count[n.node_id];
}

template <class T>
std::optional<api::ApiError> error_of(const api::Result<T>& result) {
  if (result) return std::nullopt;
  return result.error();
}

// Discovery runs beside the GetOrganizationMember workers: each producer (a listing, or the node
// list) runs on its own thread and queues UINs as pages arrive. A UIN is queued the first time it
// is seen, so the union is fetched once per UIN. The first failure cancels the queue so the
// workers stop after their current call. Thread-safe.
class Discovery {
 public:
  explicit Discovery(std::size_t producers) : queue_(producers) {}

  WorkQueue<std::int64_t>& queue() { return queue_; }

  void offer(std::int64_t uin) {
    std::lock_guard lock(mutex_);
    if (seen_.insert(uin).second) queue_.push(uin);
  }

  // Runs produce() (returning the error that ends discovery, if any) on a new thread.
  template <class Produce>
  std::jthread start(Produce produce) {
    return std::jthread([this, produce = std::move(produce)]() mutable {
      try {
        if (std::optional<api::ApiError> error = produce()) fail(std::move(*error), nullptr);
      } catch (...) {
        fail(std::nullopt, std::current_exception());  // rethrown by error(), after the join
      }
      queue_.producer_done();
    });
  }

  // The failure that ended discovery, if any; rethrows what a producer threw. Call only after
  // every producer thread has been joined.
  std::optional<api::ApiError> error() {
    if (thrown_) std::rethrow_exception(thrown_);
    return error_;
  }

 private:
  void fail(std::optional<api::ApiError> error, std::exception_ptr thrown) {
    {
      std::lock_guard lock(mutex_);
      if (!error_ && !thrown_) {
        error_ = std::move(error);
        thrown_ = std::move(thrown);
      }
    }
    queue_.cancel();
  }

  WorkQueue<std::int64_t> queue_;
  std::mutex mutex_;
  std::set<std::int64_t> seen_;
  std::optional<api::ApiError> error_;
  std::exception_ptr thrown_;
};

}  // namespace

CycleResult MembersCollector::collect(const Snapshot* previous, std::stop_token stop) {
  std::map<std::int64_t, const api::MemberDetail*> last_good;
  if (const auto* prev = previous ? std::get_if<MembersSnapshot>(previous) : nullptr) {
    for (const auto& m : prev->members) last_good[m.uin] = &m;
  }

  // Each action has its own limiter, so the listings and the node list cost the
  // GetOrganizationMember sweep nothing when they run beside it instead of before it.
  Discovery discovery(options_.use_member_list ? 3 : 2);
  for (const std::int64_t uin : options_.static_uins) discovery.offer(uin);
  std::optional<api::NodeList> nodes;
  std::mutex mu;
  MembersSnapshot snapshot;
  std::optional<api::ApiError> first_error;
  {
    std::vector<std::jthread> producers;  // declared after all they use: joined first
    producers.reserve(3);
    producers.push_back(discovery.start([&]() -> std::optional<api::ApiError> {
      auto listed = api_.list_nodes();
      if (!listed) return listed.error();
      nodes = std::move(listed).value();
      return std::nullopt;
    }));
    if (options_.use_member_list) {
      producers.push_back(discovery.start([&] {
        return error_of(api::list_all_members(api_, api::kMaxPageSize, options_.max_in_flight,
                                              [&](std::span<const api::Member> page) {
                                                for (const auto& m : page) discovery.offer(m.uin);
                                              }));
      }));
    }
    producers.push_back(discovery.start([&] {
      return error_of(api::list_all_invitations(
          api_, api::Direction::kSent, api::kMaxPageSize, options_.max_in_flight,
          [&](std::span<const api::Invitation> page) {
            for (const auto& inv : page) {
              if (inv.status == api::invitation_status::kAccepted) discovery.offer(inv.uin);
            }
          }));
    }));

    drain_concurrently(
        discovery.queue(), options_.max_in_flight,
        [&](std::int64_t uin) {
          auto detail = api_.get_member(uin);
          std::lock_guard lock(mu);
          if (detail) {
            snapshot.members.push_back(std::move(detail).value());
          } else if (!detail.error().is_not_found()) {
            if (!first_error) first_error = detail.error();
            if (auto it = last_good.find(uin); it != last_good.end())
              snapshot.members.push_back(*it->second);
          }
        },
        stop);
  }  // joins the producers
  if (auto error = discovery.error()) return {nullptr, std::move(error)};
  if (stop.stop_requested() && !first_error) first_error = api::stopped_error();

  std::sort(snapshot.members.begin(), snapshot.members.end(),
            [](const auto& a, const auto& b) { return a.uin < b.uin; });
  snapshot.nodes = std::move(nodes->nodes);
  add_missing_nodes(snapshot.nodes, snapshot.members);
  count_members_per_node(snapshot.nodes, snapshot.members);
  std::sort(snapshot.nodes.begin(), snapshot.nodes.end(),
            [](const auto& a, const auto& b) { return a.node_id < b.node_id; });
  return {std::make_shared<const Snapshot>(std::move(snapshot)), std::move(first_error)};
}

}  // namespace tcorg::collectors
