// raft/testing/node_util.h — helpers for tests that drive one raft::Node by
// hand: build it from a given durable state, craft messages, and take its
// Readys.
//
// Test-only; single-threaded.

#ifndef RAFTSIM_RAFT_TESTING_NODE_UTIL_H_
#define RAFTSIM_RAFT_TESTING_NODE_UTIL_H_

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <utility>
#include <vector>

#include "base/check.h"
#include "raft/config.h"
#include "raft/node.h"
#include "raft/storage.h"
#include "raft/testing/builders.h"

namespace raftsim::raft::testing {

inline NodeId N(uint64_t id) { return NodeId(id); }
inline Term T(uint64_t term) { return Term(term); }
inline LogIndex I(uint64_t index) { return LogIndex(index); }

// A config for node `id` of a cluster of voters 1..voters, with PreVote and
// CheckQuorum off unless asked (the plain Raft paper).
inline Config TestConfig(uint64_t id, int voters = 3, bool pre_vote = false,
                         bool check_quorum = false) {
  Config c;
  c.id = NodeId(id);
  for (int i = 1; i <= voters; ++i) {
    c.voters.push_back(NodeId(static_cast<uint64_t>(i)));
  }
  c.pre_vote = pre_vote;
  c.check_quorum = check_quorum;
  c.election_timeout_ticks = 10;
  c.heartbeat_ticks = 1;
  c.seed = 42 + id;
  return c;
}

// Entries first_index, first_index+1, ... with the given terms.
inline std::vector<Entry> EntriesWithTerms(
    std::initializer_list<uint64_t> terms, uint64_t first_index = 1) {
  std::vector<Entry> out;
  uint64_t index = first_index;
  for (const uint64_t t : terms) {
    out.push_back(E(index++, t));
  }
  return out;
}

// A node rebuilt from this durable state.
inline std::unique_ptr<Node> NewNode(const Config& config, HardState hs,
                                     std::vector<Entry> entries = {},
                                     Snapshot snapshot = {}) {
  DurableState state;
  state.hard_state = hs;
  state.entries = std::move(entries);
  state.snapshot = std::move(snapshot);
  auto node = Node::Create(config, std::move(state));
  CHECK(node.ok()) << node.status();
  return std::move(*node);
}

// Takes the node's Ready (an empty one if it has none), reports its writes
// durable at once, and advances. The caller sees both message lists.
inline Ready Drain(Node& n) {
  if (!n.HasReady()) return Ready();
  Ready rd = n.GetReady();
  if (rd.MustPersist()) n.OnPersisted(rd.persist_index, rd.persist_term);
  n.Advance();
  return rd;
}

// Takes the node's Ready and advances without reporting persistence.
inline Ready TakeReady(Node& n) {
  if (!n.HasReady()) return Ready();
  Ready rd = n.GetReady();
  n.Advance();
  return rd;
}

// Every message of a Ready, both lists, immediate ones first.
inline std::vector<Message> AllMessages(const Ready& rd) {
  std::vector<Message> out = rd.messages;
  out.insert(out.end(), rd.messages_after_persist.begin(),
             rd.messages_after_persist.end());
  return out;
}

inline Message AppendMsg(uint64_t from, uint64_t to, uint64_t term,
                         uint64_t prev_index, uint64_t prev_term,
                         std::vector<Entry> entries, uint64_t commit) {
  Message m = Msg(MessageType::kAppend, from, to, term);
  m.prev_log_index = LogIndex(prev_index);
  m.prev_log_term = Term(prev_term);
  m.entries = std::move(entries);
  m.commit = LogIndex(commit);
  return m;
}

inline Message VoteMsg(uint64_t from, uint64_t to, uint64_t term,
                       uint64_t last_index, uint64_t last_term,
                       bool pre = false) {
  Message m =
      Msg(pre ? MessageType::kPreVote : MessageType::kVote, from, to, term);
  m.last_log_index = LogIndex(last_index);
  m.last_log_term = Term(last_term);
  return m;
}

inline Message VoteReply(uint64_t from, uint64_t to, uint64_t term,
                         bool granted = true, bool pre = false) {
  Message m = Msg(pre ? MessageType::kPreVoteReply : MessageType::kVoteReply,
                  from, to, term);
  m.reject = !granted;
  return m;
}

inline Message AppendReply(uint64_t from, uint64_t to, uint64_t term,
                           uint64_t index) {
  Message m = Msg(MessageType::kAppendReply, from, to, term);
  m.index = LogIndex(index);
  return m;
}

// Steps `m` and CHECKs it was accepted as well formed.
inline void StepOk(Node& n, Message m) {
  const absl::Status s = n.Step(std::move(m));
  CHECK(s.ok()) << s;
}

// Makes node 1 of a `voters`-voter cluster (PreVote off) leader of term
// term_before + 1 over the given log: campaigns, grants the votes of nodes
// 2..voters/2+1, and drains. Returns the node with its no-op appended.
inline std::unique_ptr<Node> NewLeader(uint64_t term_before,
                                       std::vector<Entry> log,
                                       uint64_t commit = 0, int voters = 3) {
  auto n =
      NewNode(TestConfig(1, voters),
              {Term(term_before), kNoNode, LogIndex(commit)}, std::move(log));
  n->Campaign();
  Drain(*n);
  for (int v = 2; v <= voters / 2 + 1; ++v) {
    StepOk(*n, VoteReply(static_cast<uint64_t>(v), 1, term_before + 1));
  }
  CHECK(n->role() == Role::kLeader) << n->Describe();
  Drain(*n);
  return n;
}

}  // namespace raftsim::raft::testing

#endif  // RAFTSIM_RAFT_TESTING_NODE_UTIL_H_
