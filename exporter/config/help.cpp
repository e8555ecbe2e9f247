// --help and --version texts, generated from the flag table so they cannot drift from it.

#include <algorithm>
#include <vector>

#include "exporter/config/flag_table.h"
#include "exporter/config/flags.h"

namespace tcorg::config {

namespace {

constexpr std::size_t kWidth = 100;
constexpr std::string_view kIndent = "      ";

// Appends `text` word-wrapped to kWidth columns, every line indented.
void append_wrapped(std::string& out, std::string_view text) {
  std::size_t column = 0;
  while (!text.empty()) {
    const std::size_t space = text.find(' ');
    const std::string_view word = text.substr(0, space);
    text.remove_prefix(space == std::string_view::npos ? text.size() : space + 1);
    if (column > 0 && column + 1 + word.size() > kWidth) {
      out += '\n';
      column = 0;
    }
    if (column == 0) {
      out += kIndent;
      column = kIndent.size();
    } else {
      out += ' ';
      ++column;
    }
    out += word;
    column += word.size();
  }
  out += '\n';
}

void append_flag(std::string& out, const FlagSpec& f) {
  out += "  --";
  if (f.kind == FlagKind::kBool) out += "[no-]";
  out += f.name;
  if (f.kind != FlagKind::kBool) {
    out += '=';
    out += f.placeholder;
    if (f.kind == FlagKind::kRepeated) out += " ...";
  }
  out += '\n';
  std::string description(f.help);
  if (!f.default_text.empty()) description += " (default: " + std::string(f.default_text) + ")";
  append_wrapped(out, description);
}

}  // namespace

std::string help_text() {
  std::string out =
      "usage: " + std::string(kProgramName) +
      " [<flags>]\n\n"
      "Prometheus exporter for Tencent Cloud Organization: invitations and members.\n\n"
      "Flags:\n"
      "  -h, --help\n      Show this help and exit.\n"
      "  --version\n      Show the version and exit.\n";
  std::vector<std::string_view> groups;
  for (const FlagSpec& f : flag_table()) {
    if (std::find(groups.begin(), groups.end(), f.group) == groups.end()) groups.push_back(f.group);
  }
  for (std::string_view group : groups) {
    out += '\n';
    out += group;
    out += ":\n";
    for (const FlagSpec& f : flag_table()) {
      if (f.group == group) append_flag(out, f);
    }
  }
  out +=
      "\nEnvironment:\n"
      "  TENCENTCLOUD_SECRET_ID, TENCENTCLOUD_SECRET_KEY\n"
      "      API key; when set, the credentials file is not read.\n"
      "  TENCENTCLOUD_SECURITY_TOKEN (or TENCENTCLOUD_SESSION_TOKEN)\n"
      "      Session token of temporary credentials.\n"
      "  TENCENTCLOUD_CREDENTIALS_FILE\n"
      "      Credentials file, when --tencentcloud.credentials-file is not given.\n";
  return out;
}

std::string version_text(const BuildInfo& build) {
  return std::string(kProgramName) + ", version " + std::string(build.version) + " (revision " +
         std::string(build.revision) + ")\n";
}

}  // namespace tcorg::config
