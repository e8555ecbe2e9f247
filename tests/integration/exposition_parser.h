#pragma once

// Reads the Prometheus text format back into samples, for end-to-end assertions.

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tcorg::testing {

struct Sample {
  std::string name;
  std::map<std::string, std::string> labels;
  double value = 0;
};

class Exposition {
 public:
  static Exposition parse(const std::string& text);

  // Every sample of `name` whose labels include all of `match`.
  std::vector<Sample> find(const std::string& name,
                           const std::map<std::string, std::string>& match = {}) const;
  // The value of the one sample that matches; nullopt if none or several.
  std::optional<double> value(const std::string& name,
                              const std::map<std::string, std::string>& match = {}) const;
  const std::vector<Sample>& samples() const { return samples_; }

 private:
  std::vector<Sample> samples_;
};

}  // namespace tcorg::testing
