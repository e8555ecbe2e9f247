#include "exporter/log/logger.h"

#include <iostream>
#include <mutex>

#include "exporter/log/format.h"

namespace tcorg::log {

struct Logger::Sink {
  Sink(std::ostream& o, Format f, Clock c) : out(&o), format(f), clock(std::move(c)) {}
  std::ostream* out;
  Format format;
  Clock clock;
  std::mutex mu;
};

Logger::Logger(Level level, Format format) : Logger(level, format, std::cerr) {}

Logger::Logger(Level level, Format format, std::ostream& out, Clock clock)
    : level_(level),
      sink_(std::make_shared<Sink>(
          out, format, clock ? std::move(clock) : Clock(std::chrono::system_clock::now))),
      context_(std::make_shared<const std::vector<Field>>()) {}

Logger Logger::with(std::initializer_list<Field> fields) const {
  Logger child = *this;
  auto context = std::make_shared<std::vector<Field>>(*context_);
  context->insert(context->end(), fields.begin(), fields.end());
  child.context_ = std::move(context);
  return child;
}

void Logger::log(Level level, std::string_view msg, std::initializer_list<Field> fields) const {
  write(level, msg, fields.begin(), fields.size());
}

void Logger::log(Level level, std::string_view msg, const std::vector<Field>& fields) const {
  write(level, msg, fields.data(), fields.size());
}

void Logger::write(Level level, std::string_view msg, const Field* fields,
                   std::size_t count) const {
  if (!enabled(level)) return;
  const std::string line =
      format_line(sink_->format, Record{sink_->clock(), level, msg, fields, count, context_.get()});
  // One write per line under the lock, so lines from several threads never interleave.
  std::lock_guard lock(sink_->mu);
  sink_->out->write(line.data(), static_cast<std::streamsize>(line.size()));
  sink_->out->flush();
}

}  // namespace tcorg::log
