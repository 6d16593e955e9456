// raft/entry.cc — names and Describe() for entries and snapshots.

#include "raft/entry.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace raftsim::raft {
namespace {

// "(n1 n2 n3)"; "()" when empty.
std::string IdList(const std::vector<NodeId>& ids) {
  return absl::StrCat("(",
                      absl::StrJoin(ids, " ",
                                    [](std::string* out, NodeId id) {
                                      absl::StrAppend(out, id.Describe());
                                    }),
                      ")");
}

}  // namespace

std::string_view EntryKindName(EntryKind kind) {
  switch (kind) {
    case EntryKind::kNormal:
      return "normal";
    case EntryKind::kNoop:
      return "noop";
    case EntryKind::kConfig:
      return "config";
  }
  return "unknown-kind";
}

std::string Entry::Describe() const {
  return absl::StrCat(index.Describe(), "@", term.Describe(), " ",
                      std::string(EntryKindName(kind)), " ", payload.size(),
                      "B");
}

std::string ConfState::Describe() const {
  std::string out =
      absl::StrCat("voters=", IdList(voters), " learners=", IdList(learners));
  // Only a joint configuration has outgoing voters; keep the common case short.
  if (!voters_outgoing.empty()) {
    absl::StrAppend(&out, " outgoing=", IdList(voters_outgoing));
  }
  if (!learners_next.empty()) {
    absl::StrAppend(&out, " learners_next=", IdList(learners_next));
  }
  if (auto_leave) out += " autoleave";
  return out;
}

std::string SnapshotMeta::Describe() const {
  return absl::StrCat(index.Describe(), "@", term.Describe(), " ",
                      conf.Describe());
}

std::string Snapshot::Describe() const {
  return absl::StrCat(meta.Describe(), " data=", data.size(), "B");
}

uint64_t TotalBytes(const std::vector<Entry>& entries) {
  uint64_t total = 0;
  for (const Entry& e : entries) total += e.ByteSize();
  return total;
}

}  // namespace raftsim::raft
