// raft/types.h — small value types shared by the whole Raft core.
//
// Re-exports the strong ids from base/ and defines the payload buffer, the
// node role and the hard state (Raft Figure 2, "persistent state on all
// servers"). Value types; thread-compatible.

#ifndef RAFTSIM_RAFT_TYPES_H_
#define RAFTSIM_RAFT_TYPES_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "base/strong_id.h"

namespace raftsim::raft {

using ::raftsim::kNoNode;
using ::raftsim::LogIndex;
using ::raftsim::NodeId;
using ::raftsim::Term;

// An immutable, shared byte buffer. Copying a Payload shares the bytes (one
// reference-count increment), so an entry that travels from the proposal to
// the log, the persist batch, several AppendEntries and the apply batch is
// allocated once. Thread-safe to copy (std::shared_ptr semantics).
class Payload {
 public:
  Payload() = default;
  explicit Payload(std::string bytes)
      : bytes_(bytes.empty()
                   ? nullptr
                   : std::make_shared<const std::string>(std::move(bytes))) {}

  std::string_view view() const {
    return bytes_ ? std::string_view(*bytes_) : std::string_view();
  }
  size_t size() const { return bytes_ ? bytes_->size() : 0; }
  bool empty() const { return size() == 0; }

  friend bool operator==(const Payload& a, const Payload& b) {
    return a.view() == b.view();
  }

 private:
  std::shared_ptr<const std::string> bytes_;  // nullptr when empty.
};

// A server's role (Raft §5.1, plus the pre-candidate of thesis §9.6).
enum class Role : uint8_t { kFollower, kPreCandidate, kCandidate, kLeader };
std::string_view RoleName(Role role);

// Raft Figure 2, persistent state on all servers, plus the commit index
// (persisting it lets a restarted node apply without waiting for a leader;
// it is a hint, never ahead of a quorum).
struct HardState {
  Term term;         // Latest term this server has seen.
  NodeId voted_for;  // Candidate voted for in `term`, or kNoNode.
  LogIndex commit;   // Highest index known committed.

  friend bool operator==(const HardState&, const HardState&) = default;
  std::string Describe() const;  // "term=t3 vote=n2 commit=i7"
};

}  // namespace raftsim::raft

#endif  // RAFTSIM_RAFT_TYPES_H_
