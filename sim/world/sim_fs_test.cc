// sim/world/sim_fs_test.cc — the simulated file system's crash model:
// synced data survives, unsynced data is lost or torn (a prefix, per file),
// names need a directory sync, injected faults and a full disk.

#include "sim/world/sim_fs.h"

#include <memory>
#include <set>
#include <string>

#include "absl/status/status.h"
#include "base/prng.h"
#include "gtest/gtest.h"
#include "storage/file_system.h"

namespace raftsim::sim {
namespace {

using storage::OpenMode;

std::unique_ptr<storage::File> Create(SimFileSystem& fs,
                                      const std::string& path) {
  auto f = fs.Open(path, OpenMode::kCreateNew);
  EXPECT_TRUE(f.ok()) << f.status();
  return std::move(*f);
}

TEST(SimFs, ReadsSeeWritesAtOnce) {
  SimFileSystem fs(Prng(1));
  ASSERT_TRUE(fs.CreateDir("d").ok());
  auto f = Create(fs, "d/a");
  ASSERT_TRUE(f->Write(0, "hello").ok());
  ASSERT_TRUE(f->Write(3, "p!").ok());
  EXPECT_EQ(*f->Read(0, 100), "help!");
  EXPECT_EQ(*f->Read(2, 2), "lp");
  EXPECT_EQ(*f->Size(), 5u);
  ASSERT_TRUE(f->Truncate(2).ok());
  EXPECT_EQ(*f->Read(0, 100), "he");
  EXPECT_EQ(*fs.List("d"), std::vector<std::string>{"a"});
  EXPECT_EQ(fs.Open("d/a", OpenMode::kCreateNew).status().code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(fs.Open("d/b", OpenMode::kOpenExisting).status().code(),
            absl::StatusCode::kNotFound);
}

TEST(SimFs, SyncedDataAndNamesSurviveACrash) {
  for (uint64_t seed = 0; seed < 50; ++seed) {
    SimFileSystem fs{Prng(seed)};
    ASSERT_TRUE(fs.CreateDir("d").ok());
    auto f = Create(fs, "d/a");
    ASSERT_TRUE(f->Write(0, "durable").ok());
    ASSERT_TRUE(f->Sync().ok());
    ASSERT_TRUE(fs.SyncDir("d").ok());
    ASSERT_TRUE(f->Write(7, "-lost?").ok());
    fs.Crash();
    const std::string got = *fs.DurableContents("d/a");
    EXPECT_EQ(got.substr(0, 7), "durable") << "seed " << seed;
    // Whatever survived of the unsynced write is a prefix of it.
    EXPECT_EQ(got.substr(7), std::string("-lost?").substr(0, got.size() - 7));
    // The old handle is stale.
    EXPECT_EQ(f->Read(0, 1).status().code(),
              absl::StatusCode::kFailedPrecondition);
  }
}

TEST(SimFs, UnsyncedWritesAreLostKeptOrTornAtEveryByte) {
  std::set<size_t> sizes;
  for (uint64_t seed = 0; seed < 400; ++seed) {
    SimFileSystem fs{Prng(seed)};
    auto f = Create(fs, "a");
    ASSERT_TRUE(fs.SyncDir("").ok());
    ASSERT_TRUE(f->Write(0, "0123456789").ok());
    fs.Crash();
    const std::string got = *fs.DurableContents("a");
    EXPECT_EQ(got, std::string("0123456789").substr(0, got.size()));
    sizes.insert(got.size());
  }
  EXPECT_EQ(sizes.size(), 11u) << "every cut from 0 to 10 bytes is drawn";
}

TEST(SimFs, WithoutTornWritesAWriteIsAllOrNothing) {
  for (uint64_t seed = 0; seed < 100; ++seed) {
    SimFileSystem fs(Prng(seed), SimFsOptions{.torn_writes = false});
    auto f = Create(fs, "a");
    ASSERT_TRUE(fs.SyncDir("").ok());
    ASSERT_TRUE(f->Write(0, "0123456789").ok());
    fs.Crash();
    const std::string got = *fs.DurableContents("a");
    EXPECT_TRUE(got.empty() || got == "0123456789") << got;
  }
}

TEST(SimFs, CrashesReorderWritesAcrossFiles) {
  // Write a then b, unsynced: some seed keeps b's write and loses a's.
  bool reordered = false;
  for (uint64_t seed = 0; seed < 100 && !reordered; ++seed) {
    SimFileSystem fs(Prng(seed), SimFsOptions{.torn_writes = false});
    auto a = Create(fs, "a");
    auto b = Create(fs, "b");
    ASSERT_TRUE(fs.SyncDir("").ok());
    ASSERT_TRUE(a->Write(0, "first").ok());
    ASSERT_TRUE(b->Write(0, "second").ok());
    fs.Crash();
    reordered = fs.DurableContents("a")->empty() &&
                *fs.DurableContents("b") == "second";
  }
  EXPECT_TRUE(reordered);
}

TEST(SimFs, ANameNeedsADirectorySync) {
  bool lost = false;
  bool kept = false;
  for (uint64_t seed = 0; seed < 100; ++seed) {
    SimFileSystem fs{Prng(seed)};
    auto f = Create(fs, "a");
    ASSERT_TRUE(f->Write(0, "x").ok());
    ASSERT_TRUE(f->Sync().ok());  // Data durable, name not.
    fs.Crash();
    (fs.DurableContents("a") ? kept : lost) = true;
  }
  EXPECT_TRUE(lost);
  EXPECT_TRUE(kept);
}

TEST(SimFs, RenameIsAtomicAndDurableAfterDirSync) {
  for (uint64_t seed = 0; seed < 50; ++seed) {
    SimFileSystem fs{Prng(seed)};
    auto f = Create(fs, "old");
    ASSERT_TRUE(f->Write(0, "v1").ok());
    ASSERT_TRUE(f->Sync().ok());
    ASSERT_TRUE(fs.SyncDir("").ok());
    auto t = Create(fs, "tmp");
    ASSERT_TRUE(t->Write(0, "v2").ok());
    ASSERT_TRUE(t->Sync().ok());
    ASSERT_TRUE(fs.Rename("tmp", "old").ok());
    EXPECT_EQ(*fs.CurrentContents("old"), "v2");
    EXPECT_FALSE(fs.CurrentContents("tmp"));
    fs.Crash();
    // Either the old or the new file under the name, never a mixture.
    const std::string got = *fs.DurableContents("old");
    EXPECT_TRUE(got == "v1" || got == "v2") << got;
  }
  SimFileSystem fs(Prng(7));
  auto t = Create(fs, "tmp");
  ASSERT_TRUE(t->Write(0, "v2").ok());
  ASSERT_TRUE(t->Sync().ok());
  ASSERT_TRUE(fs.Rename("tmp", "new").ok());
  ASSERT_TRUE(fs.SyncDir("").ok());
  fs.Crash();
  EXPECT_EQ(*fs.DurableContents("new"), "v2");
  EXPECT_FALSE(fs.DurableContents("tmp"));
}

TEST(SimFs, InjectedFailureFailsOneOpWithoutEffect) {
  SimFileSystem fs(Prng(1));
  auto f = Create(fs, "a");  // Op 1.
  EXPECT_EQ(fs.ops(), 1u);
  fs.FailOp(3, absl::InternalError("injected"));
  ASSERT_TRUE(f->Write(0, "x").ok());                        // Op 2.
  EXPECT_EQ(f->Sync().code(), absl::StatusCode::kInternal);  // Op 3.
  EXPECT_TRUE(f->Sync().ok());                               // Op 4.
  EXPECT_EQ(*fs.CurrentContents("a"), "x");
}

TEST(SimFs, DyingFailsEveryLaterCallUntilTheCrash) {
  SimFileSystem fs(Prng(1));
  auto f = Create(fs, "a");
  ASSERT_TRUE(fs.SyncDir("").ok());
  fs.DieAtOp(fs.ops() + 2);
  ASSERT_TRUE(f->Write(0, "x").ok());
  EXPECT_EQ(f->Sync().code(), absl::StatusCode::kAborted);
  EXPECT_TRUE(fs.dead());
  EXPECT_EQ(f->Write(1, "y").code(), absl::StatusCode::kAborted);
  EXPECT_EQ(fs.List("").status().code(), absl::StatusCode::kAborted);
  fs.Crash();
  EXPECT_FALSE(fs.dead());
  EXPECT_TRUE(fs.List("").ok());
}

TEST(SimFs, SyncsFailAtTheConfiguredRate) {
  SimFileSystem fs(Prng(3), SimFsOptions{.sync_fail_ppm = 500'000});
  auto f = Create(fs, "a");
  int failed = 0;
  for (int i = 0; i < 200; ++i) {
    ASSERT_TRUE(f->Write(0, "x").ok());
    if (!f->Sync().ok()) ++failed;
  }
  EXPECT_GT(failed, 60);
  EXPECT_LT(failed, 140);
}

TEST(SimFs, AFullDiskRefusesToGrow) {
  SimFileSystem fs(Prng(1), SimFsOptions{.capacity_bytes = 10});
  auto f = Create(fs, "a");
  ASSERT_TRUE(f->Write(0, "0123456789").ok());
  const absl::Status s = f->Write(10, "x");
  EXPECT_EQ(s.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_NE(s.message().find("ENOSPC"), absl::string_view::npos);
  EXPECT_TRUE(f->Write(0, "overwrite!").ok()) << "no growth, no space needed";
  EXPECT_EQ(fs.used_bytes(), 10u);
}

TEST(SimFs, CorruptByteChangesBothViews) {
  SimFileSystem fs(Prng(1));
  auto f = Create(fs, "a");
  ASSERT_TRUE(f->Write(0, "abc").ok());
  ASSERT_TRUE(f->Sync().ok());
  ASSERT_TRUE(fs.SyncDir("").ok());
  ASSERT_TRUE(fs.CorruptByte("a", 1, 0x01));
  EXPECT_EQ(*fs.CurrentContents("a"), "acc");
  EXPECT_EQ(*fs.DurableContents("a"), "acc");
  EXPECT_FALSE(fs.CorruptByte("a", 3, 0x01));
}

TEST(SimFs, TheSameSeedLosesTheSameBytes) {
  auto run = [](uint64_t seed) {
    SimFileSystem fs{Prng(seed)};
    auto a = Create(fs, "a");
    auto b = Create(fs, "b");
    for (int i = 0; i < 10; ++i) {
      EXPECT_TRUE(a->Write(i * 3, "aaa").ok());
      EXPECT_TRUE(b->Write(i * 3, "bbb").ok());
    }
    fs.Crash();
    return std::make_pair(fs.DurableContents("a"), fs.DurableContents("b"));
  };
  EXPECT_EQ(run(42), run(42));
}

}  // namespace
}  // namespace raftsim::sim
