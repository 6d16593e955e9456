// storage/crc32c_test.cc — CRC-32C against published check values.

#include "storage/crc32c.h"

#include <string>

#include "gtest/gtest.h"

namespace raftsim::storage::crc32c {
namespace {

// RFC 3720 appendix B.4 test vectors and the CRC catalogue's check value.
TEST(Crc32c, MatchesPublishedVectors) {
  EXPECT_EQ(Value("123456789"), 0xe3069283u);
  EXPECT_EQ(Value(std::string(32, '\0')), 0x8a9136aau);
  EXPECT_EQ(Value(std::string(32, '\xff')), 0x62a8ab43u);
  std::string ascending;
  for (int i = 0; i < 32; ++i) ascending.push_back(static_cast<char>(i));
  EXPECT_EQ(Value(ascending), 0x46dd794eu);
  std::string descending;
  for (int i = 31; i >= 0; --i) descending.push_back(static_cast<char>(i));
  EXPECT_EQ(Value(descending), 0x113fdb5cu);
}

TEST(Crc32c, ExtendEqualsValueOfTheConcatenation) {
  std::string data;
  for (int i = 0; i < 1000; ++i) data.push_back(static_cast<char>(i * 37));
  for (size_t cut = 0; cut <= data.size(); cut += 7) {
    const absl::string_view v(data);
    EXPECT_EQ(Extend(Value(v.substr(0, cut)), v.substr(cut)), Value(v))
        << "cut at " << cut;
  }
}

TEST(Crc32c, EveryBitFlipChangesTheValue) {
  std::string data(100, 'a');
  const uint32_t base = Value(data);
  for (size_t i = 0; i < data.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      data[i] = static_cast<char>(data[i] ^ (1 << bit));
      EXPECT_NE(Value(data), base) << "byte " << i << " bit " << bit;
      data[i] = static_cast<char>(data[i] ^ (1 << bit));
    }
  }
}

TEST(Crc32c, MaskRoundTripsAndDiffers) {
  const uint32_t crc = Value("foo");
  EXPECT_NE(Mask(crc), crc);
  EXPECT_NE(Mask(Mask(crc)), crc);
  EXPECT_EQ(Unmask(Mask(crc)), crc);
  EXPECT_EQ(Unmask(Unmask(Mask(Mask(crc)))), crc);
}

}  // namespace
}  // namespace raftsim::storage::crc32c
