#include "exporter/log/field.h"

#include <charconv>
#include <cmath>

namespace tcorg::log {

Field::Field(std::string_view k, double v) : key(k) {
  // JSON has no NaN or Inf: those stay strings; finite values are written bare, shortest form.
  if (!std::isfinite(v)) {
    value = std::isnan(v) ? "NaN" : (v > 0 ? "+Inf" : "-Inf");
    return;
  }
  char buf[32];
  const auto res = std::to_chars(buf, buf + sizeof buf, v);
  value.assign(buf, res.ptr);
  quoted = false;
}

}  // namespace tcorg::log
