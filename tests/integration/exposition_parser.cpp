#include "tests/integration/exposition_parser.h"

#include <sstream>
#include <stdexcept>

namespace tcorg::testing {
namespace {

// Parses `{a="x",b="y\"z"}` starting at s[i] == '{'; leaves i after '}'.
std::map<std::string, std::string> parse_labels(const std::string& s, std::size_t& i) {
  std::map<std::string, std::string> labels;
  ++i;
  while (i < s.size() && s[i] != '}') {
    const auto eq = s.find('=', i);
    const std::string key = s.substr(i, eq - i);
    i = eq + 2;  // skip ="
    std::string value;
    while (i < s.size() && s[i] != '"') {
      if (s[i] == '\\' && i + 1 < s.size()) {
        ++i;
        value += s[i] == 'n' ? '\n' : s[i];
      } else {
        value += s[i];
      }
      ++i;
    }
    ++i;  // closing quote
    if (i < s.size() && s[i] == ',') ++i;
    labels[key] = value;
  }
  ++i;
  return labels;
}

}  // namespace

Exposition Exposition::parse(const std::string& text) {
  Exposition e;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    Sample s;
    std::size_t i = line.find_first_of("{ ");
    s.name = line.substr(0, i);
    if (i < line.size() && line[i] == '{') s.labels = parse_labels(line, i);
    s.value = std::stod(line.substr(i + 1));
    e.samples_.push_back(std::move(s));
  }
  return e;
}

std::vector<Sample> Exposition::find(const std::string& name,
                                     const std::map<std::string, std::string>& match) const {
  std::vector<Sample> out;
  for (const auto& s : samples_) {
    if (s.name != name) continue;
    bool ok = true;
    for (const auto& [k, v] : match) {
      auto it = s.labels.find(k);
      ok = ok && it != s.labels.end() && it->second == v;
    }
    if (ok) out.push_back(s);
  }
  return out;
}

std::optional<double> Exposition::value(const std::string& name,
                                        const std::map<std::string, std::string>& match) const {
  const auto found = find(name, match);
  if (found.size() != 1) return std::nullopt;
  return found[0].value;
}

}  // namespace tcorg::testing
