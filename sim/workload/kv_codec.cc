// sim/workload/kv_codec.cc — see kv_codec.h.

#include "sim/workload/kv_codec.h"

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace raftsim::sim {
namespace {

void PutVarint(uint64_t v, std::string* out) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

void PutString(std::string_view s, std::string* out) {
  PutVarint(s.size(), out);
  out->append(s);
}

// Reads from the front of `in`, consuming what it reads.
class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  bool Varint(uint64_t* v) {
    *v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (in_.empty()) return false;
      const uint8_t byte = static_cast<uint8_t>(in_.front());
      in_.remove_prefix(1);
      if (shift == 63 && byte > 1) return false;  // Overflow.
      *v |= static_cast<uint64_t>(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) return true;
    }
    return false;
  }
  bool String(std::string* s) {
    uint64_t n = 0;
    if (!Varint(&n) || n > in_.size()) return false;
    s->assign(in_.substr(0, n));
    in_.remove_prefix(n);
    return true;
  }
  bool Byte(char* c) {
    if (in_.empty()) return false;
    *c = in_.front();
    in_.remove_prefix(1);
    return true;
  }
  bool done() const { return in_.empty(); }

 private:
  std::string_view in_;
};

absl::Status Bad(std::string_view what) {
  return absl::InvalidArgumentError(std::string(what));
}

}  // namespace

std::string EncodeCommand(const KvCommand& c) {
  static constexpr char kTags[] = {'G', 'P', 'A', 'C'};
  std::string out;
  out.reserve(16 + c.key.size() + c.value.size() + c.expected.size());
  out.push_back(kTags[static_cast<int>(c.op)]);
  PutVarint(c.client, &out);
  PutVarint(c.request, &out);
  PutString(c.key, &out);
  if (c.op == KvOp::kCas) PutString(c.expected, &out);
  if (c.op != KvOp::kGet) PutString(c.value, &out);
  return out;
}

absl::StatusOr<KvCommand> DecodeCommand(std::string_view bytes) {
  Reader r(bytes);
  KvCommand c;
  char tag = 0;
  if (!r.Byte(&tag)) return Bad("empty command");
  switch (tag) {
    case 'G':
      c.op = KvOp::kGet;
      break;
    case 'P':
      c.op = KvOp::kPut;
      break;
    case 'A':
      c.op = KvOp::kAppend;
      break;
    case 'C':
      c.op = KvOp::kCas;
      break;
    default:
      return Bad("unknown command tag");
  }
  if (!r.Varint(&c.client) || !r.Varint(&c.request) || !r.String(&c.key)) {
    return Bad("truncated command header");
  }
  if (c.op == KvOp::kCas && !r.String(&c.expected)) {
    return Bad("truncated cas expected value");
  }
  if (c.op != KvOp::kGet && !r.String(&c.value)) {
    return Bad("truncated command value");
  }
  if (!r.done()) return Bad("trailing bytes after command");
  return c;
}

std::string EncodeSnapshot(const KvMap& state) {
  std::string out = "KV1";
  PutVarint(state.size(), &out);
  for (const auto& [key, value] : state) {  // std::map: sorted keys.
    PutString(key, &out);
    PutString(value, &out);
  }
  return out;
}

absl::StatusOr<KvMap> DecodeSnapshot(std::string_view bytes) {
  if (bytes.substr(0, 3) != "KV1") return Bad("snapshot lacks the KV1 magic");
  Reader r(bytes.substr(3));
  uint64_t count = 0;
  if (!r.Varint(&count)) return Bad("truncated snapshot count");
  KvMap state;
  std::string key, value;
  for (uint64_t i = 0; i < count; ++i) {
    if (!r.String(&key) || !r.String(&value)) {
      return Bad("truncated snapshot pair");
    }
    if (!state.empty() && key <= state.rbegin()->first) {
      return Bad("snapshot keys are not strictly increasing");
    }
    state.emplace_hint(state.end(), std::move(key), std::move(value));
  }
  if (!r.done()) return Bad("trailing bytes after snapshot");
  return state;
}

}  // namespace raftsim::sim
