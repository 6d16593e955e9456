// raft/types.cc — names and Describe() for the small value types.

#include "raft/types.h"

#include <string>
#include <string_view>

#include "absl/strings/str_cat.h"

namespace raftsim::raft {
namespace {

// kNoNode reads as "none" rather than "n0" in vote and leader fields.
std::string NodeOrNone(NodeId id) {
  return id == kNoNode ? std::string("none") : id.Describe();
}

}  // namespace

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kFollower:
      return "follower";
    case Role::kPreCandidate:
      return "precandidate";
    case Role::kCandidate:
      return "candidate";
    case Role::kLeader:
      return "leader";
  }
  return "unknown-role";
}

std::string HardState::Describe() const {
  return absl::StrCat("term=", term.Describe(), " vote=", NodeOrNone(voted_for),
                      " commit=", commit.Describe());
}

}  // namespace raftsim::raft
