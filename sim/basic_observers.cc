// sim/basic_observers.cc — see basic_observers.h. Single-threaded.

#include "sim/basic_observers.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "raft/types.h"

namespace raftsim::sim {

std::optional<Violation> ElectionSafety::AfterEvent(
    const WorldView& world, absl::Span<const TraceRecord> records) {
  for (const TraceRecord& r : records) {
    if (r.kind != TraceKind::kRole ||
        r.a != static_cast<int64_t>(raft::Role::kLeader)) {
      continue;
    }
    auto [it, inserted] = leader_of_term_.emplace(r.b, r.node);
    if (!inserted && it->second != r.node) {
      return Violation{std::string(name()),
                       absl::StrCat("two leaders in term t", r.b, ": n",
                                    it->second + 1, " and n", r.node + 1)};
    }
  }
  return std::nullopt;
}

std::optional<Violation> ApplyAgreement::AfterEvent(
    const WorldView& world, absl::Span<const TraceRecord> records) {
  if (last_applied_.empty()) {
    last_applied_.assign(static_cast<size_t>(world.node_count()), 0);
  }
  for (const TraceRecord& r : records) {
    if (r.node < 0) continue;
    int64_t& last = last_applied_[static_cast<size_t>(r.node)];
    switch (r.kind) {
      case TraceKind::kCrash:
        last = -1;
        break;
      case TraceKind::kRestore:
        last = r.a;
        break;
      case TraceKind::kApply: {
        if (last >= 0 && r.a != last + 1) {
          return Violation{
              std::string(name()),
              absl::StrCat("n", r.node + 1, " applied i", r.a,
                           " right after i", last, " (gap or repeat)")};
        }
        last = r.a;
        const size_t index = static_cast<size_t>(r.a);
        if (by_index_.size() <= index) by_index_.resize(index + 1);
        Applied& seen = by_index_[index];
        if (seen.term == 0) {
          seen = {r.b, r.c, r.node};
        } else if (seen.term != r.b || seen.digest != r.c) {
          return Violation{
              std::string(name()),
              absl::StrFormat("n%d applied i%d@t%d (digest %016x) but n%d "
                              "applied i%d@t%d (digest %016x)",
                              r.node + 1, r.a, r.b,
                              static_cast<uint64_t>(r.c), seen.node + 1, r.a,
                              seen.term, static_cast<uint64_t>(seen.digest))};
        }
        break;
      }
      default:
        break;
    }
  }
  return std::nullopt;
}

}  // namespace raftsim::sim
