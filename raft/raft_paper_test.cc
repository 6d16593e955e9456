// raft/raft_paper_test.cc — one test per rule of the Raft paper's Figure 2
// and §5 (Ongaro & Ousterhout, "In Search of an Understandable Consensus
// Algorithm", 2014), each citing its section.
//
// Most tests drive a single raft::Node with hand-built messages and inspect
// its Readys (raft/testing/node_util.h); the ones about a whole cluster use
// the in-process Cluster (raft/testing/cluster.h).

#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <vector>

#include "gtest/gtest.h"
#include "raft/node.h"
#include "raft/testing/cluster.h"
#include "raft/testing/node_util.h"

namespace raftsim::raft::testing {
namespace {

// Messages of `type` in `msgs`.
std::vector<Message> OfType(const std::vector<Message>& msgs,
                            MessageType type) {
  std::vector<Message> out;
  for (const Message& m : msgs) {
    if (m.type == type) out.push_back(m);
  }
  return out;
}

const tracker::Progress& ProgressOf(const Node& n, uint64_t id) {
  const tracker::Progress* pr = n.tracker().Get(NodeId(id));
  CHECK(pr != nullptr);
  return *pr;
}

// --- §5.1: terms ---------------------------------------------------------

// Raft §5.1 / Figure 2 "Rules for All Servers": if a message contains a term
// T > currentTerm, set currentTerm = T and convert to follower.
TEST(RaftPaper, HigherTermMakesLeaderAFollower) {
  auto n = NewLeader(1, EntriesWithTerms({1}));
  ASSERT_EQ(n->term(), T(2));
  StepOk(*n, AppendReply(3, 1, 5, 0));
  EXPECT_EQ(n->role(), Role::kFollower);
  EXPECT_EQ(n->term(), T(5));
  EXPECT_EQ(n->voted_for(), kNoNode);
  // The new term is persisted before anything else of this term leaves.
  const Ready rd = Drain(*n);
  ASSERT_TRUE(rd.hard_state.has_value());
  EXPECT_EQ(rd.hard_state->term, T(5));
}

// Raft §5.1: "If a server receives a request with a stale term number, it
// rejects the request" — an AppendEntries of an old term changes nothing
// and is answered with the current term, so the stale leader steps down.
TEST(RaftPaper, StaleTermAppendIsAnsweredWithHigherTerm) {
  auto n =
      NewNode(TestConfig(2), {T(5), kNoNode, I(0)}, EntriesWithTerms({1, 3}));
  StepOk(*n, AppendMsg(1, 2, 3, 2, 3, EntriesWithTerms({3}, 3), 3));
  EXPECT_EQ(n->term(), T(5));
  EXPECT_EQ(n->last_index(), I(2)) << "a stale leader must not append";
  EXPECT_EQ(n->commit_index(), I(0)) << "a stale leader must not commit";
  EXPECT_EQ(n->leader(), kNoNode);
  const std::vector<Message> out = AllMessages(Drain(*n));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].type, MessageType::kAppendReply);
  EXPECT_EQ(out[0].to, N(1));
  EXPECT_EQ(out[0].term, T(5));

  // The stale leader, hearing the higher term, steps down.
  auto old_leader = NewLeader(3, EntriesWithTerms({1, 3}));  // Term 4.
  StepOk(*old_leader, out[0]);
  EXPECT_EQ(old_leader->role(), Role::kFollower);
  EXPECT_EQ(old_leader->term(), T(5));
}

// Raft §5.1: a RequestVote of a stale term is rejected: no vote is granted
// and the vote of the current term is kept.
TEST(RaftPaper, StaleTermVoteRequestIsNotGranted) {
  auto n = NewNode(TestConfig(2), {T(5), kNoNode, I(0)});
  StepOk(*n, VoteMsg(3, 2, 4, 10, 4));
  EXPECT_EQ(n->voted_for(), kNoNode);
  EXPECT_EQ(n->term(), T(5));
  for (const Message& m : AllMessages(Drain(*n))) {
    EXPECT_TRUE(m.reject) << m.Describe();
  }
}

// Raft §5.1: replies of an older term (here a vote grant from an earlier
// election) are ignored: they must not count toward the current election.
TEST(RaftPaper, StaleTermVoteGrantIsIgnored) {
  auto n = NewNode(TestConfig(1), {T(4), kNoNode, I(0)});
  n->Campaign();  // Candidate of term 5.
  Drain(*n);
  StepOk(*n, VoteReply(2, 1, 4));
  EXPECT_EQ(n->role(), Role::kCandidate);
  StepOk(*n, VoteReply(2, 1, 5));
  EXPECT_EQ(n->role(), Role::kLeader);
}

// Raft §5.1 / Figure 2: an AppendEntries acknowledgement of an earlier
// term says nothing about this term's log — the follower matched what that
// term's leader sent, which this leader may since have replaced — so it
// must not raise the match index nor count toward commit.
TEST(RaftPaper, StaleTermAppendAckIsIgnored) {
  auto n = NewLeader(2, EntriesWithTerms({1, 2}));  // Term 3, no-op at i3.
  ASSERT_EQ(n->last_index(), I(3));
  StepOk(*n, AppendReply(2, 1, 2, 3));  // n2 acked i3 in term 2.
  EXPECT_EQ(ProgressOf(*n, 2).match(), I(0));
  EXPECT_EQ(n->commit_index(), I(0));
  StepOk(*n, AppendReply(2, 1, 3, 3));  // The same ack in term 3 counts.
  EXPECT_EQ(ProgressOf(*n, 2).match(), I(3));
  EXPECT_EQ(n->commit_index(), I(3));
}

// --- §5.2: leader election -------------------------------------------------

// Raft §5.2: to begin an election a follower increments its term, votes for
// itself and issues RequestVote to every other server — and (Figure 2,
// "persistent state ... updated on stable storage before responding") the
// requests leave only once the self-vote is durable.
TEST(RaftPaper, CandidateIncrementsTermVotesForItselfAndRequestsVotes) {
  auto n =
      NewNode(TestConfig(1), {T(2), kNoNode, I(0)}, EntriesWithTerms({1, 2}));
  n->Campaign();
  EXPECT_EQ(n->role(), Role::kCandidate);
  EXPECT_EQ(n->term(), T(3));
  EXPECT_EQ(n->voted_for(), N(1));
  const Ready rd = TakeReady(*n);
  ASSERT_TRUE(rd.hard_state.has_value());
  EXPECT_EQ(rd.hard_state->voted_for, N(1));
  EXPECT_EQ(rd.hard_state->term, T(3));
  EXPECT_TRUE(OfType(rd.messages, MessageType::kVote).empty())
      << "a vote request left before the self-vote was durable";
  const auto votes = OfType(rd.messages_after_persist, MessageType::kVote);
  ASSERT_EQ(votes.size(), 2u);
  std::set<NodeId> to;
  for (const Message& m : votes) {
    to.insert(m.to);
    EXPECT_EQ(m.term, T(3));
    EXPECT_EQ(m.last_log_index, I(2));
    EXPECT_EQ(m.last_log_term, T(2));
  }
  EXPECT_EQ(to, (std::set<NodeId>{N(2), N(3)}));
}

// Raft §5.2: a candidate wins with votes from a majority (itself + one of
// three); a rejection from the other is irrelevant.
TEST(RaftPaper, CandidateWinsWithMajority) {
  auto n = NewNode(TestConfig(1, 5), {T(0), kNoNode, I(0)});
  n->Campaign();
  Drain(*n);
  StepOk(*n, VoteReply(2, 1, 1));
  EXPECT_EQ(n->role(), Role::kCandidate) << "2 of 5 is not a majority";
  StepOk(*n, VoteReply(4, 1, 1, /*granted=*/false));
  EXPECT_EQ(n->role(), Role::kCandidate);
  StepOk(*n, VoteReply(2, 1, 1));  // A duplicate counts once.
  EXPECT_EQ(n->role(), Role::kCandidate);
  StepOk(*n, VoteReply(3, 1, 1));
  EXPECT_EQ(n->role(), Role::kLeader);
  EXPECT_EQ(n->leader(), N(1));
}

// Raft §5.2: a candidate that loses (a majority rejects) does not become
// leader; it stays in its term and campaigns again on the next timeout.
TEST(RaftPaper, CandidateLosesWhenMajorityRejects) {
  auto n = NewNode(TestConfig(1), {T(0), kNoNode, I(0)});
  n->Campaign();
  Drain(*n);
  StepOk(*n, VoteReply(2, 1, 1, false));
  StepOk(*n, VoteReply(3, 1, 1, false));
  EXPECT_EQ(n->role(), Role::kFollower);
  EXPECT_EQ(n->term(), T(1));
  for (int i = 0; i < 20 && n->role() == Role::kFollower; ++i) n->Tick();
  EXPECT_EQ(n->role(), Role::kCandidate);
  EXPECT_EQ(n->term(), T(2));
}

// Raft §5.2: "If the leader's term is at least as large as the candidate's
// current term, then the candidate recognizes the leader as legitimate and
// returns to follower state" — and it processes the AppendEntries.
TEST(RaftPaper, CandidateStepsDownOnAppendFromLeaderOfItsTerm) {
  auto n = NewNode(TestConfig(1), {T(1), kNoNode, I(0)}, EntriesWithTerms({1}));
  n->Campaign();
  ASSERT_EQ(n->role(), Role::kCandidate);
  ASSERT_EQ(n->term(), T(2));
  Drain(*n);
  StepOk(*n, AppendMsg(2, 1, 2, 1, 1, EntriesWithTerms({2}, 2), 1));
  EXPECT_EQ(n->role(), Role::kFollower);
  EXPECT_EQ(n->term(), T(2));
  EXPECT_EQ(n->leader(), N(2));
  EXPECT_EQ(n->voted_for(), N(1)) << "the vote of the term is kept";
  EXPECT_EQ(n->last_index(), I(2));
  EXPECT_EQ(n->commit_index(), I(1));
  const auto acks =
      OfType(Drain(*n).messages_after_persist, MessageType::kAppendReply);
  ASSERT_EQ(acks.size(), 1u);
  EXPECT_FALSE(acks[0].reject);
  EXPECT_EQ(acks[0].index, I(2));
}

// Raft §5.2 (Election Safety): each server votes for at most one candidate
// per term, first come first served; it may repeat the same vote (a lost
// reply), but a second candidate of the same term is refused.
TEST(RaftPaper, OneVotePerTerm) {
  auto n = NewNode(TestConfig(1), {T(1), kNoNode, I(0)});
  StepOk(*n, VoteMsg(2, 1, 2, 0, 0));
  EXPECT_EQ(n->voted_for(), N(2));
  auto granted = OfType(AllMessages(Drain(*n)), MessageType::kVoteReply);
  ASSERT_EQ(granted.size(), 1u);
  EXPECT_FALSE(granted[0].reject);

  StepOk(*n, VoteMsg(3, 1, 2, 5, 2));  // Better log, same term: still no.
  EXPECT_EQ(n->voted_for(), N(2));
  auto refused = OfType(AllMessages(Drain(*n)), MessageType::kVoteReply);
  ASSERT_EQ(refused.size(), 1u);
  EXPECT_TRUE(refused[0].reject);
  EXPECT_EQ(refused[0].to, N(3));

  StepOk(*n, VoteMsg(2, 1, 2, 0, 0));  // The same candidate again: yes.
  auto repeated = OfType(AllMessages(Drain(*n)), MessageType::kVoteReply);
  ASSERT_EQ(repeated.size(), 1u);
  EXPECT_FALSE(repeated[0].reject);

  // A new term frees the vote.
  StepOk(*n, VoteMsg(3, 1, 3, 0, 0));
  EXPECT_EQ(n->voted_for(), N(3));
  EXPECT_EQ(n->term(), T(3));
}

// Raft §5.2 and Figure 2 ("respond to RPCs only after updating stable
// storage"): a vote grant leaves only after the vote is durable: it is in
// messages_after_persist, and the hard state carrying voted_for is in the
// same Ready.
TEST(RaftPaper, VoteGrantLeavesOnlyAfterPersist) {
  auto n = NewNode(TestConfig(1), {T(1), kNoNode, I(0)});
  StepOk(*n, VoteMsg(3, 1, 2, 0, 0));
  const Ready rd = TakeReady(*n);
  EXPECT_TRUE(OfType(rd.messages, MessageType::kVoteReply).empty())
      << "vote grant may leave before the vote is durable";
  const auto grants =
      OfType(rd.messages_after_persist, MessageType::kVoteReply);
  ASSERT_EQ(grants.size(), 1u);
  EXPECT_FALSE(grants[0].reject);
  ASSERT_TRUE(rd.hard_state.has_value());
  EXPECT_EQ(rd.hard_state->voted_for, N(3));
  EXPECT_EQ(rd.hard_state->term, T(2));
  EXPECT_TRUE(rd.MustPersist());
}

// Raft §5.4.1: a voter denies its vote if its own log is more up-to-date:
// compare the last terms first; only with equal last terms does the longer
// log win.
TEST(RaftPaper, VoteUpToDateRuleComparesLastTermThenLastIndex) {
  struct Case {
    uint64_t cand_last_index, cand_last_term;
    bool granted;
  };
  // The voter's log: [1@t1 2@t1 3@t2]; last = 3@t2.
  const Case cases[] = {
      {3, 2, true},   // Identical.
      {4, 2, true},   // Same term, longer.
      {2, 2, false},  // Same term, shorter.
      {1, 3, true},   // Higher last term wins although much shorter.
      {9, 1, false},  // Lower last term loses although much longer.
      {0, 0, false},  // Empty log.
  };
  for (const Case& c : cases) {
    auto n = NewNode(TestConfig(1), {T(2), kNoNode, I(0)},
                     EntriesWithTerms({1, 1, 2}));
    StepOk(*n, VoteMsg(2, 1, 3, c.cand_last_index, c.cand_last_term));
    const auto replies =
        OfType(AllMessages(Drain(*n)), MessageType::kVoteReply);
    ASSERT_EQ(replies.size(), 1u);
    EXPECT_EQ(!replies[0].reject, c.granted)
        << "candidate last=" << c.cand_last_index << "@t" << c.cand_last_term;
    EXPECT_EQ(n->voted_for(), c.granted ? N(2) : kNoNode);
    EXPECT_EQ(n->term(), T(3)) << "the higher term is adopted either way";
  }
}

// Raft §5.2: election timeouts are chosen randomly from a fixed interval
// ([T, 2T) here) so that split votes are rare: a follower that hears
// nothing campaigns after a number of ticks in that range, and different
// seeds give different timeouts.
TEST(RaftPaper, ElectionTimeoutIsRandomizedInTTo2T) {
  std::set<int> seen;
  for (uint64_t seed = 0; seed < 200; ++seed) {
    Config c = TestConfig(1);
    c.seed = seed;
    auto n = NewNode(c, {T(0), kNoNode, I(0)});
    int ticks = 0;
    while (n->role() == Role::kFollower && ticks < 100) {
      n->Tick();
      ++ticks;
    }
    ASSERT_EQ(n->role(), Role::kCandidate);
    EXPECT_GE(ticks, c.election_timeout_ticks);
    EXPECT_LT(ticks, 2 * c.election_timeout_ticks);
    seen.insert(ticks);
  }
  EXPECT_GE(seen.size(), 8u) << "timeouts are hardly randomized";
}

// Raft §5.2: a follower that keeps hearing from a leader (heartbeats) never
// starts an election.
TEST(RaftPaper, FollowerWithLiveLeaderDoesNotCampaign) {
  auto n = NewNode(TestConfig(2), {T(1), kNoNode, I(0)});
  for (int i = 0; i < 100; ++i) {
    n->Tick();
    if (i % 5 == 0) StepOk(*n, Msg(MessageType::kHeartbeat, 1, 2, 1));
  }
  EXPECT_EQ(n->role(), Role::kFollower);
  EXPECT_EQ(n->term(), T(1));
}

// Raft §5.2: the leader sends periodic heartbeats to every follower.
TEST(RaftPaper, LeaderSendsHeartbeatsEveryHeartbeatInterval) {
  auto n = NewLeader(1, EntriesWithTerms({1}));
  Drain(*n);
  n->Tick();  // heartbeat_ticks = 1.
  const auto hbs = OfType(Drain(*n).messages, MessageType::kHeartbeat);
  ASSERT_EQ(hbs.size(), 2u);
  EXPECT_EQ(hbs[0].to, N(2));
  EXPECT_EQ(hbs[1].to, N(3));
  EXPECT_EQ(hbs[0].term, T(2));
}

// --- §5.3: log replication ---------------------------------------------

// Raft §8 ("a leader must have the latest information on which entries are
// committed ... each leader commit a blank no-op entry into the log at the
// start of its term") and §5.4.2: the new leader appends a no-op of its term
// and replicates it.
TEST(RaftPaper, LeaderAppendsNoopOnElection) {
  auto n =
      NewNode(TestConfig(1), {T(1), kNoNode, I(0)}, EntriesWithTerms({1, 1}));
  n->Campaign();
  Drain(*n);
  StepOk(*n, VoteReply(3, 1, 2));
  ASSERT_EQ(n->role(), Role::kLeader);
  EXPECT_EQ(n->last_index(), I(3));
  EXPECT_EQ(n->last_term(), T(2));
  EXPECT_EQ(n->log().At(I(3)).kind, EntryKind::kNoop);
  const Ready rd = Drain(*n);
  ASSERT_EQ(rd.entries.size(), 1u);
  EXPECT_EQ(rd.entries[0].kind, EntryKind::kNoop);
  const auto appends = OfType(rd.messages, MessageType::kAppend);
  ASSERT_EQ(appends.size(), 2u);
  for (const Message& m : appends) {
    // Raft Figure 2: nextIndex starts at the leader's last index + 1 (before
    // the no-op), so the probe carries the no-op after 2@t1.
    EXPECT_EQ(m.prev_log_index, I(2));
    EXPECT_EQ(m.prev_log_term, T(1));
    ASSERT_EQ(m.entries.size(), 1u);
    EXPECT_EQ(m.entries[0].index, I(3));
  }
}

// Raft §5.3 / Figure 2 AppendEntries step 2: reply false if the log has no
// entry at prevLogIndex whose term matches prevLogTerm — and keep the log.
TEST(RaftPaper, AppendRejectedWhenPrevEntryDoesNotMatch) {
  auto n = NewNode(TestConfig(2), {T(3), kNoNode, I(0)},
                   EntriesWithTerms({1, 2, 2}));
  // Missing prev entry (log too short).
  StepOk(*n, AppendMsg(1, 2, 3, 5, 3, EntriesWithTerms({3}, 6), 0));
  auto r = OfType(AllMessages(Drain(*n)), MessageType::kAppendReply);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_TRUE(r[0].reject);
  EXPECT_EQ(r[0].index, I(5));
  EXPECT_EQ(r[0].hint_term, T(0)) << "log ends before the rejected index";
  EXPECT_EQ(r[0].hint_index, I(3));
  // Mismatching prev term.
  StepOk(*n, AppendMsg(1, 2, 3, 3, 3, EntriesWithTerms({3}, 4), 0));
  r = OfType(AllMessages(Drain(*n)), MessageType::kAppendReply);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_TRUE(r[0].reject);
  EXPECT_EQ(r[0].hint_term, T(2));
  EXPECT_EQ(r[0].hint_index, I(2)) << "first index of the conflicting term";
  EXPECT_EQ(n->last_index(), I(3));
  EXPECT_EQ(n->last_term(), T(2));
  // Each refusal counts as its own situation (raft/coverage.h).
  EXPECT_EQ(n->coverage().count(Situation::kAppendRejectedShortLog), 1u);
  EXPECT_EQ(n->coverage().count(Situation::kAppendRejectedMismatch), 1u);
}

// Raft §5.3 / Figure 2 AppendEntries step 3: "If an existing entry conflicts
// with a new one (same index but different terms), delete the existing
// entry and all that follow it" — only from the first conflicting index. A
// stale or duplicated AppendEntries whose entries all match must not
// truncate the newer entries after them.
TEST(RaftPaper, TruncatesOnlyFromFirstConflictingIndex) {
  auto n = NewNode(TestConfig(2), {T(2), kNoNode, I(0)},
                   EntriesWithTerms({1, 1, 2, 2, 2}));
  // A delayed duplicate of an earlier AppendEntries (prev=1@t1, [2@t1 3@t2]).
  StepOk(*n, AppendMsg(1, 2, 2, 1, 1, EntriesWithTerms({1, 2}, 2), 0));
  EXPECT_EQ(n->last_index(), I(5)) << "a matching stale append truncated";
  auto r = OfType(AllMessages(Drain(*n)), MessageType::kAppendReply);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_FALSE(r[0].reject);
  EXPECT_EQ(r[0].index, I(3)) << "ack covers only the request's range";
  EXPECT_EQ(n->coverage().count(Situation::kAppendAlreadyPresent), 1u);
  EXPECT_EQ(n->coverage().count(Situation::kFollowerTruncatesSuffix), 0u);

  // A real conflict at index 4 (a leader of term 3): entries from 4 go, the
  // ones before stay.
  StepOk(*n, AppendMsg(1, 2, 3, 2, 1, EntriesWithTerms({2, 3}, 3), 0));
  EXPECT_EQ(n->last_index(), I(4));
  EXPECT_EQ(n->log().At(I(3)).term, T(2));
  EXPECT_EQ(n->log().At(I(4)).term, T(3));
  EXPECT_EQ(n->coverage().count(Situation::kFollowerTruncatesSuffix), 1u);
  // The new entries go to storage from the conflict point only.
  const Ready rd = Drain(*n);
  ASSERT_EQ(rd.entries.size(), 1u);
  EXPECT_EQ(rd.entries[0].index, I(4));
}

// Raft Figure 2 AppendEntries step 4: append any new entries not already in
// the log (a request overlapping the log's end appends only the new part).
TEST(RaftPaper, AppendAddsOnlyEntriesNotAlreadyInLog) {
  auto n =
      NewNode(TestConfig(2), {T(1), kNoNode, I(0)}, EntriesWithTerms({1, 1}));
  StepOk(*n, AppendMsg(1, 2, 1, 0, 0, EntriesWithTerms({1, 1, 1, 1}), 0));
  EXPECT_EQ(n->last_index(), I(4));
  const Ready rd = Drain(*n);
  ASSERT_EQ(rd.entries.size(), 2u);
  EXPECT_EQ(rd.entries[0].index, I(3));
}

// Raft Figure 2 ("respond to RPCs only after updating stable storage"): an
// AppendEntries ack claims the entries are durable, so it leaves only once
// the Ready that persists them is reported durable.
TEST(RaftPaper, AppendAckLeavesOnlyAfterPersist) {
  auto n = NewNode(TestConfig(2), {T(1), kNoNode, I(0)});
  StepOk(*n, AppendMsg(1, 2, 1, 0, 0, EntriesWithTerms({1, 1}), 0));
  const Ready rd = TakeReady(*n);
  EXPECT_TRUE(OfType(rd.messages, MessageType::kAppendReply).empty());
  const auto acks =
      OfType(rd.messages_after_persist, MessageType::kAppendReply);
  ASSERT_EQ(acks.size(), 1u);
  EXPECT_EQ(acks[0].index, I(2));
  ASSERT_EQ(rd.entries.size(), 2u);
  EXPECT_EQ(rd.persist_index, I(2));
  EXPECT_EQ(n->durable_index(), I(0));
  n->OnPersisted(rd.persist_index, rd.persist_term);
  EXPECT_EQ(n->durable_index(), I(2));
}

// Raft Figure 2 AppendEntries step 5: "If leaderCommit > commitIndex, set
// commitIndex = min(leaderCommit, index of last new entry)" — never beyond
// what this request verified, even when the log holds more.
TEST(RaftPaper, FollowerCommitsMinOfLeaderCommitAndLastNewEntry) {
  auto n = NewNode(TestConfig(2), {T(1), kNoNode, I(0)},
                   EntriesWithTerms({1, 1, 1}));
  // The leader has committed 5, but this request verifies only up to 2.
  StepOk(*n, AppendMsg(1, 2, 2, 1, 1, EntriesWithTerms({1}, 2), 5));
  EXPECT_EQ(n->commit_index(), I(2));
  // Entry 3 (term 1) may differ from the leader's 3: not committed.
  StepOk(*n, AppendMsg(1, 2, 2, 2, 1, EntriesWithTerms({2}, 3), 5));
  EXPECT_EQ(n->commit_index(), I(3));
  EXPECT_EQ(n->log().At(I(3)).term, T(2));
}

// Raft §5.3: heartbeats carry the leader's commit index, capped at what the
// follower is known to hold (min(match, commit)), so a lagging follower
// never commits entries it lacks or that may differ from the leader's.
TEST(RaftPaper, HeartbeatCarriesMinOfMatchAndCommit) {
  auto n = NewLeader(1, EntriesWithTerms({1}));  // Log [1@t1 2@t2(noop)].
  StepOk(*n, AppendReply(2, 1, 2, 2));
  ASSERT_EQ(n->commit_index(), I(2));
  Drain(*n);
  n->Tick();
  const auto hbs = OfType(Drain(*n).messages, MessageType::kHeartbeat);
  ASSERT_EQ(hbs.size(), 2u);
  for (const Message& m : hbs) {
    const LogIndex match = ProgressOf(*n, m.to.value()).match();
    EXPECT_EQ(m.commit, std::min(match, n->commit_index())) << m.Describe();
  }
  EXPECT_EQ(hbs[0].commit, I(2));  // n2 acked 2.
  EXPECT_EQ(hbs[1].commit, I(0));  // n3 acked nothing.
}

// Raft §5.3: a follower receiving a heartbeat commits up to the carried
// commit index (capped by its own last index).
TEST(RaftPaper, FollowerCommitsFromHeartbeat) {
  auto n =
      NewNode(TestConfig(2), {T(1), kNoNode, I(0)}, EntriesWithTerms({1, 1}));
  Message hb = Msg(MessageType::kHeartbeat, 1, 2, 1);
  hb.commit = I(2);
  StepOk(*n, hb);
  EXPECT_EQ(n->commit_index(), I(2));
  const auto replies =
      OfType(AllMessages(Drain(*n)), MessageType::kHeartbeatReply);
  ASSERT_EQ(replies.size(), 1u);
}

// Raft §5.3: matchIndex advances only to what an acknowledgement covered
// (prevLogIndex + entries), never to the leader's last index, and a stale
// (reordered) ack never moves it back.
TEST(RaftPaper, MatchIndexAdvancesOnlyToAcknowledgedRange) {
  auto n = NewLeader(1, EntriesWithTerms({1}));
  std::vector<Payload> batch = {Payload("a"), Payload("b"), Payload("c")};
  ASSERT_TRUE(n->Propose(batch).ok());  // Log up to 5.
  Drain(*n);
  StepOk(*n, AppendReply(2, 1, 2, 3));
  EXPECT_EQ(ProgressOf(*n, 2).match(), I(3));
  StepOk(*n, AppendReply(2, 1, 2, 2));  // Reordered, older ack.
  EXPECT_EQ(ProgressOf(*n, 2).match(), I(3));
  StepOk(*n, AppendReply(2, 1, 2, 5));
  EXPECT_EQ(ProgressOf(*n, 2).match(), I(5));
  EXPECT_EQ(ProgressOf(*n, 3).match(), I(0));
}

// Raft §5.3: rejection hints let the leader skip a follower's whole
// conflicting term at once (the optimization at the end of §5.3), so a
// follower with a long divergent tail of an old term converges in a few
// round trips rather than one per entry.
TEST(RaftPaper, RejectionHintBacktracksQuicklyOverDivergentTail) {
  // Leader: [1@t1, 2..11@t3], elected in term 4 (no-op 12@t4).
  std::vector<Entry> leader_log = EntriesWithTerms({1});
  for (int i = 0; i < 10; ++i) leader_log.push_back(E(2 + i, 3));
  auto leader = NewLeader(3, leader_log, 1);
  // Follower: [1@t1, 2..101@t2]: a hundred uncommitted entries of a leader
  // of term 2 that nobody else has.
  std::vector<Entry> follower_log = EntriesWithTerms({1});
  for (int i = 0; i < 100; ++i) follower_log.push_back(E(2 + i, 2));
  auto follower = NewNode(TestConfig(2), {T(2), kNoNode, I(1)}, follower_log);

  // Shuttle messages between the two only (n3 is unreachable).
  int appends = 0;
  std::vector<Message> in_flight;
  leader->Tick();
  for (const Message& m : AllMessages(Drain(*leader))) in_flight.push_back(m);
  for (int round = 0; round < 200 && !in_flight.empty(); ++round) {
    std::vector<Message> next;
    for (Message& m : in_flight) {
      if (m.to == N(2)) {
        if (m.type == MessageType::kAppend) ++appends;
        StepOk(*follower, m);
        for (const Message& r : AllMessages(Drain(*follower)))
          next.push_back(r);
      } else if (m.to == N(1)) {
        StepOk(*leader, m);
        for (const Message& r : AllMessages(Drain(*leader))) next.push_back(r);
      }
    }
    in_flight.clear();
    for (Message& m : next) {
      if (m.to != N(3)) in_flight.push_back(std::move(m));
    }
  }
  EXPECT_EQ(follower->last_index(), I(12));
  EXPECT_EQ(follower->last_term(), T(4));
  EXPECT_EQ(ProgressOf(*leader, 2).match(), I(12));
  EXPECT_EQ(leader->commit_index(), I(12));
  // One probe per term boundary, not one per divergent entry.
  EXPECT_LE(appends, 5) << "backtracking took " << appends << " appends";
  EXPECT_GE(leader->coverage().count(Situation::kBacktrackAcrossTerms), 1u);
  EXPECT_GE(follower->coverage().count(Situation::kFollowerTruncatesSuffix),
            1u);
}

// Raft §5.3: a follower whose log is much shorter than the leader's says so
// (hint: its last index), and the leader jumps straight there.
TEST(RaftPaper, RejectionHintJumpsToShortFollowersEnd) {
  std::vector<Entry> leader_log;
  for (int i = 0; i < 50; ++i) leader_log.push_back(E(1 + i, 1));
  auto leader = NewLeader(1, leader_log, 0);
  Drain(*leader);
  auto follower =
      NewNode(TestConfig(2), {T(1), kNoNode, I(0)}, EntriesWithTerms({1, 1}));
  // The leader's first append (prev=50@t1) is rejected with hint last=2.
  StepOk(*follower, AppendMsg(1, 2, 2, 50, 1, {}, 0));
  const auto rej =
      OfType(AllMessages(Drain(*follower)), MessageType::kAppendReply);
  ASSERT_EQ(rej.size(), 1u);
  ASSERT_TRUE(rej[0].reject);
  // Pretend the leader sent that probe: its next for n2 is 51.
  StepOk(*leader, rej[0]);
  const auto probe = OfType(Drain(*leader).messages, MessageType::kAppend);
  ASSERT_EQ(probe.size(), 1u);
  EXPECT_EQ(probe[0].prev_log_index, I(2));
}

// --- §5.4: safety ---------------------------------------------------------

// Raft §5.4.2 and Figure 8: a leader must not commit an entry of a previous
// term by counting replicas, even when a majority stores it — that entry can
// still be overwritten by a future leader (Figure 8 (d)). It is committed
// only indirectly, once an entry of the leader's own term is.
TEST(RaftPaper, Figure8LeaderDoesNotCommitPreviousTermEntryByCounting) {
  // Figure 8 (c): S1, leader of term 4, holds [1@t1 2@t2]; 2@t2 was
  // appended in term 2 and never committed. Its no-op is 3@t4.
  auto n = NewLeader(3, EntriesWithTerms({1, 2}), 1);
  ASSERT_EQ(n->term(), T(4));
  ASSERT_EQ(n->last_index(), I(3));
  // S2 and S3 now hold 2@t2: a majority (all three!) stores it.
  StepOk(*n, AppendReply(2, 1, 4, 2));
  StepOk(*n, AppendReply(3, 1, 4, 2));
  EXPECT_EQ(ProgressOf(*n, 2).match(), I(2));
  EXPECT_EQ(n->commit_index(), I(1))
      << "committed a previous-term entry by counting replicas";
  Drain(*n);
  // Once the no-op of term 4 is on a majority, both are committed.
  StepOk(*n, AppendReply(2, 1, 4, 3));
  EXPECT_EQ(n->commit_index(), I(3));
}

// Raft §5.4.1 and §5.4.2 in a running cluster: n1 (term 1) replicates 2@t1
// to n2 only and crashes before committing it. n3, which lacks it, cannot
// be elected (n2 refuses: its log is more up to date); n2 is, and commits
// 2@t1 only indirectly, through the no-op of its own term. The full Figure 8
// sequence is the interaction script testdata/interaction/figure8.txt.
TEST(RaftPaper, UncommittedEntryOfOldTermSurvivesAndCommitsIndirectly) {
  Cluster::Options o;
  o.pre_vote = false;
  o.check_quorum = false;
  Cluster c(o);
  ASSERT_TRUE(c.Elect(N(1)));  // Term 1, no-op 1@t1 committed everywhere.
  // n1 appends 2@t1; only n2 gets it and its ack is lost.
  c.Cut(N(2), N(1));
  c.Isolate(N(3));
  ASSERT_TRUE(c.node(1).Propose(std::vector<Payload>{Payload("x")}).ok());
  c.Stabilize();
  ASSERT_EQ(c.node(2).last_index(), I(2));
  ASSERT_EQ(c.node(1).commit_index(), I(1));
  // n1 crashes; n3 (without 2@t1) cannot win: n2's log is more up to date.
  c.Crash(N(1));
  c.Heal();
  c.node(3).Campaign();
  c.Stabilize();
  EXPECT_NE(c.node(3).role(), Role::kLeader) << "n3 lacks 2@t1";
  // n2 wins and commits 2@t1 only through its own no-op.
  ASSERT_TRUE(c.Elect(N(2)));
  EXPECT_EQ(c.node(2).commit_index(), c.node(2).last_index());
  EXPECT_EQ(c.node(2).log().At(c.node(2).commit_index()).term,
            c.node(2).term());
  c.Restart(N(1));
  c.Stabilize();
  c.TickAll();
  c.Stabilize();
  for (NodeId id : c.ids()) {
    EXPECT_EQ(c.node(id).commit_index(), c.node(2).commit_index()) << id;
  }
}

// Raft §5.3: once a leader commits an entry, followers learn the commit
// index (in the next AppendEntries or heartbeat) and apply it, in order.
TEST(RaftPaper, CommitIndexPropagatesToFollowersAndIsAppliedInOrder) {
  Cluster::Options o;
  o.voters = 5;
  Cluster c(o);
  ASSERT_TRUE(c.Elect(N(1)));
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(c.node(1)
                    .Propose(std::vector<Payload>{Payload(std::to_string(i))})
                    .ok());
  }
  c.Stabilize();
  for (NodeId id : c.ids()) {
    EXPECT_EQ(c.node(id).commit_index(), I(4)) << id;
    ASSERT_EQ(c.applied(id).size(), 4u) << id;
    for (size_t k = 0; k < 4; ++k) {
      EXPECT_EQ(c.applied(id)[k].index, I(k + 1)) << id;
    }
    EXPECT_EQ(c.applied(id)[3].payload.view(), "2");
  }
}

// Thesis §10.2.1: the leader may write its log in parallel with
// replication, but counts its own log toward the commit index only up to
// what is durable on its own disk.
TEST(RaftPaper, LeaderCommitsOnlyUpToItsOwnDurableIndex) {
  Cluster::Options o;
  o.sync_persist = false;
  Cluster c(o);
  c.node(1).Campaign();
  for (int i = 0; i < 50; ++i) {
    c.Stabilize();
    c.PersistAll();
  }
  ASSERT_EQ(c.node(1).role(), Role::kLeader);
  c.Stabilize();
  c.PersistAll();
  c.Stabilize();
  const LogIndex before = c.node(1).commit_index();
  ASSERT_EQ(before, c.node(1).last_index());
  ASSERT_TRUE(c.node(1).Propose(std::vector<Payload>{Payload("x")}).ok());
  // Followers persist and ack; the leader's own write is still pending.
  c.ProcessReady(N(1));
  ASSERT_GE(c.pending_persists(N(1)), 1u);
  for (int i = 0; i < 10; ++i) {
    c.ProcessReady(N(2));
    c.ProcessReady(N(3));
    while (c.PersistOne(N(2)) || c.PersistOne(N(3))) {
    }
    c.Deliver([](const Message&) { return true; });
  }
  EXPECT_EQ(ProgressOf(c.node(1), 2).match(), c.node(1).last_index());
  EXPECT_EQ(c.node(1).durable_index(), before);
  EXPECT_EQ(c.node(1).commit_index(), before)
      << "leader committed an entry not yet durable on its own disk";
  // Now its own write completes: with one follower's ack that is a quorum.
  while (c.PersistOne(N(1))) {
  }
  EXPECT_EQ(c.node(1).commit_index(), c.node(1).last_index());
}

}  // namespace
}  // namespace raftsim::raft::testing
