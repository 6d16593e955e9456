// checkers/linearizability/string_states.h — the exact abstract states of a
// string register (internal to the linearizability checker).
//
// Given the set O of "observed" strings (values some operation compares the
// register against), every reachable value is either a prefix of some string
// in O — a node of the trie of O — or not, in which case no sequence of
// appends can make it equal to a string in O again: all such values behave
// the same for gets, cas and appends and are one state, kJunk. So a state is
// an int32 and equality with an observed string is integer equality.
//
// Single-threaded; not thread-safe.

#ifndef RAFTSIM_CHECKERS_LINEARIZABILITY_STRING_STATES_H_
#define RAFTSIM_CHECKERS_LINEARIZABILITY_STRING_STATES_H_

#include <cstdint>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"

namespace raftsim::checkers::internal {

class StringStates {
 public:
  static constexpr int32_t kJunk = -1;
  static constexpr int32_t kEmpty = 0;  // The initial value "".

  StringStates() = default;

  // Adds `s` (and so all its prefixes) to the observed strings.
  // REQUIRES: no call to Walk has been made yet.
  void AddObserved(absl::string_view s);

  // The state of value(state) + suffix. Walk(kJunk, ...) is kJunk.
  int32_t Walk(int32_t state, absl::string_view suffix) const;

  // The state of the value `s`.
  int32_t Of(absl::string_view s) const { return Walk(kEmpty, s); }

  int32_t num_nodes() const { return num_nodes_; }

 private:
  static uint64_t EdgeKey(int32_t node, char c) {
    return (static_cast<uint64_t>(node) << 8) | static_cast<unsigned char>(c);
  }

  int32_t num_nodes_ = 1;
  // (node, byte) -> child node. Lookups only: never iterated.
  absl::flat_hash_map<uint64_t, int32_t> children_;
};

inline void StringStates::AddObserved(absl::string_view s) {
  int32_t node = kEmpty;
  for (const char c : s) {
    auto [it, inserted] = children_.try_emplace(EdgeKey(node, c), num_nodes_);
    if (inserted) ++num_nodes_;
    node = it->second;
  }
}

inline int32_t StringStates::Walk(int32_t state,
                                  absl::string_view suffix) const {
  for (const char c : suffix) {
    if (state == kJunk) return kJunk;
    auto it = children_.find(EdgeKey(state, c));
    state = it == children_.end() ? kJunk : it->second;
  }
  return state;
}

}  // namespace raftsim::checkers::internal

#endif  // RAFTSIM_CHECKERS_LINEARIZABILITY_STRING_STATES_H_
