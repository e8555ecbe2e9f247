// Cost of /metrics at 1k, 10k and 50k members: publishing a cycle (rendering the organization's
// series and compressing them, once per cycle) and one scrape's body, plain and gzip. Scrapes in
// a burst share one collect of the live series (Scrape*); Collected: the live series collected
// for the scrape but unchanged (serialized bytes reused); LiveChanged: an API call counted
// before every scrape, as during a sweep (collected, serialized and compressed again). The
// WholeBody variants are the reference, the previous path: everything serialized and
// concatenated per scrape, and all of it gzipped for gzip.

#include <benchmark/benchmark.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <chrono>
#include <memory>
#include <string>

#include "exporter/api/api.h"
#include "exporter/metrics/api_metrics.h"
#include "exporter/metrics/exposition.h"
#include "exporter/metrics/gzip.h"
#include "exporter/metrics/store.h"

namespace {

using tcorg::metrics::Body;

// N members spread over 20 nodes, with names and remarks like a real organization's.
tcorg::collectors::CycleResult members(int n) {
  tcorg::collectors::MembersSnapshot s;
  for (int i = 0; i < 20; ++i) {
    s.nodes.push_back({3000 + i, "unit-" + std::to_string(i), i == 0 ? 0 : 3000, n / 20});
  }
  for (int i = 0; i < n; ++i) {
    tcorg::api::MemberDetail m;
    m.uin = 100000000 + i;
    m.name = "member-" + std::to_string(m.uin);
    m.remark = "team " + std::to_string(i % 97);
    m.join_time = 1700000000 + i;
    m.node_id = 3000 + i % 20;
    m.node_name = "unit-" + std::to_string(i % 20);
    m.parent_node_id = i % 20 == 0 ? 0 : 3000;
    s.members.push_back(std::move(m));
  }
  return {std::make_shared<const tcorg::collectors::Snapshot>(std::move(s)), std::nullopt};
}

// The exporter's registry and store after one members cycle, with a few API calls counted.
struct Exporter {
  prometheus::Registry registry;
  tcorg::metrics::ApiMetrics api{registry};
  tcorg::metrics::Store store{
      registry, {{"invitations", 60}, {"members", 600}}, [] { return 1.7e9; }};
  tcorg::metrics::Exposition exposition;

  explicit Exporter(int n,
                    std::chrono::nanoseconds live_max_age = tcorg::metrics::Exposition::kLiveMaxAge)
      : exposition(store, registry, live_max_age) {
    tcorg::metrics::register_build_info(registry, "0.1.0", "0123456789ab");
    for (auto action : tcorg::api::action::kAll) {
      for (int i = 0; i < 100; ++i) api.on_attempt(action, 0.001 * i, nullptr);
    }
    store.publish("members", members(n), 12.5);
  }
};

// What writing the body to a socket reads of it, without the socket.
std::size_t consume(const Body& body) {
  std::size_t sum = 0;
  for (std::string_view part : body.parts()) {
    benchmark::DoNotOptimize(part.data());
    sum += part.size();
  }
  return sum;
}

void BM_Publish(benchmark::State& state) {
  Exporter e(0);
  const auto result = members(static_cast<int>(state.range(0)));
  for (auto _ : state) e.store.publish("members", result, 12.5);
  const auto org = e.store.org();
  state.counters["text_bytes"] = static_cast<double>(org->text.size());
  state.counters["gzip_bytes"] = static_cast<double>(org->deflated.data.size());
}

void BM_ScrapePlain(benchmark::State& state) {
  Exporter e(static_cast<int>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(consume(e.exposition.body(false)));
}

void BM_ScrapeGzip(benchmark::State& state) {
  Exporter e(static_cast<int>(state.range(0)));
  std::size_t size = 0;
  for (auto _ : state) benchmark::DoNotOptimize(size = consume(e.exposition.body(true)));
  state.counters["body_bytes"] = static_cast<double>(size);
}

void BM_ScrapeGzipCollected(benchmark::State& state) {
  Exporter e(static_cast<int>(state.range(0)), {});
  for (auto _ : state) benchmark::DoNotOptimize(consume(e.exposition.body(true)));
}

void BM_ScrapeGzipLiveChanged(benchmark::State& state) {
  Exporter e(static_cast<int>(state.range(0)), {});
  for (auto _ : state) {
    e.api.on_attempt(tcorg::api::action::kGetOrganizationMember, 0.2, nullptr);
    benchmark::DoNotOptimize(consume(e.exposition.body(true)));
  }
}

std::string whole_body(const Exporter& e) {
  std::string body = prometheus::TextSerializer().Serialize(e.registry.Collect());
  body += e.store.org()->text;
  return body;
}

void BM_ScrapePlainWholeBody(benchmark::State& state) {
  Exporter e(static_cast<int>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(whole_body(e));
}

void BM_ScrapeGzipWholeBody(benchmark::State& state) {
  Exporter e(static_cast<int>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(tcorg::metrics::gzip(whole_body(e)));
}

void sizes(benchmark::internal::Benchmark* b) {
  b->Arg(1000)->Arg(10000)->Arg(50000)->Unit(benchmark::kMicrosecond);
}
BENCHMARK(BM_Publish)->Apply(sizes)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ScrapePlain)->Apply(sizes);
BENCHMARK(BM_ScrapeGzip)->Apply(sizes);
BENCHMARK(BM_ScrapeGzipCollected)->Apply(sizes);
BENCHMARK(BM_ScrapeGzipLiveChanged)->Apply(sizes);
BENCHMARK(BM_ScrapePlainWholeBody)->Apply(sizes);
BENCHMARK(BM_ScrapeGzipWholeBody)->Apply(sizes);

}  // namespace

BENCHMARK_MAIN();
