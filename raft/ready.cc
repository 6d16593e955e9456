// raft/ready.cc — Describe() for SoftState and Ready.

#include "raft/ready.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace raftsim::raft {
namespace {

// Runs of one term, contiguous entries assumed: "i1..i2@t1 i3@t2 (3 entries,
// 96B)". Short enough for a trace line even with thousands of entries.
std::string EntryRuns(const std::vector<Entry>& entries) {
  std::vector<std::string> runs;
  size_t begin = 0;
  for (size_t i = 1; i <= entries.size(); ++i) {
    if (i < entries.size() && entries[i].term == entries[begin].term) continue;
    const Entry& first = entries[begin];
    const Entry& last = entries[i - 1];
    if (i - 1 == begin) {
      runs.push_back(
          absl::StrCat(first.index.Describe(), "@", first.term.Describe()));
    } else {
      runs.push_back(absl::StrCat(first.index.Describe(), "..",
                                  last.index.Describe(), "@",
                                  first.term.Describe()));
    }
    begin = i;
  }
  return absl::StrCat(absl::StrJoin(runs, " "), " (", entries.size(),
                      entries.size() == 1 ? " entry, " : " entries, ",
                      TotalBytes(entries), "B)");
}

}  // namespace

std::string SoftState::Describe() const {
  if (role == Role::kLeader) {
    return absl::StrCat("leader ", leader.Describe(), " ", term.Describe());
  }
  return absl::StrCat(
      std::string(RoleName(role)),
      " leader=", leader == kNoNode ? std::string("none") : leader.Describe(),
      " ", term.Describe());
}

std::string Membership::Describe() const {
  return absl::StrCat(index.Describe(), " ", conf.Describe());
}

std::string Ready::Describe() const {
  std::vector<std::string> lines;
  if (soft_state)
    lines.push_back(absl::StrCat("soft: ", soft_state->Describe()));
  if (membership) {
    lines.push_back(absl::StrCat("membership: ", membership->Describe()));
  }
  if (hard_state)
    lines.push_back(absl::StrCat("hard: ", hard_state->Describe()));
  if (snapshot)
    lines.push_back(absl::StrCat("snapshot: ", snapshot->Describe()));
  if (!entries.empty()) {
    lines.push_back(absl::StrCat("entries: ", EntryRuns(entries)));
  }
  if (MustPersist()) {
    lines.push_back(absl::StrCat("persist: ", persist_index.Describe(), "@",
                                 persist_term.Describe()));
  }
  for (const Message& m : messages) {
    lines.push_back(absl::StrCat("send: ", m.Describe()));
  }
  for (const Message& m : messages_after_persist) {
    lines.push_back(absl::StrCat("send after persist: ", m.Describe()));
  }
  if (!committed_entries.empty()) {
    lines.push_back(absl::StrCat("apply: ", EntryRuns(committed_entries)));
  }
  if (lines.empty()) return "(empty)";
  return absl::StrJoin(lines, "\n");
}

}  // namespace raftsim::raft
