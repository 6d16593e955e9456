// sim/workload/kv_codec.h — the byte encodings of the key-value state machine:
// commands (log entry payloads and read queries) and snapshots.
//
// Command: one tag byte ('G' get, 'P' put, 'A' append, 'C' cas), then
// varint client id, varint request id, then the key, and for put/append the
// value, for cas the expected value then the new value; each string is a
// varint length followed by its bytes. The ids make every command unique
// and let a reply be mapped back to its client operation.
//
// Snapshot: "KV1", varint count, then (key, value) string pairs in strictly
// increasing key order — one encoding per state, so equal states give
// equal bytes.
//
// Varints are LEB128 (7 bits per byte, low first, at most 10 bytes).
// Decoders validate everything and return InvalidArgument on bad bytes.
//
// Value types; thread-compatible.

#ifndef RAFTSIM_SIM_WORKLOAD_KV_CODEC_H_
#define RAFTSIM_SIM_WORKLOAD_KV_CODEC_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace raftsim::sim {

enum class KvOp : uint8_t { kGet, kPut, kAppend, kCas };

struct KvCommand {
  KvOp op = KvOp::kGet;
  uint64_t client = 0;
  uint64_t request = 0;
  std::string key;
  std::string value;     // put / append: the argument; cas: the new value.
  std::string expected;  // cas only.

  friend bool operator==(const KvCommand&, const KvCommand&) = default;
};

std::string EncodeCommand(const KvCommand& command);
absl::StatusOr<KvCommand> DecodeCommand(std::string_view bytes);

using KvMap = std::map<std::string, std::string>;
std::string EncodeSnapshot(const KvMap& state);
absl::StatusOr<KvMap> DecodeSnapshot(std::string_view bytes);

}  // namespace raftsim::sim

#endif  // RAFTSIM_SIM_WORKLOAD_KV_CODEC_H_
