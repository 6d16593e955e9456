// checkers/observation.cc — entry digests and durable lookups.

#include "checkers/observation.h"

namespace raftsim::checkers {

uint64_t EntryDigest(uint8_t kind, std::string_view payload) {
  uint64_t h = 0xcbf29ce484222325ULL ^ kind;
  for (const char c : payload) {
    h = (h ^ static_cast<uint8_t>(c)) * 0x100000001b3ULL;
  }
  h ^= payload.size();
  // splitmix64 finaliser: spreads FNV's weak low bits.
  h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ULL;
  h = (h ^ (h >> 27)) * 0x94d049bb133111ebULL;
  return h ^ (h >> 31);
}

bool DurablyHolds(const NodeView& node, LogIndex index, Term term) {
  const LogIndex snap = node.durable_snapshot_index();
  if (index < snap) return true;
  if (index == snap) return node.durable_snapshot_term() == term;
  const std::optional<Term> t = node.DurableTermAt(index);
  return t.has_value() && *t == term;
}

}  // namespace raftsim::checkers
