#include "exporter/common/printable.h"

#include <gtest/gtest.h>

#include <string>

namespace tcorg {
namespace {

TEST(Printable, CutsAtMaxAndSaysSo) {
  EXPECT_EQ(printable("abcdef", 6, NonAscii::kKeep), "abcdef");
  EXPECT_EQ(printable("abcdefg", 6, NonAscii::kKeep), "abcdef...");
  EXPECT_EQ(printable("", 6, NonAscii::kMask), "");
}

TEST(Printable, MasksControlCharactersAndDel) {
  EXPECT_EQ(printable(std::string("a\nb\x1b[2J\0c\x7f", 10), 80, NonAscii::kKeep), "a?b?[2J?c?");
}

TEST(Printable, NonAsciiKeptOrMasked) {
  EXPECT_EQ(printable("caf\xc3\xa9", 80, NonAscii::kKeep), "caf\xc3\xa9");
  EXPECT_EQ(printable("caf\xc3\xa9", 80, NonAscii::kMask), "caf??");
}

}  // namespace
}  // namespace tcorg
