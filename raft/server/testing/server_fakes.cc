// raft/server/testing/server_fakes.cc — see server_fakes.h.

#include "raft/server/testing/server_fakes.h"

#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "base/check.h"

namespace raftsim::raft::testing {

class LoopbackNetwork::Endpoint final : public Transport {
 public:
  Endpoint(LoopbackNetwork* net, NodeId id) : net_(net), id_(id) {}
  void Send(Message message) override {
    CHECK_EQ(message.from, id_);
    net_->Enqueue(std::move(message));
  }

 private:
  LoopbackNetwork* net_;
  NodeId id_;
};

LoopbackNetwork::LoopbackNetwork() = default;
LoopbackNetwork::~LoopbackNetwork() = default;

Transport* LoopbackNetwork::transport(NodeId id) {
  auto& ep = endpoints_[id];
  if (ep == nullptr) ep = std::make_unique<Endpoint>(this, id);
  return ep.get();
}

void LoopbackNetwork::Attach(NodeId id, Server* server) {
  servers_[id] = server;
}

void LoopbackNetwork::Enqueue(Message m) {
  sent_.push_back(m);
  queue_.push_back(std::move(m));
}

bool LoopbackNetwork::DeliverOne() {
  if (queue_.empty()) return false;
  Message m = std::move(queue_.front());
  queue_.pop_front();
  if (isolated_.count(m.from) || isolated_.count(m.to)) return true;
  auto it = servers_.find(m.to);
  if (it != servers_.end() && it->second != nullptr) {
    it->second->Receive(std::move(m));
  }
  return true;
}

int64_t LoopbackNetwork::DeliverAll() {
  const size_t n = queue_.size();
  for (size_t i = 0; i < n; ++i) DeliverOne();
  return static_cast<int64_t>(n);
}

int64_t LoopbackNetwork::CountSent(MessageType type, NodeId from) const {
  int64_t count = 0;
  for (const Message& m : sent_) {
    if (m.type == type && (from == kNoNode || m.from == from)) ++count;
  }
  return count;
}

void HeldStorage::Write(WriteBatch batch, WriteDone done) {
  ++writes_;
  memory_.Write(std::move(batch), nullptr);
  if (!fail_next_.ok()) {
    absl::Status s = std::move(fail_next_);
    fail_next_ = absl::OkStatus();
    done(s);
    return;
  }
  if (hold_) {
    held_.push_back(std::move(done));
  } else {
    done(absl::OkStatus());
  }
}

void HeldStorage::Release(size_t i) {
  CHECK_LT(i, held_.size());
  WriteDone done = std::move(held_[i]);
  held_.erase(held_.begin() + static_cast<std::ptrdiff_t>(i));
  done(absl::OkStatus());
}

void HeldStorage::ReleaseAll() {
  while (!held_.empty()) Release(0);
}

void KvStateMachine::Apply(absl::Span<const Entry> entries,
                           std::vector<std::string>* results) {
  ++apply_calls_;
  for (const Entry& e : entries) {
    if (!applied_.empty()) CHECK_EQ(e.index, applied_.back() + 1);
    applied_.push_back(e.index);
    if (e.kind != EntryKind::kNormal) {
      results->push_back("");
      continue;
    }
    const std::vector<std::string> words =
        absl::StrSplit(std::string(e.payload.view()), ' ');
    if (words.size() == 3 && words[0] == "set") {
      data_[words[1]] = words[2];
      results->push_back(words[2]);
    } else if (words.size() == 2 && words[0] == "incr") {
      int64_t value = 0;
      if (!absl::SimpleAtoi(data_[words[1]], &value)) value = 0;
      data_[words[1]] = absl::StrCat(value + 1);
      results->push_back(data_[words[1]]);
    } else {
      results->push_back("?");
    }
  }
}

void KvStateMachine::ApplyAsync(absl::Span<const Entry> entries,
                                ApplyDone done) {
  if (!hold_apply_) return StateMachine::ApplyAsync(entries, std::move(done));
  held_.push_back({{entries.begin(), entries.end()}, std::move(done)});
}

void KvStateMachine::ReleaseApply() {
  CHECK(!held_.empty());
  HeldApply h = std::move(held_.front());
  held_.pop_front();
  std::vector<std::string> results;
  Apply(absl::MakeConstSpan(h.entries), &results);
  h.done(std::move(results));
}

std::string KvStateMachine::Query(std::string_view query) const {
  const std::vector<std::string> words =
      absl::StrSplit(std::string(query), ' ');
  if (words.size() != 2 || words[0] != "get") return "?";
  auto it = data_.find(words[1]);
  return it == data_.end() ? "" : it->second;
}

std::string KvStateMachine::TakeSnapshot() const {
  std::string out;
  for (const auto& [k, v] : data_) absl::StrAppend(&out, k, "=", v, "\n");
  return out;
}

absl::Status KvStateMachine::Restore(std::string_view data) {
  std::map<std::string, std::string> restored;
  const std::vector<std::string> lines =
      absl::StrSplit(std::string(data), '\n', absl::SkipEmpty());
  for (const std::string& line : lines) {
    const std::vector<std::string> kv = absl::StrSplit(line, '=');
    if (kv.size() != 2 || kv[0].empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("bad snapshot line: ", line));
    }
    restored[kv[0]] = kv[1];
  }
  data_ = std::move(restored);
  applied_.clear();
  return absl::OkStatus();
}

}  // namespace raftsim::raft::testing
