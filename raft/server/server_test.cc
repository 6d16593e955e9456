// raft/server/server_test.cc — raft::Server, stage by stage (docs/server.md),
// on a FakeRuntime, a loopback network between three Servers, storages whose
// write completions the tests release, and a key-value state machine.

#include "raft/server/server.h"

#include <algorithm>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "raft/confchange/conf_change.h"
#include "raft/node.h"
#include "raft/server/testing/fake_runtime.h"
#include "raft/server/testing/server_fakes.h"

namespace raftsim::raft {
namespace {

using testing::FakeRuntime;
using testing::HeldStorage;
using testing::KvStateMachine;
using testing::LoopbackNetwork;

constexpr int64_t kTickUs = 1000;
const NodeId n1(1), n2(2), n3(3), n4(4);

// What a client callback received; `done` false until it ran.
struct Outcome {
  bool done = false;
  absl::StatusOr<std::string> result = absl::UnknownError("not completed");
};
using OutcomePtr = std::shared_ptr<Outcome>;

Server::Callback Record(const OutcomePtr& out) {
  return [out](absl::StatusOr<std::string> r) {
    EXPECT_FALSE(out->done) << "callback ran twice";
    out->done = true;
    out->result = std::move(r);
  };
}

// A snapshot from leader n1 (term 5) to n2, at index 10 of term 5 with
// voters {n1, n2, n3}, holding `data`.
Message SnapshotFromLeader(const std::string& data) {
  Message m;
  m.type = MessageType::kSnapshot;
  m.from = n1;
  m.to = n2;
  m.term = Term(5);
  Snapshot snap;
  snap.meta.index = LogIndex(10);
  snap.meta.term = Term(5);
  snap.meta.conf.voters = {n1, n2, n3};
  snap.data = Payload(data);
  m.snapshot = std::make_shared<const Snapshot>(std::move(snap));
  return m;
}

class ServerTest : public ::testing::Test {
 protected:
  struct Peer {
    std::unique_ptr<HeldStorage> storage = std::make_unique<HeldStorage>();
    std::unique_ptr<KvStateMachine> sm = std::make_unique<KvStateMachine>();
    std::unique_ptr<Server> server;
    std::vector<SoftState> soft_states;
    std::vector<Membership> memberships;
  };

  ServerTest() {
    for (const NodeId id : {n1, n2, n3}) peers_[id];
  }

  // n1 times out first ([5, 10) ticks against [30, 60)), so it wins the
  // first election.
  ServerOptions Options(NodeId id) const {
    ServerOptions o;
    o.raft.id = id;
    o.raft.voters = {n1, n2, n3};
    o.raft.election_timeout_ticks = id == n1 ? 5 : 30;
    o.raft.heartbeat_ticks = 1;
    o.raft.seed = id.value();
    o.tick_us = kTickUs;
    if (adjust_) adjust_(o);
    return o;
  }

  void StartPeer(NodeId id) {
    Peer& p = peers_[id];
    p.server =
        std::make_unique<Server>(Options(id), &runtime_, net_.transport(id),
                                 p.storage.get(), p.sm.get());
    p.server->SetSoftStateListener(
        [&p](const SoftState& s) { p.soft_states.push_back(s); });
    p.server->SetMembershipListener(
        [&p](const Membership& m) { p.memberships.push_back(m); });
    ASSERT_TRUE(p.server->Start().ok());
    net_.Attach(id, p.server.get());
  }

  void StartAll() {
    for (const NodeId id : {n1, n2, n3}) StartPeer(id);
  }

  // Runs what is due now and delivers messages until both are quiet.
  void Settle() {
    for (int i = 0; i < 10'000; ++i) {
      runtime_.RunUntilIdle();
      if (net_.DeliverAll() == 0) return;
    }
    FAIL() << "did not settle";
  }

  // Advances time tick by tick, settling after each.
  void RunFor(int64_t us) {
    const int64_t end = runtime_.NowUs() + us;
    while (runtime_.NowUs() < end) {
      runtime_.AdvanceTo(std::min(runtime_.NowUs() + kTickUs, end));
      Settle();
    }
  }

  // Starts the cluster and runs until n1 leads and has committed its no-op.
  void StartAndElectN1() {
    StartAll();
    for (int i = 0; i < 100 && !IsLeader(n1); ++i) RunFor(kTickUs);
    ASSERT_TRUE(IsLeader(n1));
    RunFor(3 * kTickUs);
    ASSERT_EQ(node(n1).commit_index(), node(n1).last_index());
  }

  bool IsLeader(NodeId id) { return node(id).role() == Role::kLeader; }
  Server& server(NodeId id) { return *peers_[id].server; }
  const Node& node(NodeId id) { return server(id).node(); }
  HeldStorage& storage(NodeId id) { return *peers_[id].storage; }
  KvStateMachine& sm(NodeId id) { return *peers_[id].sm; }

  OutcomePtr Submit(NodeId id, std::string command) {
    auto out = std::make_shared<Outcome>();
    server(id).Submit(std::move(command), Record(out));
    return out;
  }
  OutcomePtr Read(NodeId id, std::string query) {
    auto out = std::make_shared<Outcome>();
    server(id).Read(std::move(query), Record(out));
    return out;
  }

  struct MembershipOutcome {
    bool done = false;
    absl::StatusOr<Membership> result = absl::UnknownError("not completed");
  };
  std::shared_ptr<MembershipOutcome> Change(NodeId id,
                                            confchange::ConfChange change) {
    auto out = std::make_shared<MembershipOutcome>();
    server(id).ChangeMembership(
        std::move(change), [out](absl::StatusOr<Membership> r) {
          EXPECT_FALSE(out->done) << "callback ran twice";
          out->done = true;
          out->result = std::move(r);
        });
    return out;
  }

  // AppendReplies `from` sent acknowledging (not rejecting) `index`.
  int64_t Acks(NodeId from, LogIndex index) const {
    int64_t count = 0;
    for (const Message& m : net_.sent()) {
      if (m.type == MessageType::kAppendReply && m.from == from && !m.reject &&
          m.index == index) {
        ++count;
      }
    }
    return count;
  }

  std::function<void(ServerOptions&)> adjust_;
  FakeRuntime runtime_;
  LoopbackNetwork net_;
  std::map<NodeId, Peer> peers_;
};

TEST_F(ServerTest, StartValidatesOptions) {
  adjust_ = [](ServerOptions& o) { o.tick_us = 0; };
  Peer& p = peers_[n1];
  Server s1(Options(n1), &runtime_, net_.transport(n1), p.storage.get(),
            p.sm.get());
  EXPECT_EQ(s1.Start().code(), absl::StatusCode::kInvalidArgument);

  adjust_ = [](ServerOptions& o) { o.max_batch_bytes = 0; };
  Server s2(Options(n1), &runtime_, net_.transport(n1), p.storage.get(),
            p.sm.get());
  EXPECT_EQ(s2.Start().code(), absl::StatusCode::kInvalidArgument);

  adjust_ = [](ServerOptions& o) { o.raft.heartbeat_ticks = 50; };
  Server s3(Options(n1), &runtime_, net_.transport(n1), p.storage.get(),
            p.sm.get());
  EXPECT_EQ(s3.Start().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(s3.started());

  adjust_ = nullptr;
  Server s4(Options(n1), &runtime_, net_.transport(n1), p.storage.get(),
            p.sm.get());
  EXPECT_TRUE(s4.Start().ok());
  EXPECT_EQ(s4.Start().code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(ServerTest, ListenerSeesInitialStateThenLeadership) {
  StartAndElectN1();
  const auto& seen = peers_[n1].soft_states;
  ASSERT_GE(seen.size(), 2u);
  EXPECT_EQ(seen.front(), (SoftState{Role::kFollower, kNoNode, Term(0)}));
  EXPECT_EQ(seen.back(), (SoftState{Role::kLeader, n1, node(n1).term()}));
  // follower -> pre-candidate -> candidate -> leader.
  EXPECT_EQ(server(n1).metrics().role_changes, 3u);
  EXPECT_EQ(peers_[n2].soft_states.back().leader, n1);
}

TEST_F(ServerTest, ClientsGetTheirResultsInOrder) {
  StartAndElectN1();
  std::vector<OutcomePtr> outs;
  for (int i = 0; i < 3; ++i) outs.push_back(Submit(n1, "incr x"));
  Settle();
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(outs[i]->done);
    ASSERT_TRUE(outs[i]->result.ok()) << outs[i]->result.status();
    EXPECT_EQ(*outs[i]->result, absl::StrCat(i + 1));
  }
  RunFor(2 * kTickUs);  // Followers learn the commit index.
  for (const NodeId id : {n1, n2, n3}) {
    EXPECT_EQ(sm(id).Query("get x"), "3") << id;
  }
}

TEST_F(ServerTest, IngressBatchesOneTurnIntoOneProposal) {
  StartAndElectN1();
  const ServerMetrics before = server(n1).metrics();
  const LogIndex last = node(n1).last_index();
  std::vector<OutcomePtr> outs;
  for (int i = 0; i < 10; ++i) outs.push_back(Submit(n1, "incr y"));
  runtime_.RunUntilIdle();
  EXPECT_EQ(server(n1).metrics().proposal_batches, before.proposal_batches + 1);
  EXPECT_EQ(server(n1).metrics().proposals, before.proposals + 10);
  EXPECT_EQ(node(n1).last_index(), last + 10);
  Settle();
  EXPECT_EQ(*outs.back()->result, "10");
}

TEST_F(ServerTest, IngressSplitsBatchesAtTheLimits) {
  adjust_ = [](ServerOptions& o) {
    o.max_batch_commands = 4;
    o.max_batch_bytes = 20;  // "set k vv" is 8 bytes: two per batch.
  };
  StartAndElectN1();
  const uint64_t batches = server(n1).metrics().proposal_batches;
  for (int i = 0; i < 3; ++i) Submit(n1, "incr z");  // 6 bytes each.
  runtime_.RunUntilIdle();
  EXPECT_EQ(server(n1).metrics().proposal_batches, batches + 1);
  for (int i = 0; i < 5; ++i) Submit(n1, "set k vv");
  runtime_.RunUntilIdle();
  EXPECT_EQ(server(n1).metrics().proposal_batches, batches + 1 + 3);
  for (int i = 0; i < 9; ++i) Submit(n1, "a");
  runtime_.RunUntilIdle();
  EXPECT_EQ(server(n1).metrics().proposal_batches, batches + 1 + 3 + 3);
}

TEST_F(ServerTest, LeaderProposesNextBatchBeforeTheFirstCommits) {
  StartAndElectN1();
  const LogIndex commit = node(n1).commit_index();
  auto a = Submit(n1, "set a 1");
  runtime_.RunUntilIdle();
  auto b = Submit(n1, "set b 2");
  runtime_.RunUntilIdle();
  // Both batches are appended and on the wire; nothing was acknowledged.
  EXPECT_EQ(node(n1).last_index(), commit + 2);
  EXPECT_EQ(node(n1).commit_index(), commit);
  std::vector<LogIndex> to_n2;
  for (const Message& m : net_.queue()) {
    if (m.type == MessageType::kAppend && m.to == n2) {
      for (const Entry& e : m.entries) to_n2.push_back(e.index);
    }
  }
  EXPECT_EQ(to_n2, (std::vector<LogIndex>{commit + 1, commit + 2}));
  EXPECT_FALSE(a->done);
  Settle();
  EXPECT_EQ(*a->result, "1");
  EXPECT_EQ(*b->result, "2");
}

TEST_F(ServerTest, FollowerAcksOnlyOnceDurableAndKeepsReceiving) {
  StartAndElectN1();
  storage(n2).set_hold(true);
  const LogIndex first = node(n1).last_index() + 1;
  auto a = Submit(n1, "set a 1");
  Settle();
  // n3's ack made a quorum with the leader: committed and answered while
  // n2's write is still held, and n2 has not acknowledged.
  EXPECT_EQ(*a->result, "1");
  EXPECT_EQ(Acks(n2, first), 0);
  EXPECT_GE(Acks(n3, first), 1);
  EXPECT_EQ(node(n2).durable_index(), first - 1);

  // n2 goes on receiving appends although its first write is pending.
  auto b = Submit(n1, "set b 2");
  Settle();
  EXPECT_EQ(node(n2).last_index(), first + 1);
  EXPECT_EQ(Acks(n2, first + 1), 0);

  storage(n2).ReleaseAll();
  Settle();
  // (Acks, not one ack: the leader's commit broadcast is acknowledged too.)
  EXPECT_GE(Acks(n2, first), 1);
  EXPECT_GE(Acks(n2, first + 1), 1);
  EXPECT_EQ(node(n2).durable_index(), first + 1);
  EXPECT_GE(server(n2).metrics().entries_persisted, 2u);
}

TEST_F(ServerTest, AfterPersistMessagesOfNoWriteReadyWaitForEarlierWrites) {
  StartAndElectN1();
  storage(n2).set_hold(true);
  const LogIndex index = node(n1).last_index() + 1;
  Submit(n1, "set a 1");
  runtime_.RunUntilIdle();
  // The network duplicates the append to n2: the copy adds nothing to n2's
  // log (no write), but its ack still claims `index` is durable.
  auto it = std::find_if(net_.queue().begin(), net_.queue().end(),
                         [](const Message& m) {
                           return m.type == MessageType::kAppend && m.to == n2;
                         });
  ASSERT_NE(it, net_.queue().end());
  const Message copy = *it;
  const int64_t writes = storage(n2).writes();
  net_.DeliverAll();
  runtime_.RunUntilIdle();
  EXPECT_EQ(storage(n2).writes(), writes + 1);
  // The copy arrives in a later turn, so it makes a Ready of its own.
  const uint64_t readys = server(n2).metrics().readys;
  net_.queue().push_back(copy);
  net_.DeliverAll();
  runtime_.RunUntilIdle();
  EXPECT_EQ(server(n2).metrics().readys, readys + 1);
  EXPECT_EQ(storage(n2).writes(), writes + 1);  // The copy wrote nothing.
  EXPECT_EQ(node(n2).last_index(), index);
  EXPECT_EQ(Acks(n2, index), 0);  // Neither ack left before the write.

  storage(n2).ReleaseAll();
  runtime_.RunUntilIdle();
  EXPECT_EQ(Acks(n2, index), 2);
}

TEST_F(ServerTest, OutOfOrderCompletionsAreReportedInOrder) {
  StartAndElectN1();
  storage(n2).set_hold(true);
  const LogIndex first = node(n1).last_index() + 1;
  Submit(n1, "set a 1");
  Settle();
  Submit(n1, "set b 2");
  Settle();
  ASSERT_EQ(node(n2).last_index(), first + 1);
  const size_t held = storage(n2).held();
  ASSERT_GE(held, 2u);

  // A storage that breaks the in-order contract completes the last write
  // first: nothing may be reported durable or acknowledged yet.
  storage(n2).Release(held - 1);
  runtime_.RunUntilIdle();
  EXPECT_EQ(node(n2).durable_index(), first - 1);
  EXPECT_EQ(Acks(n2, first) + Acks(n2, first + 1), 0);

  storage(n2).Release(0);  // The first write: releases only itself.
  runtime_.RunUntilIdle();
  EXPECT_EQ(node(n2).durable_index(), first);
  EXPECT_GE(Acks(n2, first), 1);
  EXPECT_EQ(Acks(n2, first + 1), 0);

  storage(n2).ReleaseAll();
  runtime_.RunUntilIdle();
  EXPECT_EQ(node(n2).durable_index(), first + 1);
  EXPECT_GE(Acks(n2, first + 1), 1);
  EXPECT_FALSE(server(n2).stopped());
}

TEST_F(ServerTest, AppliesInIndexOrderInBatches) {
  StartAndElectN1();
  for (int turn = 0; turn < 3; ++turn) {
    for (int i = 0; i < 8; ++i) Submit(n1, absl::StrCat("incr k", i));
    runtime_.RunUntilIdle();
  }
  RunFor(3 * kTickUs);
  for (const NodeId id : {n1, n2, n3}) {
    const ServerMetrics& m = server(id).metrics();
    const KvStateMachine& s = sm(id);
    EXPECT_EQ(m.entries_applied, 25u) << id;  // The no-op and 24 commands.
    EXPECT_EQ(m.apply_batches, static_cast<uint64_t>(s.apply_calls())) << id;
    EXPECT_LT(m.apply_batches, m.entries_applied) << id;
    ASSERT_EQ(s.applied().size(), 25u) << id;
    EXPECT_EQ(s.applied().front(), LogIndex(1));
    EXPECT_EQ(s.applied().back(), LogIndex(25));
    EXPECT_EQ(s.Query("get k7"), "3") << id;
    EXPECT_EQ(server(id).applied_index(), LogIndex(25));
  }
}

TEST_F(ServerTest, NotLeaderErrorsCarryTheLeaderHint) {
  StartAndElectN1();
  auto w = Submit(n2, "set a 1");
  auto r = Read(n3, "get a");
  Settle();
  ASSERT_TRUE(w->done);
  EXPECT_EQ(w->result.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(LeaderHint(w->result.status()), n1);
  ASSERT_TRUE(r->done);
  EXPECT_EQ(r->result.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(LeaderHint(r->result.status()), n1);
  EXPECT_EQ(sm(n1).Query("get a"), "");
}

TEST_F(ServerTest, ProposalOutlivesLeadershipAndLearnsItWasNotApplied) {
  StartAndElectN1();
  net_.Isolate(n1);
  auto w = Submit(n1, "set lost 1");
  Settle();
  EXPECT_FALSE(w->done);
  // CheckQuorum: n1 hears from no quorum and steps down. The proposal
  // waits: a later leader might still commit it.
  RunFor(30 * kTickUs);
  EXPECT_NE(node(n1).role(), Role::kLeader);
  EXPECT_FALSE(w->done);
  // The others elect a leader; once healed, n1's entry is overwritten, and
  // when n1 applies the index it knows the command was not applied.
  RunFor(80 * kTickUs);
  net_.Heal();
  auto later = Submit(IsLeader(n2) ? n2 : n3, "set kept 1");
  RunFor(20 * kTickUs);
  EXPECT_EQ(*later->result, "1");
  EXPECT_EQ(sm(n1).Query("get kept"), "1");
  EXPECT_EQ(sm(n1).Query("get lost"), "");
  ASSERT_TRUE(w->done);
  EXPECT_EQ(w->result.status().code(), absl::StatusCode::kAborted);
  EXPECT_TRUE(absl::StrContains(w->result.status().message(), "not applied"))
      << w->result.status();
}

TEST_F(ServerTest, ProposalCommittedByTheNextLeaderGetsItsResult) {
  StartAndElectN1();
  auto w = Submit(n1, "set kept 7");
  runtime_.RunUntilIdle();
  // The followers append and acknowledge; the acks never reach n1, which
  // is then cut off before it can commit.
  ASSERT_GT(net_.DeliverAll(), 0);
  runtime_.RunUntilIdle();
  std::deque<Message>& queue = net_.queue();
  std::erase_if(queue, [](const Message& m) { return m.to == n1; });
  net_.Isolate(n1);
  RunFor(30 * kTickUs);
  EXPECT_NE(node(n1).role(), Role::kLeader);
  EXPECT_FALSE(w->done);
  // n2 or n3 leads, holds n1's entry and commits it with its own no-op.
  RunFor(80 * kTickUs);
  ASSERT_TRUE(IsLeader(n2) || IsLeader(n3));
  net_.Heal();
  RunFor(20 * kTickUs);
  ASSERT_TRUE(w->done);
  ASSERT_TRUE(w->result.ok()) << w->result.status();
  EXPECT_EQ(*w->result, "7");
  EXPECT_EQ(sm(n1).Query("get kept"), "7");
}

TEST_F(ServerTest, ReadIndexReadsSeeAppliedWritesAndAreBatched) {
  StartAndElectN1();
  auto w = Submit(n1, "set k v1");
  Settle();
  ASSERT_EQ(*w->result, "v1");
  const ServerMetrics before = server(n1).metrics();
  std::vector<OutcomePtr> reads;
  for (int i = 0; i < 3; ++i) reads.push_back(Read(n1, "get k"));
  runtime_.RunUntilIdle();
  EXPECT_FALSE(reads[0]->done);  // Waits for the heartbeat round.
  Settle();
  for (const OutcomePtr& r : reads) {
    ASSERT_TRUE(r->done);
    EXPECT_EQ(*r->result, "v1");
  }
  EXPECT_EQ(server(n1).metrics().read_batches, before.read_batches + 1);
  EXPECT_EQ(server(n1).metrics().reads_served, before.reads_served + 3);
}

TEST_F(ServerTest, SnapshotPolicyCompactsNodeAndStorage) {
  adjust_ = [](ServerOptions& o) {
    o.snapshot_every_entries = 5;
    o.snapshot_keep_entries = 2;
  };
  StartAndElectN1();
  for (int i = 0; i < 12; ++i) {
    Submit(n1, "incr c");
    Settle();
  }
  // Indexes: 1 is the no-op, 2..13 the increments (c = index - 1).
  EXPECT_EQ(server(n1).applied_index(), LogIndex(13));
  EXPECT_EQ(server(n1).metrics().snapshots_taken, 2u);  // At i5 and i10.
  const Snapshot& snap = storage(n1).snapshot();
  EXPECT_EQ(snap.meta.index, LogIndex(10));
  EXPECT_EQ(snap.meta.term, node(n1).term());
  EXPECT_EQ(snap.meta.conf.voters, (std::vector<NodeId>{n1, n2, n3}));
  EXPECT_EQ(storage(n1).FirstIndex(), LogIndex(11));
  EXPECT_EQ(node(n1).log().base_index(), LogIndex(8));  // Keeps 2 before.
  EXPECT_EQ(server(n1).metrics().storage_compactions, 2u);
  KvStateMachine fresh;
  ASSERT_TRUE(fresh.Restore(snap.data.view()).ok());
  EXPECT_EQ(fresh.Query("get c"), "9");
}

TEST_F(ServerTest, RestartRestoresTheSnapshotAndReappliesTheRest) {
  adjust_ = [](ServerOptions& o) {
    o.snapshot_every_entries = 5;
    o.snapshot_keep_entries = 2;
  };
  StartAndElectN1();
  for (int i = 0; i < 12; ++i) {
    Submit(n1, "incr c");
    Settle();
  }
  RunFor(3 * kTickUs);
  ASSERT_EQ(sm(n2).Query("get c"), "12");
  const LogIndex snap_index = storage(n2).snapshot().meta.index;
  ASSERT_EQ(snap_index, LogIndex(10));
  const LogIndex commit = storage(n2).hard_state().commit;
  ASSERT_EQ(commit, LogIndex(13));

  // Crash n2 and restart it, with an empty state machine, from storage.
  server(n2).Stop();
  net_.Attach(n2, nullptr);
  peers_[n2].server.reset();
  peers_[n2].sm = std::make_unique<KvStateMachine>();
  StartPeer(n2);
  runtime_.RunUntilIdle();  // No network: everything comes from storage.
  EXPECT_EQ(server(n2).metrics().snapshots_restored, 1u);
  EXPECT_EQ(sm(n2).applied(),
            (std::vector<LogIndex>{LogIndex(11), LogIndex(12), LogIndex(13)}));
  EXPECT_EQ(sm(n2).Query("get c"), "12");

  auto w = Submit(n1, "incr c");
  RunFor(3 * kTickUs);
  EXPECT_EQ(*w->result, "13");
  EXPECT_EQ(sm(n2).Query("get c"), "13");
}

TEST_F(ServerTest, StopFailsPendingAndIgnoresLateCompletions) {
  StartAndElectN1();
  storage(n1).set_hold(true);
  net_.Isolate(n1);
  auto w = Submit(n1, "set a 1");
  auto r = Read(n1, "get a");
  runtime_.RunUntilIdle();
  ASSERT_GE(storage(n1).held(), 1u);
  server(n1).Stop();
  EXPECT_FALSE(w->done);  // Posted, never inside Stop.
  runtime_.RunUntilIdle();
  ASSERT_TRUE(w->done);
  EXPECT_EQ(w->result.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_TRUE(absl::StrContains(w->result.status().message(), "stopped"));
  ASSERT_TRUE(r->done);
  EXPECT_EQ(r->result.status().code(), absl::StatusCode::kUnavailable);

  auto after = Submit(n1, "set b 2");
  runtime_.RunUntilIdle();
  EXPECT_EQ(after->result.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_TRUE(server(n1).failure().ok());

  // The simulator deletes a crashed Server; completions still held by its
  // storage and tasks still on the runtime must not touch it.
  net_.Attach(n1, nullptr);
  peers_[n1].server.reset();
  storage(n1).ReleaseAll();
  RunFor(5 * kTickUs);
}

TEST_F(ServerTest, FailedWriteStopsTheServer) {
  StartAndElectN1();
  storage(n1).FailNextWrite(absl::InternalError("disk on fire"));
  auto w = Submit(n1, "set a 1");
  Settle();
  ASSERT_TRUE(w->done);
  EXPECT_EQ(w->result.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_TRUE(server(n1).stopped());
  EXPECT_EQ(server(n1).failure().code(), absl::StatusCode::kDataLoss);
  EXPECT_TRUE(
      absl::StrContains(server(n1).failure().message(), "disk on fire"));
  const uint64_t sent = server(n1).metrics().messages_sent;
  RunFor(5 * kTickUs);  // No more ticks or messages.
  EXPECT_EQ(server(n1).metrics().messages_sent, sent);
}

TEST_F(ServerTest, CorruptSnapshotFromALeaderStopsTheFollower) {
  StartAll();
  server(n2).Receive(SnapshotFromLeader("no equals sign here"));
  runtime_.RunUntilIdle();
  EXPECT_TRUE(server(n2).stopped());
  EXPECT_EQ(server(n2).failure().code(), absl::StatusCode::kDataLoss);
  // Never acknowledged, never written.
  EXPECT_EQ(net_.CountSent(MessageType::kSnapshotReply, n2), 0);
  EXPECT_EQ(storage(n2).snapshot().meta.index, LogIndex(0));
}

TEST_F(ServerTest, InstallsAValidSnapshotFromTheLeader) {
  StartAll();
  server(n2).Receive(SnapshotFromLeader("x=42\n"));
  runtime_.RunUntilIdle();
  EXPECT_FALSE(server(n2).stopped());
  EXPECT_EQ(sm(n2).Query("get x"), "42");
  EXPECT_EQ(server(n2).applied_index(), LogIndex(10));
  EXPECT_EQ(server(n2).metrics().snapshots_restored, 1u);
  EXPECT_EQ(storage(n2).snapshot().meta.index, LogIndex(10));
  EXPECT_EQ(net_.CountSent(MessageType::kSnapshotReply, n2), 1);
}

// Asynchronous apply (StateMachine::ApplyAsync): a slow state machine
// stalls neither replication nor commit; one batch is outstanding at a
// time and what commits meanwhile goes over as one batch, in index order.
TEST_F(ServerTest, SlowApplyLetsCommitRunAheadAndBatchesTheBacklog) {
  StartAndElectN1();
  sm(n1).set_hold_apply(true);
  const LogIndex applied = server(n1).applied_index();
  std::vector<OutcomePtr> writes;
  for (int i = 0; i < 4; ++i) {
    writes.push_back(Submit(n1, absl::StrCat("set k", i, " v", i)));
    Settle();  // One proposal, one commit per turn.
  }
  // Replication and commit went on; apply did not.
  EXPECT_EQ(node(n1).commit_index(), applied + 4);
  EXPECT_EQ(node(n2).commit_index(), applied + 4);
  EXPECT_EQ(server(n1).applied_index(), applied);
  EXPECT_EQ(sm(n1).held_applies(), 1u);  // One batch outstanding.
  EXPECT_EQ(sm(n1).held_entries(), 1u);
  for (const OutcomePtr& w : writes) EXPECT_FALSE(w->done);
  sm(n1).ReleaseApply();
  EXPECT_TRUE(writes[0]->done);
  EXPECT_FALSE(writes[1]->done);
  // The three entries committed meanwhile go over as one batch.
  ASSERT_EQ(sm(n1).held_applies(), 1u);
  EXPECT_EQ(sm(n1).held_entries(), 3u);
  sm(n1).ReleaseApply();
  for (int i = 0; i < 4; ++i) {
    ASSERT_TRUE(writes[i]->done) << i;
    EXPECT_EQ(*writes[i]->result, absl::StrCat("v", i));
  }
  EXPECT_EQ(server(n1).applied_index(), applied + 4);
  EXPECT_EQ(sm(n1).applied().back(), applied + 4);
}

// A confirmed read waits until the state machine has applied its read
// index, not merely until the Node has committed it.
TEST_F(ServerTest, ReadWaitsUntilTheStateMachineReachesTheReadIndex) {
  StartAndElectN1();
  sm(n1).set_hold_apply(true);
  auto w = Submit(n1, "set k v1");
  Settle();
  ASSERT_EQ(node(n1).commit_index(), node(n1).last_index());
  auto r = Read(n1, "get k");
  Settle();
  EXPECT_FALSE(r->done);  // Confirmed, but the write is not applied yet.
  EXPECT_EQ(sm(n1).Query("get k"), "");
  sm(n1).ReleaseApply();
  ASSERT_TRUE(r->done);
  EXPECT_EQ(*r->result, "v1");
  EXPECT_EQ(*w->result, "v1");
}

// A snapshot that arrives while a batch is outstanding is written at once
// but restored only after that batch completes (apply order).
TEST_F(ServerTest, SnapshotRestoreWaitsForTheOutstandingBatch) {
  StartAndElectN1();
  sm(n2).set_hold_apply(true);
  Submit(n1, "set a 1");
  Settle();
  ASSERT_EQ(sm(n2).held_applies(), 1u);
  server(n2).Receive(SnapshotFromLeader("x=42\n"));
  runtime_.RunUntilIdle();
  EXPECT_EQ(storage(n2).snapshot().meta.index, LogIndex(10));
  EXPECT_EQ(sm(n2).Query("get x"), "");  // Not restored yet.
  EXPECT_LT(server(n2).applied_index(), LogIndex(10));
  sm(n2).ReleaseApply();
  EXPECT_EQ(sm(n2).Query("get x"), "42");
  EXPECT_EQ(server(n2).applied_index(), LogIndex(10));
  EXPECT_EQ(server(n2).metrics().snapshots_restored, 1u);
}

// A batch that completes after Stop changes nothing and answers nobody
// twice.
TEST_F(ServerTest, ApplyCompletionAfterStopIsIgnored) {
  StartAndElectN1();
  sm(n1).set_hold_apply(true);
  auto w = Submit(n1, "set k v1");
  Settle();
  ASSERT_EQ(sm(n1).held_applies(), 1u);
  const LogIndex applied = server(n1).applied_index();
  server(n1).Stop();
  runtime_.RunUntilIdle();
  ASSERT_TRUE(w->done);
  EXPECT_EQ(w->result.status().code(), absl::StatusCode::kUnavailable);
  sm(n1).ReleaseApply();  // Record() fails the test if it runs twice.
  runtime_.RunUntilIdle();
  EXPECT_EQ(server(n1).applied_index(), applied);
}

}  // namespace
}  // namespace raftsim::raft

namespace raftsim::raft {
namespace {

using confchange::ChangeType;
using confchange::ConfChange;
using confchange::Transition;

ConfChange One(ChangeType type, NodeId id, Transition t = Transition::kAuto) {
  return ConfChange{t, {{type, id}}};
}

TEST_F(ServerTest, ChangeMembershipAddsALearnerPromotesItAndRemovesAVoter) {
  peers_[n4];
  StartAndElectN1();
  StartPeer(n4);  // Not a member yet: it waits for the change adding it.
  auto add = Change(n1, One(ChangeType::kAddLearner, n4));
  runtime_.RunUntilIdle();
  EXPECT_FALSE(add->done);  // Only once the entry is applied here.
  RunFor(5 * kTickUs);
  ASSERT_TRUE(add->done);
  ASSERT_TRUE(add->result.ok()) << add->result.status();
  EXPECT_EQ(add->result->conf.voters, (std::vector<NodeId>{n1, n2, n3}));
  EXPECT_EQ(add->result->conf.learners, (std::vector<NodeId>{n4}));
  EXPECT_GT(add->result->index, LogIndex(0));
  EXPECT_LE(add->result->index, server(n1).applied_index());
  for (const NodeId id : {n1, n2, n3, n4}) {
    EXPECT_EQ(server(id).configuration(), *add->result) << id.Describe();
  }
  // The learner receives the log.
  auto w = Submit(n1, "set a 1");
  RunFor(5 * kTickUs);
  ASSERT_TRUE(w->done);
  EXPECT_EQ(sm(n4).Query("get a"), "1");

  auto promote = Change(n1, One(ChangeType::kPromote, n4));
  RunFor(5 * kTickUs);
  ASSERT_TRUE(promote->done);
  ASSERT_TRUE(promote->result.ok()) << promote->result.status();
  EXPECT_EQ(promote->result->conf.voters,
            (std::vector<NodeId>{n1, n2, n3, n4}));
  EXPECT_TRUE(promote->result->conf.learners.empty());
  EXPECT_GT(promote->result->index, add->result->index);

  auto remove = Change(n1, One(ChangeType::kRemove, n3));
  RunFor(5 * kTickUs);
  ASSERT_TRUE(remove->done);
  ASSERT_TRUE(remove->result.ok()) << remove->result.status();
  EXPECT_EQ(remove->result->conf.voters, (std::vector<NodeId>{n1, n2, n4}));
  EXPECT_EQ(server(n2).configuration(), *remove->result);

  // Every member's listener saw the three configurations, in order, as
  // they were appended.
  for (const NodeId id : {n1, n2, n4}) {
    const std::vector<Membership>& seen = peers_[id].memberships;
    ASSERT_EQ(seen.size(), 3u) << id.Describe();
    EXPECT_EQ(seen[0], *add->result);
    EXPECT_EQ(seen[1], *promote->result);
    EXPECT_EQ(seen[2], *remove->result);
  }
  // And the cluster still commits without n3.
  net_.Isolate(n3);
  auto after = Submit(n1, "set b 2");
  RunFor(5 * kTickUs);
  ASSERT_TRUE(after->done);
  EXPECT_EQ(*after->result, "2");
}

TEST_F(ServerTest, ChangeMembershipErrorsAreDistinct) {
  peers_[n4];
  StartAndElectN1();
  // Not the leader: the hint.
  auto follower = Change(n2, One(ChangeType::kAddLearner, n4));
  EXPECT_FALSE(follower->done);  // Never inside the call.
  runtime_.RunUntilIdle();
  ASSERT_TRUE(follower->done);
  EXPECT_EQ(follower->result.status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(LeaderHint(follower->result.status()), n1);
  EXPECT_TRUE(absl::StrContains(follower->result.status().message(),
                                "is not the leader"));
  // Invalid changes, from the Changer.
  auto twice = Change(n1, One(ChangeType::kAddVoter, n2));
  auto unknown = Change(n1, One(ChangeType::kRemove, NodeId(9)));
  runtime_.RunUntilIdle();
  ASSERT_TRUE(twice->done && unknown->done);
  EXPECT_EQ(twice->result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(
      absl::StrContains(twice->result.status().message(), "already a member"))
      << twice->result.status();
  EXPECT_EQ(unknown->result.status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(
      absl::StrContains(unknown->result.status().message(), "unknown node"))
      << unknown->result.status();
  EXPECT_EQ(LeaderHint(twice->result.status()), kNoNode);
  // A change in progress: the first is not committed yet.
  auto first = Change(n1, One(ChangeType::kAddLearner, n4));
  auto second = Change(n1, One(ChangeType::kRemove, n3));
  runtime_.RunUntilIdle();
  EXPECT_FALSE(first->done);
  ASSERT_TRUE(second->done);
  EXPECT_EQ(second->result.status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StrContains(second->result.status().message(),
                                "is not committed yet"))
      << second->result.status();
  EXPECT_EQ(LeaderHint(second->result.status()), kNoNode);
  RunFor(5 * kTickUs);
  ASSERT_TRUE(first->done);
  EXPECT_TRUE(first->result.ok()) << first->result.status();
  // A leadership transfer in progress.
  net_.Isolate(n3);
  ASSERT_TRUE(server(n1).TransferLeadership(n3).ok());
  auto during = Change(n1, One(ChangeType::kRemove, n4));
  auto command = Submit(n1, "set c 3");
  runtime_.RunUntilIdle();
  ASSERT_TRUE(during->done && command->done);
  EXPECT_EQ(during->result.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(during->result.status().message(),
            "leadership transfer to n3 in progress");
  EXPECT_EQ(command->result.status().code(), absl::StatusCode::kUnavailable);
  // Stopped.
  server(n2).Stop();
  auto stopped = Change(n2, One(ChangeType::kRemove, n4));
  runtime_.RunUntilIdle();
  ASSERT_TRUE(stopped->done);
  EXPECT_EQ(stopped->result.status().code(), absl::StatusCode::kUnavailable);
}

TEST_F(ServerTest, ChangeMembershipLostToALeaderChangeFails) {
  peers_[n4];
  StartAndElectN1();
  net_.Isolate(n1);
  auto lost = Change(n1, One(ChangeType::kAddLearner, n4));
  Settle();
  EXPECT_FALSE(lost->done);
  // n1 steps down (CheckQuorum), the others elect a leader whose entries
  // overwrite n1's configuration entry once healed.
  RunFor(110 * kTickUs);
  ASSERT_TRUE(IsLeader(n2) || IsLeader(n3));
  net_.Heal();
  auto later = Submit(IsLeader(n2) ? n2 : n3, "set kept 1");
  RunFor(20 * kTickUs);
  ASSERT_TRUE(later->done);
  ASSERT_TRUE(lost->done);
  EXPECT_EQ(lost->result.status().code(), absl::StatusCode::kAborted)
      << lost->result.status();
  EXPECT_TRUE(
      absl::StrContains(lost->result.status().message(), "not applied"));
  // The truncation reverted n1's configuration, and its listener saw both.
  EXPECT_EQ(server(n1).configuration().conf.learners, std::vector<NodeId>{});
  const std::vector<Membership>& seen = peers_[n1].memberships;
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].conf.learners, std::vector<NodeId>{n4});
  EXPECT_EQ(seen[1].index, LogIndex(0));
}

TEST_F(ServerTest, JointAutoLeaveChangeAnswersOnTheJointEntry) {
  peers_[n4];
  StartAndElectN1();
  StartPeer(n4);
  ConfChange swap{Transition::kJointAutoLeave,
                  {{ChangeType::kAddVoter, n4}, {ChangeType::kRemove, n3}}};
  auto joint = Change(n1, swap);
  RunFor(5 * kTickUs);
  ASSERT_TRUE(joint->done);
  ASSERT_TRUE(joint->result.ok()) << joint->result.status();
  EXPECT_EQ(joint->result->conf.voters, (std::vector<NodeId>{n1, n2, n4}));
  EXPECT_EQ(joint->result->conf.voters_outgoing,
            (std::vector<NodeId>{n1, n2, n3}));
  EXPECT_TRUE(joint->result->conf.auto_leave);
  // The leader left the joint configuration by itself; the listener saw it.
  const Membership now = server(n1).configuration();
  EXPECT_GT(now.index, joint->result->index);
  EXPECT_TRUE(now.conf.voters_outgoing.empty());
  EXPECT_EQ(now.conf.voters, (std::vector<NodeId>{n1, n2, n4}));
  ASSERT_EQ(peers_[n1].memberships.size(), 2u);
  EXPECT_EQ(peers_[n1].memberships[1], now);
}

TEST_F(ServerTest, TransferLeadershipThroughTheServer) {
  StartAndElectN1();
  const absl::Status follower = server(n2).TransferLeadership(n3);
  EXPECT_EQ(follower.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(LeaderHint(follower), n1);
  EXPECT_EQ(server(n1).TransferLeadership(n1).code(),
            absl::StatusCode::kInvalidArgument);
  const Term term = node(n1).term();
  ASSERT_TRUE(server(n1).TransferLeadership(n2).ok());
  RunFor(3 * kTickUs);
  EXPECT_TRUE(IsLeader(n2));
  EXPECT_EQ(node(n2).term(), Next(term));
  ASSERT_FALSE(peers_[n1].soft_states.empty());
  EXPECT_EQ(peers_[n1].soft_states.back().role, Role::kFollower);
  EXPECT_EQ(peers_[n1].soft_states.back().leader, n2);
  auto w = Submit(n2, "set a 1");
  RunFor(3 * kTickUs);
  ASSERT_TRUE(w->done);
  EXPECT_EQ(*w->result, "1");
}

TEST_F(ServerTest, BootstrapThroughTheServerThenGrow) {
  adjust_ = [](ServerOptions& o) { o.raft.voters.clear(); };
  {
    Peer& p = peers_[n1];
    p.server =
        std::make_unique<Server>(Options(n1), &runtime_, net_.transport(n1),
                                 p.storage.get(), p.sm.get());
    EXPECT_EQ(p.server->Bootstrap({}).code(),
              absl::StatusCode::kFailedPrecondition);  // Before Start.
    p.server.reset();
  }
  StartAll();
  ConfState one;
  one.voters = {n1};
  ASSERT_TRUE(server(n1).Bootstrap(one).ok());
  ASSERT_TRUE(server(n1).Bootstrap(one).ok());  // The same again: no-op.
  RunFor(20 * kTickUs);
  ASSERT_TRUE(IsLeader(n1));
  // The bootstrap entry went to storage through the Ready path.
  EXPECT_GE(storage(n1).memory().LastIndex(), LogIndex(1));
  EXPECT_GE(storage(n1).hard_state().term, Term(1));
  ASSERT_EQ(peers_[n1].memberships.size(), 1u);
  EXPECT_EQ(peers_[n1].memberships[0].index, LogIndex(1));
  auto add = Change(n1, One(ChangeType::kAddVoter, n2));
  RunFor(10 * kTickUs);
  ASSERT_TRUE(add->done);
  ASSERT_TRUE(add->result.ok()) << add->result.status();
  EXPECT_EQ(add->result->conf.voters, (std::vector<NodeId>{n1, n2}));
  EXPECT_EQ(server(n2).configuration(), *add->result);
  // n2 was initialised by the leader's log: its entry i1 is n1's
  // bootstrap (so the same call is a no-op), and any other is refused.
  EXPECT_TRUE(server(n2).Bootstrap(one).ok());
  ConfState other;
  other.voters = {n2};
  EXPECT_EQ(server(n2).Bootstrap(other).code(),
            absl::StatusCode::kFailedPrecondition);
}

// The metrics pump publishes on the runtime's timer, every interval, from
// Start until Stop; nothing when no interval is set.
TEST_F(ServerTest, MetricsPumpPublishesAtItsInterval) {
  constexpr int64_t kIntervalUs = 4 * kTickUs;
  adjust_ = [](ServerOptions& o) {
    if (o.raft.id == n1) o.metrics_interval_us = kIntervalUs;
  };
  std::vector<MetricsSnapshot> n1_snaps, n2_snaps;
  StartAll();
  server(n1).SetMetricsListener(
      [&](const MetricsSnapshot& m) { n1_snaps.push_back(m); });
  server(n2).SetMetricsListener(
      [&](const MetricsSnapshot& m) { n2_snaps.push_back(m); });
  const int64_t start = runtime_.NowUs();
  for (int i = 0; i < 100 && !IsLeader(n1); ++i) RunFor(kTickUs);
  ASSERT_TRUE(IsLeader(n1));
  std::vector<OutcomePtr> writes;
  for (int i = 0; i < 20; ++i) {
    writes.push_back(Submit(n1, absl::StrCat("incr k", i % 3)));
    RunFor(kTickUs);
  }
  RunFor(8 * kTickUs);
  EXPECT_TRUE(n2_snaps.empty());  // No interval: no pump.
  ASSERT_GE(n1_snaps.size(), 5u);
  for (size_t i = 0; i < n1_snaps.size(); ++i) {
    EXPECT_EQ(n1_snaps[i].at_us,
              start + static_cast<int64_t>(i + 1) * kIntervalUs);
    EXPECT_EQ(n1_snaps[i].node, n1);
  }
  const MetricsSnapshot& last = n1_snaps.back();
  EXPECT_EQ(last.role, Role::kLeader);
  EXPECT_EQ(last.leader, n1);
  EXPECT_EQ(last.commit_index, node(n1).commit_index());
  ASSERT_EQ(last.peers.size(), 2u);
  EXPECT_EQ(last.peers[0].id, n2);
  EXPECT_EQ(last.peers[1].id, n3);
  for (const PeerGauges& p : last.peers) {
    EXPECT_EQ(p.state, PeerState::kReplicate);
    EXPECT_EQ(p.match, node(n1).last_index());
    EXPECT_EQ(p.lag, 0u);
  }
  // Every write committed and applied here: one latency sample each.
  for (const OutcomePtr& w : writes) ASSERT_TRUE(w->done && w->result.ok());
  EXPECT_EQ(last.propose_to_commit_us.count(), 20u);
  EXPECT_EQ(last.propose_to_apply_us.count(), 20u);
  EXPECT_GE(last.propose_to_apply_us.sum(), last.propose_to_commit_us.sum());
  EXPECT_GT(last.storage_write_us.count(), 0u);
  EXPECT_EQ(last.apply_batch_entries.count(), last.counters.apply_batches);
  EXPECT_EQ(last.ready_entries.count(), last.counters.readys);
  // Stop ends the pump.
  const size_t published = n1_snaps.size();
  server(n1).Stop();
  RunFor(3 * kIntervalUs);
  EXPECT_EQ(n1_snaps.size(), published);
}

// Queue-depth gauges follow the pipeline: a held write shows as a write in
// flight on the follower, and its ack as a held message, until released.
TEST_F(ServerTest, MetricsShowWritesInFlightAndHeldAcks) {
  StartAndElectN1();
  storage(n2).set_hold(true);
  Submit(n1, "set a 1");
  Settle();
  MetricsSnapshot m = server(n2).Metrics();
  EXPECT_GE(m.queues.writes_in_flight, 1u);
  EXPECT_GE(m.queues.held_messages, 1u);
  EXPECT_LT(m.durable_index, m.last_index);
  EXPECT_TRUE(m.peers.empty());  // Not the leader.
  storage(n2).ReleaseAll();
  Settle();
  m = server(n2).Metrics();
  EXPECT_EQ(m.queues.writes_in_flight, 0u);
  EXPECT_EQ(m.queues.held_messages, 0u);
  EXPECT_EQ(m.durable_index, m.last_index);
}

// Events: every role, leader and term change at once, with a reason; the
// configuration in force; and the error that stops a Server.
TEST_F(ServerTest, EventsArePublishedAtOnceWithAReason) {
  std::map<NodeId, std::vector<ServerEvent>> events;
  StartAll();
  for (const NodeId id : {n1, n2, n3}) {
    server(id).SetEventListener(
        [&events, id](const ServerEvent& e) { events[id].push_back(e); });
  }
  for (int i = 0; i < 100 && !IsLeader(n1); ++i) RunFor(kTickUs);
  ASSERT_TRUE(IsLeader(n1));
  const auto find = [&](NodeId id, ServerEvent::Kind kind,
                        const char* reason) -> const ServerEvent* {
    for (const ServerEvent& e : events[id]) {
      if (e.kind == kind && absl::StrContains(e.reason, reason)) return &e;
    }
    return nullptr;
  };
  const ServerEvent* won =
      find(n1, ServerEvent::Kind::kRole, "won the election of");
  ASSERT_NE(won, nullptr);
  EXPECT_EQ(won->soft.role, Role::kLeader);
  EXPECT_EQ(won->node, n1);
  EXPECT_TRUE(absl::StartsWith(won->Describe(), "n1 role leader "))
      << won->Describe();
  EXPECT_TRUE(absl::StrContains(won->Describe(), ": won the election of t"))
      << won->Describe();
  ASSERT_NE(find(n1, ServerEvent::Kind::kTerm, "campaigns for"), nullptr);
  ASSERT_NE(find(n1, ServerEvent::Kind::kLeader, "leader is n1"), nullptr);
  ASSERT_NE(find(n2, ServerEvent::Kind::kLeader, "leader is n1"), nullptr);
  // The events agree with the soft states the listener saw, in order.
  std::vector<SoftState> from_events;
  for (const ServerEvent& e : events[n1]) {
    if (from_events.empty() || !(from_events.back() == e.soft)) {
      from_events.push_back(e.soft);
    }
  }
  std::vector<SoftState> listened(peers_[n1].soft_states.begin() + 1,
                                  peers_[n1].soft_states.end());
  EXPECT_EQ(from_events, listened);
  EXPECT_EQ(server(n1).metrics().events, events[n1].size());

  // A membership change: an event on every member when the entry appends.
  peers_[n4];
  StartPeer(n4);
  Change(n1, One(ChangeType::kAddLearner, n4));
  runtime_.RunUntilIdle();
  const ServerEvent* appended =
      find(n1, ServerEvent::Kind::kMembership, "appended");
  ASSERT_NE(appended, nullptr);  // On the leader, at once.
  EXPECT_EQ(appended->membership.conf.learners, (std::vector<NodeId>{n4}));
  RunFor(3 * kTickUs);
  EXPECT_NE(find(n2, ServerEvent::Kind::kMembership, "appended"), nullptr);

  // A failed write: the error event, before anything else runs.
  storage(n2).FailNextWrite(absl::InternalError("disk on fire"));
  Submit(n1, "set a 1");
  Settle();
  ASSERT_TRUE(server(n2).stopped());
  const ServerEvent* error =
      find(n2, ServerEvent::Kind::kError, "disk on fire");
  ASSERT_NE(error, nullptr);
  EXPECT_EQ(error->error, server(n2).failure());
  EXPECT_EQ(&events[n2].back(), error);
}

}  // namespace
}  // namespace raftsim::raft
