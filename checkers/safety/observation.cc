// checkers/safety/observation.cc — entry digests and durable lookups.

#include "checkers/safety/observation.h"

namespace raftsim::checkers {

uint64_t EntryDigest(uint8_t kind, std::string_view payload) {
  // FNV-1a over the kind byte, then the payload bytes: the digest the
  // simulator records for every apply (sim/world/node_host.cc), so applied
  // entries and log entries compare directly.
  uint64_t h = 0xcbf29ce484222325ULL;
  h = (h ^ kind) * 0x100000001b3ULL;
  for (const char c : payload) {
    h = (h ^ static_cast<uint8_t>(c)) * 0x100000001b3ULL;
  }
  return h;
}

bool DurablyHolds(const NodeView& node, LogIndex index, Term term) {
  const LogIndex snap = node.durable_snapshot_index();
  if (index < snap) return true;
  if (index == snap) return node.durable_snapshot_term() == term;
  const std::optional<Term> t = node.DurableTermAt(index);
  return t.has_value() && *t == term;
}

}  // namespace raftsim::checkers
