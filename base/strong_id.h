// base/strong_id.h — zero-overhead strong integer types for ids.
//
// `Term`, `LogIndex` and `NodeId` are distinct types: a term can never be
// passed where a node id is expected, and only arithmetic that means
// something is defined (an index plus a count, the next term, the distance
// between two indexes as a count). The compile-fail test in
// base/compile_fail_test.sh pins that.
//
// Value types; thread-compatible.

#ifndef RAFTSIM_BASE_STRONG_ID_H_
#define RAFTSIM_BASE_STRONG_ID_H_

#include <compare>
#include <cstdint>
#include <functional>
#include <ostream>
#include <string>
#include <type_traits>

#include "absl/strings/str_cat.h"

namespace raftsim {

// A strongly typed unsigned integer. `Tag` only distinguishes types and names
// the value in `Describe()` (`Tag::kPrefix`, e.g. "t" for terms).
template <typename Tag>
class StrongId {
 public:
  using Rep = uint64_t;

  constexpr StrongId() = default;
  constexpr explicit StrongId(Rep value) : value_(value) {}

  constexpr Rep value() const { return value_; }

  friend constexpr bool operator==(StrongId, StrongId) = default;
  friend constexpr auto operator<=>(StrongId, StrongId) = default;

  // Deterministic one-line form, e.g. "t7", "i42", "n3".
  std::string Describe() const { return absl::StrCat(Tag::kPrefix, value_); }

  friend std::ostream& operator<<(std::ostream& os, StrongId id) {
    return os << Tag::kPrefix << id.value_;
  }

  template <typename H>
  friend H AbslHashValue(H h, StrongId id) {
    return H::combine(std::move(h), id.value_);
  }

 private:
  Rep value_ = 0;
};

struct TermTag {
  static constexpr const char* kPrefix = "t";
};
struct LogIndexTag {
  static constexpr const char* kPrefix = "i";
};
struct NodeIdTag {
  static constexpr const char* kPrefix = "n";
};

// A Raft term (Raft §5.1). Term 0 precedes every election.
using Term = StrongId<TermTag>;
// A position in the replicated log (Raft §5.3). Index 0 is the empty prefix;
// the first real entry is at index 1.
using LogIndex = StrongId<LogIndexTag>;
// A server in the cluster. 0 means "none" (`kNoNode`).
using NodeId = StrongId<NodeIdTag>;

inline constexpr NodeId kNoNode{0};

// Zero overhead: the wrappers are exactly their representation.
static_assert(sizeof(Term) == sizeof(uint64_t));
static_assert(sizeof(LogIndex) == sizeof(uint64_t));
static_assert(sizeof(NodeId) == sizeof(uint64_t));
static_assert(std::is_trivially_copyable_v<Term>);
static_assert(std::is_trivially_copyable_v<LogIndex>);
static_assert(std::is_trivially_copyable_v<NodeId>);
static_assert(!std::is_convertible_v<Term, NodeId>);
static_assert(!std::is_convertible_v<LogIndex, Term>);
static_assert(!std::is_convertible_v<uint64_t, Term>);

// The term after `t` (a candidate increments its term, Raft §5.2).
constexpr Term Next(Term t) { return Term(t.value() + 1); }

// Index arithmetic: an index plus or minus a count of entries is an index;
// the difference between two indexes is a count.
constexpr LogIndex operator+(LogIndex i, uint64_t count) {
  return LogIndex(i.value() + count);
}
constexpr LogIndex operator-(LogIndex i, uint64_t count) {
  return LogIndex(i.value() - count);
}
constexpr uint64_t operator-(LogIndex a, LogIndex b) {
  return a.value() - b.value();
}
constexpr LogIndex& operator+=(LogIndex& i, uint64_t count) {
  i = i + count;
  return i;
}
constexpr LogIndex& operator++(LogIndex& i) { return i += 1; }

}  // namespace raftsim

template <typename Tag>
struct std::hash<raftsim::StrongId<Tag>> {
  size_t operator()(raftsim::StrongId<Tag> id) const {
    return std::hash<uint64_t>()(id.value());
  }
};

#endif  // RAFTSIM_BASE_STRONG_ID_H_
