// sim/workload/kv_state_machine_test.cc — commands, results, the codec,
// snapshots and Restore's validation. Single-threaded.

#include "sim/workload/kv_state_machine.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "sim/workload/kv_codec.h"

namespace raftsim::sim {
namespace {

raft::Entry E(uint64_t index, const KvCommand& c) {
  raft::Entry e;
  e.index = raft::LogIndex(index);
  e.term = raft::Term(1);
  e.payload = raft::Payload(EncodeCommand(c));
  return e;
}

KvCommand Cmd(KvOp op, std::string key, std::string value = "",
              std::string expected = "") {
  static uint64_t request = 0;
  return {
      op, 7, ++request, std::move(key), std::move(value), std::move(expected)};
}

TEST(KvCodec, CommandsRoundTrip) {
  for (const KvCommand& c :
       {Cmd(KvOp::kGet, "k"), Cmd(KvOp::kPut, "k", "v"),
        Cmd(KvOp::kAppend, "", "x"), Cmd(KvOp::kCas, "k", "new", "old"),
        KvCommand{KvOp::kPut, UINT64_MAX, 1ULL << 63, "key",
                  std::string(300, 'z'), ""}}) {
    absl::StatusOr<KvCommand> back = DecodeCommand(EncodeCommand(c));
    ASSERT_TRUE(back.ok()) << back.status();
    EXPECT_EQ(*back, c);
  }
}

TEST(KvCodec, RejectsGarbage) {
  for (std::string bad :
       {std::string(), std::string("X"), std::string("P\x01"),
        std::string("G\x01\x01\x05"
                    "ab"),
        EncodeCommand(Cmd(KvOp::kGet, "k")) + "tail",
        std::string("G\xff\xff\xff\xff\xff\xff\xff\xff\xff\x7f")}) {
    EXPECT_FALSE(DecodeCommand(bad).ok()) << bad;
  }
}

TEST(KvStateMachine, AppliesCommandsWithClientVisibleResults) {
  KvStateMachine kv;
  std::vector<raft::Entry> entries = {
      E(1, Cmd(KvOp::kGet, "a")),
      E(2, Cmd(KvOp::kPut, "a", "1")),
      E(3, Cmd(KvOp::kAppend, "a", "2")),
      E(4, Cmd(KvOp::kCas, "a", "x", "wrong")),
      E(5, Cmd(KvOp::kCas, "a", "x", "12")),
      E(6, Cmd(KvOp::kGet, "a")),
  };
  raft::Entry noop;
  noop.index = raft::LogIndex(7);
  noop.kind = raft::EntryKind::kNoop;
  entries.push_back(noop);
  raft::Entry junk = noop;
  junk.index = raft::LogIndex(8);
  junk.kind = raft::EntryKind::kNormal;
  junk.payload = raft::Payload("junk");
  entries.push_back(junk);
  std::vector<std::string> results;
  kv.Apply(entries, &results);
  ASSERT_EQ(results.size(), 8u);
  EXPECT_EQ(results[0], "");
  EXPECT_EQ(results[1], "ok");
  EXPECT_EQ(results[2], "ok");
  EXPECT_EQ(results[3], "false");
  EXPECT_EQ(results[4], "true");
  EXPECT_EQ(results[5], "x");
  EXPECT_EQ(results[6], "");
  EXPECT_EQ(results[7].rfind("error: ", 0), 0u);
  EXPECT_EQ(kv.Query(EncodeCommand(Cmd(KvOp::kGet, "a"))), "x");
  EXPECT_EQ(kv.Query(EncodeCommand(Cmd(KvOp::kGet, "none"))), "");
}

TEST(KvStateMachine, SnapshotRoundTripsAndIsDeterministic) {
  KvStateMachine a, b;
  a.Execute(Cmd(KvOp::kPut, "z", "1"));
  a.Execute(Cmd(KvOp::kPut, "a", "2"));
  b.Execute(Cmd(KvOp::kPut, "a", "2"));
  b.Execute(Cmd(KvOp::kPut, "z", "1"));
  EXPECT_EQ(a.TakeSnapshot(), b.TakeSnapshot());  // Order-independent.
  KvStateMachine c;
  ASSERT_TRUE(c.Restore(a.TakeSnapshot()).ok());
  EXPECT_EQ(c.state(), a.state());
  ASSERT_TRUE(c.Restore(KvStateMachine().TakeSnapshot()).ok());
  EXPECT_TRUE(c.state().empty());
}

TEST(KvStateMachine, RestoreRejectsGarbageAndKeepsItsState) {
  KvStateMachine kv;
  kv.Execute(Cmd(KvOp::kPut, "k", "v"));
  const std::string good = kv.TakeSnapshot();
  std::string unsorted = "KV1";
  unsorted += std::string{'\x02', '\x01', 'b', '\x00', '\x01', 'a', '\x00'};
  for (std::string bad :
       {std::string(), std::string("KV2"), std::string("KV1"),
        good.substr(0, good.size() - 1), good + "x", unsorted}) {
    EXPECT_EQ(kv.Restore(bad).code(), absl::StatusCode::kInvalidArgument)
        << bad;
    EXPECT_EQ(kv.state().at("k"), "v");
  }
}

}  // namespace
}  // namespace raftsim::sim
