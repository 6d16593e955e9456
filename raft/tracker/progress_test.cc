// raft/tracker/progress_test.cc — every Progress transition (after etcd's
// progress_test.go; Raft Figure 2 nextIndex/matchIndex, §5.3 backtracking),
// and a RapidCheck random walk with the invariants checked after each step.

#include "raft/tracker/progress.h"

#include <cstdint>

#include "gtest/gtest.h"
#include "rapidcheck.h"
#include "rapidcheck/gtest.h"

namespace raftsim::raft::tracker {
namespace {

constexpr size_t kWindow = 256;

Progress Make(uint64_t match, uint64_t next, size_t window = kWindow) {
  return Progress(LogIndex(match), LogIndex(next), window, 0);
}

Progress Replicating(uint64_t match, size_t window = kWindow) {
  Progress pr = Make(match, match + 1, window);
  pr.BecomeReplicate();
  return pr;
}

TEST(ProgressState, Describe) {
  EXPECT_EQ(Describe(ProgressState::kProbe), "StateProbe");
  EXPECT_EQ(Describe(ProgressState::kReplicate), "StateReplicate");
  EXPECT_EQ(Describe(ProgressState::kSnapshot), "StateSnapshot");
}

TEST(Progress, Describe) {
  Progress pr = Make(1, 2);
  EXPECT_EQ(pr.Describe(), "StateProbe match=i1 next=i2 inactive");
  pr.set_recent_active(true);
  pr.set_is_learner(true);
  pr.BecomeSnapshot(LogIndex(123));
  EXPECT_EQ(
      pr.Describe(),
      "StateSnapshot match=i1 next=i2 learner paused pending_snapshot=i123");
  Progress rep = Replicating(5, 2);
  rep.set_recent_active(true);
  rep.SentEntries(1, 10);
  EXPECT_EQ(rep.Describe(), "StateReplicate match=i5 next=i7 inflight=1");
  rep.SentEntries(2, 10);
  EXPECT_EQ(rep.Describe(),
            "StateReplicate match=i5 next=i9 paused inflight=2[full]");
}

TEST(Progress, NewProgressIsAProbe) {
  const Progress pr = Make(0, 11);
  EXPECT_EQ(pr.state(), ProgressState::kProbe);
  EXPECT_EQ(pr.match(), LogIndex(0));
  EXPECT_EQ(pr.next(), LogIndex(11));
  EXPECT_FALSE(pr.IsPaused());
  EXPECT_FALSE(pr.recent_active());
}

TEST(ProgressDeathTest, MatchMustBeBelowNext) {
  EXPECT_DEATH(Make(5, 5), "match_ < next_");
}

TEST(Progress, IsPaused) {
  Progress probe = Make(0, 1);
  EXPECT_FALSE(probe.IsPaused());
  probe.SentEntries(0, 0);  // Any append in kProbe is a probe.
  EXPECT_TRUE(probe.IsPaused());

  Progress rep = Replicating(0, 2);
  EXPECT_FALSE(rep.IsPaused());
  rep.SentEntries(0, 0);  // Empty appends do not use the window.
  EXPECT_FALSE(rep.IsPaused());
  rep.SentEntries(1, 1);
  rep.SentEntries(1, 1);
  EXPECT_TRUE(rep.IsPaused());

  Progress snap = Make(0, 1);
  snap.BecomeSnapshot(LogIndex(10));
  EXPECT_TRUE(snap.IsPaused());
}

// etcd TestProgressResume: acks and genuine rejections unpause a probe.
TEST(Progress, ResponsesUnpauseTheProbe) {
  Progress pr = Make(0, 2);
  pr.SentEntries(1, 1);
  ASSERT_TRUE(pr.IsPaused());
  EXPECT_TRUE(pr.MaybeDecrTo(LogIndex(1), LogIndex(1)));
  EXPECT_FALSE(pr.IsPaused());
  pr.SentEntries(1, 1);
  ASSERT_TRUE(pr.IsPaused());
  EXPECT_TRUE(pr.MaybeUpdate(LogIndex(2)));
  EXPECT_FALSE(pr.IsPaused());
  pr.SentEntries(1, 1);
  ASSERT_TRUE(pr.IsPaused());
  pr.HandleHeartbeatResponse();
  EXPECT_FALSE(pr.IsPaused());
  EXPECT_TRUE(pr.recent_active());
}

TEST(Progress, BecomeProbe) {
  struct Case {
    Progress pr;
    uint64_t want_next;
  };
  Progress from_replicate = Replicating(1);
  from_replicate.SentEntries(4, 1);  // next = 6
  Progress from_snapshot = Make(1, 5);
  from_snapshot.BecomeSnapshot(LogIndex(10));
  Progress from_small_snapshot = Make(1, 5);
  from_small_snapshot.BecomeSnapshot(LogIndex(0));
  Case cases[] = {
      {from_replicate, 2},
      // Leaving kSnapshot: probe after the snapshot.
      {from_snapshot, 11},
      // ... or after match, whichever is further.
      {from_small_snapshot, 2},
  };
  for (Case& c : cases) {
    c.pr.BecomeProbe();
    EXPECT_EQ(c.pr.state(), ProgressState::kProbe);
    EXPECT_EQ(c.pr.match(), LogIndex(1));
    EXPECT_EQ(c.pr.next(), LogIndex(c.want_next));
    EXPECT_EQ(c.pr.pending_snapshot(), LogIndex(0));
    EXPECT_TRUE(c.pr.inflights().empty());
    EXPECT_FALSE(c.pr.IsPaused());
  }
}

TEST(Progress, BecomeReplicate) {
  Progress pr = Make(1, 5);
  pr.SentEntries(1, 1);
  pr.BecomeReplicate();
  EXPECT_EQ(pr.state(), ProgressState::kReplicate);
  EXPECT_EQ(pr.match(), LogIndex(1));
  EXPECT_EQ(pr.next(), LogIndex(2));
  EXPECT_FALSE(pr.IsPaused());
}

TEST(Progress, BecomeSnapshot) {
  Progress pr = Replicating(1);
  pr.SentEntries(3, 30);
  pr.BecomeSnapshot(LogIndex(10));
  EXPECT_EQ(pr.state(), ProgressState::kSnapshot);
  EXPECT_EQ(pr.match(), LogIndex(1));
  EXPECT_EQ(pr.pending_snapshot(), LogIndex(10));
  EXPECT_TRUE(pr.inflights().empty());
  // Installing the snapshot acks its index.
  EXPECT_TRUE(pr.MaybeUpdate(LogIndex(10)));
  EXPECT_EQ(pr.next(), LogIndex(11));
}

// etcd TestProgressUpdate.
TEST(Progress, MaybeUpdate) {
  const uint64_t prev_match = 3, prev_next = 5;
  struct Case {
    uint64_t update;
    uint64_t want_match, want_next;
    bool want_ok;
  } cases[] = {
      {prev_match - 1, prev_match, prev_next, false},  // Stale: no change.
      {prev_match, prev_match, prev_next, false},      // Duplicate: no change.
      {prev_match + 1, prev_match + 1, prev_next, true},      // Match grows.
      {prev_match + 2, prev_match + 2, prev_next + 1, true},  // Both grow.
  };
  for (const Case& c : cases) {
    Progress pr = Make(prev_match, prev_next);
    EXPECT_EQ(pr.MaybeUpdate(LogIndex(c.update)), c.want_ok) << c.update;
    EXPECT_EQ(pr.match(), LogIndex(c.want_match)) << c.update;
    EXPECT_EQ(pr.next(), LogIndex(c.want_next)) << c.update;
  }
}

TEST(Progress, MaybeUpdateFreesTheWindow) {
  Progress pr = Replicating(0, 4);
  pr.SentEntries(2, 10);  // last i2
  pr.SentEntries(2, 10);  // last i4
  pr.SentEntries(2, 10);  // last i6
  EXPECT_EQ(pr.inflights().count(), 3u);
  EXPECT_TRUE(pr.MaybeUpdate(LogIndex(3)));  // Frees i2 only.
  EXPECT_EQ(pr.inflights().count(), 2u);
  EXPECT_EQ(pr.inflights().bytes(), 20u);
  EXPECT_TRUE(pr.MaybeUpdate(LogIndex(6)));
  EXPECT_TRUE(pr.inflights().empty());
  EXPECT_EQ(pr.next(), LogIndex(7));
}

TEST(Progress, SentEntriesInReplicateAdvancesNext) {
  Progress pr = Replicating(4);
  pr.SentEntries(3, 300);
  EXPECT_EQ(pr.next(), LogIndex(8));
  EXPECT_EQ(pr.inflights().newest(), LogIndex(7));
  EXPECT_EQ(pr.inflights().bytes(), 300u);
  pr.OptimisticUpdate(LogIndex(9));
  EXPECT_EQ(pr.next(), LogIndex(10));
}

TEST(Progress, SentEntriesInProbeKeepsNext) {
  Progress pr = Make(4, 8);
  pr.SentEntries(3, 300);
  EXPECT_EQ(pr.next(), LogIndex(8));
  EXPECT_TRUE(pr.inflights().empty());
  EXPECT_TRUE(pr.IsPaused());
}

TEST(ProgressDeathTest, NoAppendsWhileSnapshotting) {
  Progress pr = Make(0, 1);
  pr.BecomeSnapshot(LogIndex(5));
  EXPECT_DEATH(pr.SentEntries(1, 1), "snapshot is pending");
}

// etcd TestProgressMaybeDecr.
TEST(Progress, MaybeDecrTo) {
  struct Case {
    ProgressState state;
    uint64_t match, next, rejected, hint;
    bool want_ok;
    uint64_t want_next;
  } cases[] = {
      // kReplicate: a rejection at or below match is stale.
      {ProgressState::kReplicate, 5, 10, 5, 5, false, 10},
      {ProgressState::kReplicate, 5, 10, 4, 4, false, 10},
      // kReplicate: a genuine rejection restarts at match + 1.
      {ProgressState::kReplicate, 5, 10, 9, 9, true, 6},
      // kProbe: a rejection of anything but next - 1 is stale.
      {ProgressState::kProbe, 0, 10, 5, 5, false, 10},
      // kProbe: next follows the hint ...
      {ProgressState::kProbe, 0, 10, 9, 9, true, 9},
      {ProgressState::kProbe, 0, 2, 1, 1, true, 1},
      {ProgressState::kProbe, 0, 1, 0, 0, true, 1},
      {ProgressState::kProbe, 0, 10, 9, 2, true, 3},
      {ProgressState::kProbe, 0, 10, 9, 0, true, 1},
      // ... but never below match + 1 or above the rejected index.
      {ProgressState::kProbe, 3, 10, 9, 1, true, 4},
      {ProgressState::kProbe, 0, 10, 9, 20, true, 9},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(testing::Message()
                 << Describe(c.state) << " match=" << c.match << " next="
                 << c.next << " rejected=" << c.rejected << " hint=" << c.hint);
    Progress pr = Make(c.match, c.match + 1);
    if (c.state == ProgressState::kReplicate) {
      pr.BecomeReplicate();
      pr.OptimisticUpdate(LogIndex(c.next - 1));
    } else {
      pr = Make(c.match, c.next);
    }
    EXPECT_EQ(pr.MaybeDecrTo(LogIndex(c.rejected), LogIndex(c.hint)),
              c.want_ok);
    EXPECT_EQ(pr.next(), LogIndex(c.want_next));
    if (c.state == ProgressState::kReplicate && c.want_ok) {
      // Unlike etcd, the broken pipeline falls back to probing right here.
      EXPECT_EQ(pr.state(), ProgressState::kProbe);
    } else {
      EXPECT_EQ(pr.state(), c.state);
    }
  }
}

TEST(Progress, GenuineReplicateRejectionClearsTheWindow) {
  Progress pr = Replicating(5);
  pr.SentEntries(3, 30);
  pr.SentEntries(3, 30);
  EXPECT_TRUE(pr.MaybeDecrTo(LogIndex(8), LogIndex(6)));
  EXPECT_EQ(pr.state(), ProgressState::kProbe);
  EXPECT_EQ(pr.next(), LogIndex(6));
  EXPECT_TRUE(pr.inflights().empty());
}

TEST(Progress, HeartbeatResponseReopensAFullWindow) {
  Progress pr = Replicating(0, 2);
  pr.SentEntries(1, 1);
  pr.SentEntries(1, 1);
  ASSERT_TRUE(pr.IsPaused());
  pr.HandleHeartbeatResponse();
  EXPECT_FALSE(pr.IsPaused());
  EXPECT_EQ(pr.inflights().count(), 1u);
  EXPECT_EQ(pr.next(), LogIndex(3));  // next is not rewound.
}

TEST(Progress, SentCommit) {
  Progress pr = Replicating(5);
  pr.SentEntries(5, 1);  // next = 11
  EXPECT_TRUE(pr.CanBumpCommit(LogIndex(3)));
  pr.SentCommit(LogIndex(3));
  EXPECT_EQ(pr.sent_commit(), LogIndex(3));
  EXPECT_FALSE(pr.CanBumpCommit(LogIndex(3)));
  EXPECT_FALSE(pr.CanBumpCommit(LogIndex(2)));
  // Capped at next - 1: the follower cannot commit what it does not have.
  pr.SentCommit(LogIndex(50));
  EXPECT_EQ(pr.sent_commit(), LogIndex(10));
  EXPECT_FALSE(pr.CanBumpCommit(LogIndex(50)));
  // A rejection rewinds next, and sent_commit with it.
  EXPECT_TRUE(pr.MaybeDecrTo(LogIndex(9), LogIndex(9)));
  EXPECT_EQ(pr.next(), LogIndex(6));
  EXPECT_EQ(pr.sent_commit(), LogIndex(5));
  EXPECT_FALSE(pr.CanBumpCommit(LogIndex(5)));
  EXPECT_FALSE(pr.CanBumpCommit(LogIndex(50)));
}

TEST(Progress, ResetKeepsLearnerFlag) {
  Progress pr = Replicating(5);
  pr.set_is_learner(true);
  pr.set_recent_active(true);
  pr.SentEntries(2, 2);
  pr.Reset(LogIndex(20));
  EXPECT_EQ(pr.state(), ProgressState::kProbe);
  EXPECT_EQ(pr.match(), LogIndex(0));
  EXPECT_EQ(pr.next(), LogIndex(20));
  EXPECT_TRUE(pr.inflights().empty());
  EXPECT_TRUE(pr.is_learner());
  EXPECT_FALSE(pr.recent_active());
}

// Random sequences of legal calls keep every invariant (CheckInvariants
// runs inside each call and aborts on violation); match never decreases.
RC_GTEST_PROP(Progress, RandomWalkKeepsInvariants, ()) {
  const size_t window = *rc::gen::inRange<size_t>(1, 6);
  const uint64_t start = *rc::gen::inRange<uint64_t>(0, 20);
  Progress pr(LogIndex(start), LogIndex(start + 1), window,
              *rc::gen::element<uint64_t>(0, 0, 40));
  uint64_t last_index = start + 30;  // The leader's log.
  const size_t steps = *rc::gen::inRange<size_t>(0, 150);
  for (size_t i = 0; i < steps; ++i) {
    const LogIndex prev_match = pr.match();
    const uint64_t r = *rc::gen::inRange<uint64_t>(0, last_index + 2);
    switch (*rc::gen::inRange(0, 9)) {
      case 0:
        pr.BecomeProbe();
        break;
      case 1:
        pr.BecomeReplicate();
        break;
      case 2:
        if (*rc::gen::inRange(0, 4) == 0) pr.BecomeSnapshot(LogIndex(r));
        break;
      case 3:
      case 4:
        pr.MaybeUpdate(LogIndex(std::min(r, last_index)));
        break;
      case 5:
        pr.MaybeDecrTo(LogIndex(r),
                       LogIndex(*rc::gen::inRange<uint64_t>(0, r + 1)));
        break;
      case 6:
      case 7:
        if (pr.state() == ProgressState::kSnapshot) break;
        if (pr.state() == ProgressState::kReplicate && pr.IsPaused()) break;
        pr.SentEntries(*rc::gen::inRange<uint64_t>(0, 4),
                       *rc::gen::inRange<uint64_t>(0, 30));
        last_index = std::max(last_index, pr.next().value());
        break;
      case 8:
        if (*rc::gen::inRange(0, 2) == 0) {
          pr.HandleHeartbeatResponse();
        } else {
          pr.SentCommit(LogIndex(r));
        }
        break;
    }
    pr.CheckInvariants();
    RC_ASSERT(pr.match() >= prev_match);
    RC_ASSERT(pr.match() < pr.next());
  }
}

}  // namespace
}  // namespace raftsim::raft::tracker
