// raft/message.cc — message names, sizes and Describe().

#include "raft/message.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "raft/confchange/conf_change.h"

namespace raftsim::raft {
namespace {

// "i5@t2": an entry position as index@term.
std::string At(LogIndex index, Term term) {
  return absl::StrCat(index.Describe(), "@", term.Describe());
}

// "[]", "[i5]", "[i5..i7]". Entries of a message are contiguous, so the
// first and last index say which they are.
std::string EntryRange(const std::vector<Entry>& entries) {
  if (entries.empty()) return "[]";
  if (entries.size() == 1)
    return absl::StrCat("[", entries[0].index.Describe(), "]");
  return absl::StrCat("[", entries.front().index.Describe(), "..",
                      entries.back().index.Describe(), "]");
}

}  // namespace

std::string_view MessageTypeName(MessageType type) {
  switch (type) {
    case MessageType::kPreVote:
      return "PreVote";
    case MessageType::kPreVoteReply:
      return "PreVoteReply";
    case MessageType::kVote:
      return "Vote";
    case MessageType::kVoteReply:
      return "VoteReply";
    case MessageType::kAppend:
      return "Append";
    case MessageType::kAppendReply:
      return "AppendReply";
    case MessageType::kHeartbeat:
      return "Heartbeat";
    case MessageType::kHeartbeatReply:
      return "HeartbeatReply";
    case MessageType::kSnapshot:
      return "Snapshot";
    case MessageType::kSnapshotReply:
      return "SnapshotReply";
    case MessageType::kTimeoutNow:
      return "TimeoutNow";
  }
  return "UnknownMessage";
}

bool IsRequest(MessageType type) {
  switch (type) {
    case MessageType::kPreVote:
    case MessageType::kVote:
    case MessageType::kAppend:
    case MessageType::kHeartbeat:
    case MessageType::kSnapshot:
    case MessageType::kTimeoutNow:
      return true;
    case MessageType::kPreVoteReply:
    case MessageType::kVoteReply:
    case MessageType::kAppendReply:
    case MessageType::kHeartbeatReply:
    case MessageType::kSnapshotReply:
      return false;
  }
  return false;
}

uint64_t Message::ByteSize() const {
  return kOverheadBytes + TotalBytes(entries) +
         (snapshot ? snapshot->data.size() : 0);
}

std::string Message::Describe() const {
  std::string out =
      absl::StrCat(std::string(MessageTypeName(type)), " ", from.Describe(),
                   "->", to.Describe(), " ", term.Describe());
  // Only the fields the type uses (see message.h), so traces stay short.
  switch (type) {
    case MessageType::kPreVote:
    case MessageType::kVote:
      absl::StrAppend(&out, " last=", At(last_log_index, last_log_term));
      if (transfer) absl::StrAppend(&out, " transfer");
      break;
    case MessageType::kPreVoteReply:
    case MessageType::kVoteReply:
      absl::StrAppend(&out, reject ? " reject" : " grant");
      break;
    case MessageType::kAppend:
      absl::StrAppend(&out, " prev=", At(prev_log_index, prev_log_term),
                      " entries=", EntryRange(entries),
                      " commit=", commit.Describe());
      break;
    case MessageType::kAppendReply:
      if (reject) {
        absl::StrAppend(&out, " reject index=", index.Describe(),
                        " hint=", At(hint_index, hint_term));
      } else {
        absl::StrAppend(&out, " index=", At(index, index_term));
      }
      break;
    case MessageType::kHeartbeat:
      absl::StrAppend(&out, " commit=", commit.Describe(), " ctx=", context);
      if (lease_tick != 0) absl::StrAppend(&out, " lease_tick=", lease_tick);
      break;
    case MessageType::kHeartbeatReply:
      absl::StrAppend(&out, " ctx=", context);
      if (lease_tick != 0) absl::StrAppend(&out, " lease_tick=", lease_tick);
      break;
    case MessageType::kSnapshot:
      absl::StrAppend(&out, " snap=",
                      (snapshot ? At(snapshot->meta.index, snapshot->meta.term)
                                : std::string("none")));
      break;
    case MessageType::kSnapshotReply:
      absl::StrAppend(&out, reject ? " reject" : "",
                      " index=", index.Describe());
      break;
    case MessageType::kTimeoutNow:
      break;
  }
  return out;
}

}  // namespace raftsim::raft

namespace raftsim::raft {

bool operator==(const Message& a, const Message& b) {
  const bool snapshots_equal =
      a.snapshot == b.snapshot ||
      (a.snapshot && b.snapshot && *a.snapshot == *b.snapshot);
  return snapshots_equal && a.type == b.type && a.from == b.from &&
         a.to == b.to && a.term == b.term &&
         a.last_log_index == b.last_log_index &&
         a.last_log_term == b.last_log_term &&
         a.prev_log_index == b.prev_log_index &&
         a.prev_log_term == b.prev_log_term && a.entries == b.entries &&
         a.commit == b.commit && a.reject == b.reject &&
         a.transfer == b.transfer && a.index == b.index &&
         a.hint_term == b.hint_term && a.hint_index == b.hint_index &&
         a.index_term == b.index_term && a.context == b.context &&
         a.lease_tick == b.lease_tick;
}

}  // namespace raftsim::raft

namespace raftsim::raft {
namespace {

absl::Status Malformed(const Message& m, absl::string_view what) {
  return absl::InvalidArgumentError(
      absl::StrCat("malformed ", std::string(MessageTypeName(m.type)), " from ",
                   m.from.Describe(), ": ", what));
}

absl::Status ValidateAppend(const Message& m) {
  if (m.prev_log_term > m.term) {
    return Malformed(m, "prev_log_term is above the message term");
  }
  if (m.prev_log_index.value() > UINT64_MAX - m.entries.size()) {
    return Malformed(m, "entry indexes overflow");
  }
  LogIndex expect = m.prev_log_index + 1;
  Term prev = m.prev_log_term;
  for (const Entry& e : m.entries) {
    if (e.index != expect) {
      return Malformed(m, absl::StrCat("entry ", e.Describe(), " where index ",
                                       expect.Describe(), " was expected"));
    }
    if (e.term < prev || e.term > m.term) {
      return Malformed(
          m, absl::StrCat("entry ", e.Describe(), " has a term outside [",
                          prev.Describe(), ", ", m.term.Describe(), "]"));
    }
    if (static_cast<int>(e.kind) > static_cast<int>(EntryKind::kConfig)) {
      return Malformed(m, "entry of unknown kind");
    }
    if (e.kind == EntryKind::kConfig) {
      // A configuration entry takes effect on append (thesis §4.1), so its
      // encoding is checked here, before it can reach the log.
      const auto change = confchange::DecodeConfChange(e.payload.view());
      if (!change.ok()) {
        return Malformed(m, absl::StrCat("entry ", e.Describe(), ": ",
                                         change.status().message()));
      }
    }
    prev = e.term;
    ++expect;
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateMessage(const Message& m) {
  if (static_cast<int>(m.type) >= kMessageTypeCount) {
    return absl::InvalidArgumentError("message of unknown type");
  }
  if (m.from == kNoNode || m.to == kNoNode) {
    return Malformed(m, "sender or recipient is n0");
  }
  if (m.transfer && m.type != MessageType::kVote) {
    return Malformed(m, "only a vote request carries the transfer flag");
  }
  switch (m.type) {
    case MessageType::kAppend:
      return ValidateAppend(m);
    case MessageType::kVote:
    case MessageType::kPreVote:
      if (m.last_log_term > m.term) {
        return Malformed(m, "last_log_term is above the message term");
      }
      return absl::OkStatus();
    case MessageType::kSnapshot:
      if (m.snapshot == nullptr) return Malformed(m, "no snapshot");
      if (m.snapshot->meta.term > m.term) {
        return Malformed(m, "snapshot term is above the message term");
      }
      return absl::OkStatus();
    default:
      return absl::OkStatus();
  }
}

}  // namespace raftsim::raft
