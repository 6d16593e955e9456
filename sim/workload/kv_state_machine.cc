// sim/workload/kv_state_machine.cc — see kv_state_machine.h. Single-threaded.

#include "sim/workload/kv_state_machine.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace raftsim::sim {

std::string KvStateMachine::Execute(const KvCommand& c) {
  switch (c.op) {
    case KvOp::kGet: {
      auto it = state_.find(c.key);
      return it == state_.end() ? std::string() : it->second;
    }
    case KvOp::kPut:
      state_[c.key] = c.value;
      return "ok";
    case KvOp::kAppend:
      state_[c.key] += c.value;
      return "ok";
    case KvOp::kCas: {
      std::string& current = state_[c.key];
      if (current != c.expected) {
        if (current.empty()) state_.erase(c.key);  // Absent stays absent.
        return "false";
      }
      current = c.value;
      return "true";
    }
  }
  return "error: unknown op";
}

void KvStateMachine::Apply(absl::Span<const raft::Entry> entries,
                           std::vector<std::string>* results) {
  for (const raft::Entry& e : entries) {
    if (e.kind != raft::EntryKind::kNormal) {
      results->emplace_back();
      continue;
    }
    absl::StatusOr<KvCommand> c = DecodeCommand(e.payload.view());
    if (!c.ok()) {
      results->push_back(
          absl::StrCat("error: ", std::string(c.status().message())));
      continue;
    }
    results->push_back(Execute(*c));
  }
}

std::string KvStateMachine::Query(std::string_view query) const {
  absl::StatusOr<KvCommand> c = DecodeCommand(query);
  if (!c.ok()) {
    return absl::StrCat("error: ", std::string(c.status().message()));
  }
  if (c->op != KvOp::kGet) return "error: a query must be a get";
  auto it = state_.find(c->key);
  return it == state_.end() ? std::string() : it->second;
}

absl::Status KvStateMachine::Restore(std::string_view data) {
  absl::StatusOr<KvMap> state = DecodeSnapshot(data);
  if (!state.ok()) return state.status();
  state_ = std::move(*state);
  return absl::OkStatus();
}

}  // namespace raftsim::sim
