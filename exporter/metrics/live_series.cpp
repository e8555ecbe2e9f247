#include "exporter/metrics/live_series.h"

#include <prometheus/text_serializer.h>

#include <algorithm>
#include <bit>
#include <cstdint>

namespace tcorg::metrics {
namespace {

using prometheus::ClientMetric;
using prometheus::MetricFamily;

// Bitwise, so that a NaN equals itself and equal values always print the same.
bool same(double a, double b) {
  return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b);
}

bool same(const ClientMetric& a, const ClientMetric& b) {
  const auto& ha = a.histogram;
  const auto& hb = b.histogram;
  const auto& sa = a.summary;
  const auto& sb = b.summary;
  return a.label == b.label && same(a.counter.value, b.counter.value) &&
         same(a.gauge.value, b.gauge.value) && same(a.untyped.value, b.untyped.value) &&
         a.timestamp_ms == b.timestamp_ms && ha.sample_count == hb.sample_count &&
         same(ha.sample_sum, hb.sample_sum) &&
         std::equal(ha.bucket.begin(), ha.bucket.end(), hb.bucket.begin(), hb.bucket.end(),
                    [](const auto& x, const auto& y) {
                      return x.cumulative_count == y.cumulative_count &&
                             same(x.upper_bound, y.upper_bound);
                    }) &&
         sa.sample_count == sb.sample_count && same(sa.sample_sum, sb.sample_sum) &&
         std::equal(sa.quantile.begin(), sa.quantile.end(), sb.quantile.begin(), sb.quantile.end(),
                    [](const auto& x, const auto& y) {
                      return same(x.quantile, y.quantile) && same(x.value, y.value);
                    });
}

bool same(const std::vector<MetricFamily>& a, const std::vector<MetricFamily>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const auto& x, const auto& y) {
    return x.name == y.name && x.help == y.help && x.type == y.type &&
           std::equal(x.metric.begin(), x.metric.end(), y.metric.begin(), y.metric.end(),
                      [](const auto& m, const auto& n) { return same(m, n); });
  });
}

}  // namespace

std::shared_ptr<const std::string> LiveSeries::current(std::unique_lock<std::mutex>& lock,
                                                       std::uint64_t version, bool may_wait) {
  for (;;) {
    const bool same_version = text_ && version == version_;
    if (same_version && Clock::now() - collected_ < max_age_) return text_;
    // Another scrape is refreshing. Its result may be newer, but within the window's promise
    // the current text will do; after a publish, or with no window, wait for it.
    if (refreshing_ && same_version && max_age_ > Clock::duration::zero()) return text_;
    if (!may_wait) return nullptr;
    if (!refreshing_) break;
    refreshed_.wait(lock);
  }
  refreshing_ = true;
  const bool had_text = text_ != nullptr;
  lock.unlock();
  const auto started = Clock::now();
  std::shared_ptr<const std::string> text;
  {
    // Relocks and ends the refresh on every way out, a throwing Collect() too, so no waiter hangs.
    struct EndRefresh {
      LiveSeries& self;
      std::unique_lock<std::mutex>& lock;
      ~EndRefresh() {
        lock.lock();
        self.refreshing_ = false;
        self.refreshed_.notify_all();
      }
    } end{*this, lock};
    auto families = source_.Collect();
    if (!had_text || !same(families, families_)) {
      text = std::make_shared<const std::string>(prometheus::TextSerializer().Serialize(families));
      families_ = std::move(families);
    }
  }
  collected_ = started;
  version_ = version;
  if (text) text_ = std::move(text);
  return text_;
}

std::shared_ptr<const std::string> LiveSeries::text(std::uint64_t version, bool may_wait) {
  std::unique_lock lock(mu_);
  return current(lock, version, may_wait);
}

std::shared_ptr<const GzipFrame> LiveSeries::gzip_frame(
    const std::shared_ptr<const OrgExposition>& org, std::uint64_t version, bool may_wait) {
  std::unique_lock lock(mu_);
  auto text = current(lock, version, may_wait);
  if (!text) return nullptr;
  if (gzip_ && gzip_text_ == text && gzip_org_.lock() == org) return gzip_;
  if (!may_wait) return nullptr;
  lock.unlock();
  // Compressing the live part (~100 us): outside the lock. Two scrapes may both do it.
  auto frame = std::make_shared<const GzipFrame>(metrics::gzip_frame(*text, org->deflated));
  lock.lock();
  if (text_ == text) {
    gzip_ = frame;
    gzip_text_ = text;
    gzip_org_ = org;
  }
  return frame;
}

}  // namespace tcorg::metrics
