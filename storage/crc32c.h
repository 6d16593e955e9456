// storage/crc32c.h — CRC-32C (Castagnoli), the checksum of every WAL record.
//
// Table-driven (slicing-by-8), because the Abseil in this tree (20220623)
// has no absl/crc; docs/storage.md says why no other library is used.
// Mask/Unmask follow LevelDB: a CRC stored next to data that itself holds
// CRCs (a WAL record inside an entry's payload) is masked so that the CRC
// of a string containing embedded CRCs is not degenerate.
//
// Pure functions; thread-safe.

#ifndef RAFTSIM_STORAGE_CRC32C_H_
#define RAFTSIM_STORAGE_CRC32C_H_

#include <cstdint>

#include "absl/strings/string_view.h"

namespace raftsim::storage::crc32c {

// The CRC-32C of `data` continuing from `crc` (the CRC of what came
// before; 0 for none): Extend(Extend(0, a), b) == Value(a + b).
uint32_t Extend(uint32_t crc, absl::string_view data);
inline uint32_t Value(absl::string_view data) { return Extend(0, data); }

inline constexpr uint32_t kMaskDelta = 0xa282ead8u;
inline uint32_t Mask(uint32_t crc) {
  return ((crc >> 15) | (crc << 17)) + kMaskDelta;
}
inline uint32_t Unmask(uint32_t masked) {
  const uint32_t rot = masked - kMaskDelta;
  return (rot >> 17) | (rot << 15);
}

}  // namespace raftsim::storage::crc32c

#endif  // RAFTSIM_STORAGE_CRC32C_H_
