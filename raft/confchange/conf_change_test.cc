// raft/confchange/conf_change_test.cc — the ConfChange codec: round trips,
// each malformed shape refused with a Status, and properties over random
// and mutated bytes.

#include "raft/confchange/conf_change.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "rapidcheck.h"
#include "rapidcheck/gtest.h"

namespace raftsim::raft::confchange {
namespace {

ConfChange Sample() {
  ConfChange c;
  c.transition = Transition::kJointExplicit;
  c.changes = {{ChangeType::kAddVoter, NodeId(4)},
               {ChangeType::kRemove, NodeId(1)},
               {ChangeType::kPromote, NodeId(0x0102030405060708)},
               {ChangeType::kDemote, NodeId(2)},
               {ChangeType::kAddLearner, NodeId(9)}};
  return c;
}

TEST(ConfChangeCodec, RoundTripsEveryTypeAndTransition) {
  for (int t = 0; t < kTransitionCount; ++t) {
    ConfChange c = Sample();
    c.transition = static_cast<Transition>(t);
    const std::string bytes = EncodeConfChange(c);
    EXPECT_EQ(bytes.size(), 4u + 9u * c.changes.size());
    const absl::StatusOr<ConfChange> back = DecodeConfChange(bytes);
    ASSERT_TRUE(back.ok()) << back.status();
    EXPECT_EQ(*back, c);
  }
}

TEST(ConfChangeCodec, RoundTripsLeaveJoint) {
  const std::string bytes = EncodeConfChange(ConfChange::LeaveJoint());
  EXPECT_EQ(bytes, std::string("\x01\x00\x00\x00", 4));
  const absl::StatusOr<ConfChange> back = DecodeConfChange(bytes);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_TRUE(back->IsLeaveJoint());
}

TEST(ConfChangeCodec, LittleEndianLayoutIsPinned) {
  ConfChange c;
  c.transition = Transition::kJointAutoLeave;
  c.changes = {{ChangeType::kDemote, NodeId(0x0102)}};
  EXPECT_EQ(
      EncodeConfChange(c),
      std::string("\x01\x02\x01\x00\x03\x02\x01\x00\x00\x00\x00\x00\x00", 13));
}

TEST(ConfChangeCodec, RefusesEachMalformedShape) {
  const std::string good = EncodeConfChange(Sample());
  struct Case {
    std::string name;
    std::string bytes;
  };
  std::vector<Case> cases;
  cases.push_back({"empty", ""});
  cases.push_back({"short header", good.substr(0, 3)});
  std::string v = good;
  v[0] = 2;
  cases.push_back({"version 2", v});
  v = good;
  v[0] = 0;
  cases.push_back({"version 0", v});
  v = good;
  v[1] = static_cast<char>(kTransitionCount);
  cases.push_back({"unknown transition", v});
  cases.push_back({"truncated change", good.substr(0, good.size() - 1)});
  cases.push_back({"trailing byte", good + "x"});
  v = good;
  v[4] = static_cast<char>(kChangeTypeCount);
  cases.push_back({"unknown change type", v});
  v = good;
  for (int i = 5; i < 13; ++i) v[static_cast<size_t>(i)] = 0;
  cases.push_back({"node 0", v});
  v = good;
  v[2] = static_cast<char>(kMaxChanges + 1);
  v[3] = 0;
  v.resize(4 + 9 * (kMaxChanges + 1), '\x01');
  cases.push_back({"too many changes", v});
  cases.push_back({"empty joint", std::string("\x01\x02\x00\x00", 4)});
  for (const Case& c : cases) {
    const absl::StatusOr<ConfChange> r = DecodeConfChange(c.bytes);
    EXPECT_FALSE(r.ok()) << c.name;
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument) << c.name;
  }
}

TEST(ConfChangeCodec, DescribeIsOneLine) {
  EXPECT_EQ(ConfChange::LeaveJoint().Describe(), "leave-joint");
  ConfChange c;
  c.changes = {{ChangeType::kAddVoter, NodeId(4)},
               {ChangeType::kRemove, NodeId(1)}};
  EXPECT_EQ(c.Describe(), "auto [add-voter(n4) remove(n1)]");
}

rc::Gen<ConfChange> GenConfChange() {
  return rc::gen::exec([] {
    ConfChange c;
    c.transition =
        static_cast<Transition>(*rc::gen::inRange(0, kTransitionCount));
    const size_t n =
        *rc::gen::inRange<size_t>(c.transition == Transition::kAuto ? 0 : 1, 8);
    for (size_t i = 0; i < n; ++i) {
      c.changes.push_back(
          {static_cast<ChangeType>(*rc::gen::inRange(0, kChangeTypeCount)),
           NodeId(*rc::gen::inRange<uint64_t>(1, 1000))});
    }
    return c;
  });
}

RC_GTEST_PROP(ConfChangeCodecProperty, EncodeDecodeIsIdentity, ()) {
  const ConfChange c = *GenConfChange();
  const absl::StatusOr<ConfChange> back = DecodeConfChange(EncodeConfChange(c));
  RC_ASSERT(back.ok());
  RC_ASSERT(*back == c);
}

// Whatever decode accepts is a canonical encoding: re-encoding gives the
// same bytes (so no two encodings mean the same change).
RC_GTEST_PROP(ConfChangeCodecProperty, RandomBytesDecodeOrFailCleanly, ()) {
  const std::string bytes =
      *rc::gen::container<std::string>(rc::gen::arbitrary<char>());
  const absl::StatusOr<ConfChange> r = DecodeConfChange(bytes);
  if (r.ok()) RC_ASSERT(EncodeConfChange(*r) == bytes);
}

RC_GTEST_PROP(ConfChangeCodecProperty, MutatedEncodingsDecodeOrFailCleanly,
              ()) {
  std::string bytes = EncodeConfChange(*GenConfChange());
  const int mutations = *rc::gen::inRange(1, 4);
  for (int i = 0; i < mutations; ++i) {
    switch (*rc::gen::inRange(0, 3)) {
      case 0:  // Flip a byte.
        if (!bytes.empty()) {
          bytes[*rc::gen::inRange<size_t>(0, bytes.size())] ^=
              static_cast<char>(*rc::gen::inRange(1, 256));
        }
        break;
      case 1:  // Truncate.
        bytes.resize(*rc::gen::inRange<size_t>(0, bytes.size() + 1));
        break;
      default:  // Append.
        bytes.push_back(*rc::gen::arbitrary<char>());
        break;
    }
  }
  const absl::StatusOr<ConfChange> r = DecodeConfChange(bytes);
  if (r.ok()) {
    RC_ASSERT(EncodeConfChange(*r) == bytes);
  } else {
    RC_ASSERT(r.status().code() == absl::StatusCode::kInvalidArgument);
  }
}

}  // namespace
}  // namespace raftsim::raft::confchange
