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

void LiveSeries::refresh_locked(std::uint64_t version) {
  const auto now = Clock::now();
  if (text_ && version == version_ && now - collected_ < max_age_) return;
  collected_ = now;
  version_ = version;
  auto families = source_.Collect();
  if (text_ && same(families, families_)) return;
  text_ = std::make_shared<const std::string>(prometheus::TextSerializer().Serialize(families));
  families_ = std::move(families);
  frame_ = nullptr;
}

std::shared_ptr<const std::string> LiveSeries::text(std::uint64_t version) {
  std::lock_guard lock(mu_);
  refresh_locked(version);
  return text_;
}

std::shared_ptr<const GzipFrame> LiveSeries::gzip_frame(
    const std::shared_ptr<const OrgExposition>& org, std::uint64_t version) {
  std::lock_guard lock(mu_);
  refresh_locked(version);
  if (!frame_ || frame_org_.lock() != org) {
    frame_ = std::make_shared<const GzipFrame>(metrics::gzip_frame(*text_, org->deflated));
    frame_org_ = org;
  }
  return frame_;
}

}  // namespace tcorg::metrics
