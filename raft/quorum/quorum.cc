// raft/quorum/quorum.cc — Describe for VoteResult.

#include "raft/quorum/quorum.h"

namespace raftsim::raft::quorum {

std::string_view Describe(VoteResult result) {
  switch (result) {
    case VoteResult::kPending:
      return "pending";
    case VoteResult::kLost:
      return "lost";
    case VoteResult::kWon:
      return "won";
  }
  return "invalid";
}

}  // namespace raftsim::raft::quorum
