#pragma once

// Logger: structured lines in logfmt or JSON, filtered by level, like Prometheus' go-kit/slog
// loggers: `logger.info("collection failed", {{"collector", "members"}, {"err", e}})` writes
//   ts=2026-11-23T16:00:00.123Z level=info msg="collection failed" collector=members err="..."
// A Logger is a cheap copyable handle to one shared sink; `with()` makes a child that adds fields
// to every line. Thread-safe: each line is built first, then written whole under the sink's mutex.
// There is no global logger: main creates one and passes it down.

#include <chrono>
#include <functional>
#include <initializer_list>
#include <iosfwd>
#include <memory>
#include <string_view>
#include <vector>

#include "exporter/log/field.h"
#include "exporter/log/level.h"

namespace tcorg::log {

class Logger {
 public:
  using Clock = std::function<std::chrono::system_clock::time_point()>;

  // `out` must outlive every copy of the logger. Default: std::cerr, the system clock.
  explicit Logger(Level level = Level::kInfo, Format format = Format::kLogfmt);
  Logger(Level level, Format format, std::ostream& out, Clock clock = {});

  // A logger writing to the same sink that puts `fields` after msg on every line.
  Logger with(std::initializer_list<Field> fields) const;

  bool enabled(Level level) const { return level >= level_; }
  Level level() const { return level_; }

  void log(Level level, std::string_view msg, std::initializer_list<Field> fields = {}) const;
  void log(Level level, std::string_view msg, const std::vector<Field>& fields) const;
  void debug(std::string_view msg, std::initializer_list<Field> fields = {}) const {
    log(Level::kDebug, msg, fields);
  }
  void info(std::string_view msg, std::initializer_list<Field> fields = {}) const {
    log(Level::kInfo, msg, fields);
  }
  void warn(std::string_view msg, std::initializer_list<Field> fields = {}) const {
    log(Level::kWarn, msg, fields);
  }
  void error(std::string_view msg, std::initializer_list<Field> fields = {}) const {
    log(Level::kError, msg, fields);
  }

 private:
  struct Sink;
  void write(Level level, std::string_view msg, const Field* fields, std::size_t count) const;

  Level level_;
  std::shared_ptr<Sink> sink_;
  std::shared_ptr<const std::vector<Field>> context_;
};

}  // namespace tcorg::log
