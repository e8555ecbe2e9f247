#pragma once

// Counting YAML documents without yaml-cpp's LoadAll, which never returns on some inputs: with
// yaml-cpp 0.7 a stray "," yields empty documents forever, none consuming anything, until
// memory runs out. Here the parser takes at most two steps.

#include <string>

namespace tcorg::web {

// "<path>:<line>: ..." when `text` holds a second document (or a token the parser cannot get
// past); empty when it holds at most one. Throws YAML::ParserException on invalid YAML.
std::string second_document(const std::string& text, const std::string& path);

}  // namespace tcorg::web
