// examples/kv_cluster.cc — a 3-node replicated key-value store in one
// process: three raft::Servers over MemoryStorage, an in-process network,
// the KvStore state machine and one EventLoopRuntime (real time).
//
// The story it prints: elect a leader, put two keys, read one back
// linearizably, kill the leader (Stop + delete), wait for a new leader, put
// and read again, check that the survivors agree, print the metrics.
//
//   bazel run //examples:kv_cluster                 # the narrative
//   bazel run //examples:kv_cluster -- --trace      # plus one line per
//                                                  # message, apply, state
//   bazel run //examples:kv_cluster -- --delay_us=2000
//
// docs/examples.md walks through this file. Exit status: 0 when the story
// completed, 1 when a step failed or timed out, 2 for a bad flag.
//
// Single-threaded: everything runs on the main thread inside the runtime.

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "examples/event_loop_runtime.h"
#include "examples/in_process_transport.h"
#include "examples/kv_store.h"
#include "raft/memory_storage.h"
#include "raft/node.h"
#include "raft/server/server.h"

namespace raftsim::examples {
namespace {

using std::chrono::milliseconds;

constexpr int64_t kTickUs = 5'000;             // One Node tick: 5 ms.
constexpr int64_t kElectionTimeoutTicks = 10;  // 50–100 ms.
constexpr milliseconds kStepTimeout(2'000);    // Per step of the story.
constexpr int kAttempts = 5;                   // Per client request.

struct Flags {
  bool trace = false;
  int64_t delay_us = 500;
};

absl::StatusOr<Flags> ParseFlags(int argc, char** argv) {
  Flags flags;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    constexpr std::string_view kDelay = "--delay_us=";
    if (arg == "--trace") {
      flags.trace = true;
    } else if (arg.substr(0, kDelay.size()) == kDelay) {
      const std::string value(arg.substr(kDelay.size()));
      if (!absl::SimpleAtoi(value, &flags.delay_us) || flags.delay_us < 0 ||
          flags.delay_us > 100'000) {
        return absl::InvalidArgumentError(
            absl::StrCat("--delay_us wants 0..100000, got \"", value, "\""));
      }
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown flag \"", std::string(arg),
                       "\"; usage: kv_cluster [--trace] [--delay_us=N]"));
    }
  }
  return flags;
}

// Prints one compact line per message sent or received, apply batch and
// soft-state change of one server (the raft::ServerTracer hook).
class PrintTracer final : public raft::ServerTracer {
 public:
  PrintTracer(NodeId id, const raft::Runtime* runtime)
      : id_(id.Describe()), runtime_(runtime) {}

  void OnSend(const raft::Message& m) override {
    Line(absl::StrCat("send ", m.Describe()));
  }
  void OnReceive(const raft::Message& m) override {
    Line(absl::StrCat("recv ", m.Describe()));
  }
  void OnApply(LogIndex first, LogIndex last) override {
    Line(absl::StrCat("apply ", first.Describe(), "..", last.Describe()));
  }
  void OnSoftState(const raft::SoftState& s) override {
    Line(absl::StrCat("state ", s.Describe()));
  }

 private:
  void Line(const std::string& what) const {
    std::printf("  trace %9.3fms %s %s\n", runtime_->NowUs() / 1000.0,
                id_.c_str(), what.c_str());
  }

  const std::string id_;
  const raft::Runtime* const runtime_;
};

// One member of the cluster. The storage and the state machine must
// outlive the Server, so they are declared (and constructed) first and
// destroyed last.
struct Member {
  raft::MemoryStorage storage;
  KvStore kv;
  std::unique_ptr<PrintTracer> tracer;
  std::unique_ptr<raft::Server> server;
};

class Cluster {
 public:
  Cluster(const Flags& flags, std::vector<NodeId> ids)
      : flags_(flags),
        ids_(std::move(ids)),
        network_(&runtime_, flags.delay_us) {}

  ~Cluster() {
    // Servers first (Stop posts pending callbacks, which never run: the
    // runtime is not run again), then the network, then the runtime.
    members_.clear();
  }

  absl::Status Start() {
    for (const NodeId id : ids_) {
      raft::ServerOptions options;
      options.raft.id = id;
      options.raft.voters = ids_;
      options.raft.election_timeout_ticks = kElectionTimeoutTicks;
      options.raft.heartbeat_ticks = 1;
      options.raft.seed = id.value();  // Every node its own jitter stream.
      options.tick_us = kTickUs;
      options.snapshot_every_entries = 4;  // Exercise KvStore snapshots.
      options.snapshot_keep_entries = 2;
      auto member = std::make_unique<Member>();
      Member& m = *member;
      m.server = std::make_unique<raft::Server>(
          options, &runtime_, network_.transport(id), &m.storage, &m.kv);
      if (flags_.trace) {
        m.tracer = std::make_unique<PrintTracer>(id, &runtime_);
        m.server->SetTracer(m.tracer.get());
      }
      // State-change events: remember who leads (thread-confined, so a
      // plain field is enough).
      m.server->SetSoftStateListener([this, id](const raft::SoftState& s) {
        if (s.role == raft::Role::kLeader) {
          leader_ = id;
          leader_term_ = s.term;
        } else if (leader_ == id) {
          leader_ = kNoNode;
        }
      });
      network_.Attach(id, m.server.get());
      members_[id] = std::move(member);
      if (absl::Status s = members_[id]->server->Start(); !s.ok()) return s;
    }
    return absl::OkStatus();
  }

  // Runs until some server leads, other than `not_this` (a dead one).
  bool AwaitLeader(NodeId not_this = kNoNode) {
    return runtime_.RunUntil(
        [&] { return leader_ != kNoNode && leader_ != not_this; },
        kStepTimeout);
  }

  // Sends `request` (Submit or Read) to the current leader and runs until
  // it completes; retries errors that say "try again" (not the leader yet,
  // leadership moved) a few times.
  absl::StatusOr<std::string> Call(bool is_read, const std::string& request) {
    absl::Status last = absl::DeadlineExceededError("no leader");
    for (int attempt = 0; attempt < kAttempts; ++attempt) {
      if (leader_ == kNoNode && !AwaitLeader()) break;
      std::optional<absl::StatusOr<std::string>> result;
      raft::Server& server = *members_.at(leader_)->server;
      auto done = [&result](absl::StatusOr<std::string> r) {
        result = std::move(r);
      };
      if (is_read) {
        server.Read(request, done);
      } else {
        server.Submit(request, done);
      }
      if (!runtime_.RunUntil([&] { return result.has_value(); },
                             kStepTimeout)) {
        return absl::DeadlineExceededError("no answer");
      }
      if (result->ok()) return *result;
      last = result->status();
      // Not the leader, a new leader not ready yet, or another leader's
      // entry took the index (not applied): safe to retry.
      if (!absl::IsUnavailable(last) && !absl::IsFailedPrecondition(last) &&
          !absl::IsAborted(last)) {
        return last;
      }
      std::printf("  (retrying %s: %s)\n", request.c_str(),
                  last.ToString().c_str());
      runtime_.RunFor(milliseconds(20));
    }
    return last;
  }

  // Stops and deletes the server: as far as the others can tell, a crash.
  void Kill(NodeId id) {
    network_.Detach(id);
    members_.at(id)->server->Stop();
    members_.erase(id);
    if (leader_ == id) leader_ = kNoNode;
  }

  // Runs until every live server has applied as far as the leader.
  bool AwaitReplicasCaughtUp() {
    return runtime_.RunUntil(
        [&] {
          if (leader_ == kNoNode) return false;
          const LogIndex target = members_.at(leader_)->server->applied_index();
          for (const auto& [id, m] : members_) {
            if (m->server->applied_index() != target) return false;
          }
          return true;
        },
        kStepTimeout);
  }

  double NowMs() const { return runtime_.NowUs() / 1000.0; }
  NodeId leader() const { return leader_; }
  Term leader_term() const { return leader_term_; }
  const std::map<NodeId, std::unique_ptr<Member>>& members() const {
    return members_;
  }
  const InProcessNetwork& network() const { return network_; }

 private:
  const Flags flags_;
  const std::vector<NodeId> ids_;
  // Declared in this order so that they are destroyed in reverse: members,
  // then the network, then the runtime (and its unrun tasks).
  EventLoopRuntime runtime_;
  InProcessNetwork network_;
  std::map<NodeId, std::unique_ptr<Member>> members_;
  NodeId leader_ = kNoNode;
  Term leader_term_;
};

std::string FormatMetrics(const raft::ServerMetrics& m) {
  return absl::StrCat(
      "proposals=", m.proposals, " proposal_batches=", m.proposal_batches,
      " readys=", m.readys, " entries_persisted=", m.entries_persisted,
      " entries_applied=", m.entries_applied,
      " apply_batches=", m.apply_batches,
      "\n      messages_sent=", m.messages_sent,
      " messages_received=", m.messages_received,
      " reads_served=", m.reads_served, " read_batches=", m.read_batches,
      " snapshots_taken=", m.snapshots_taken,
      " snapshots_restored=", m.snapshots_restored,
      " role_changes=", m.role_changes,
      "\n      storage_writes=", m.storage_writes,
      " storage_compactions=", m.storage_compactions);
}

// A put; prints "put K=V -> ok" (or the error). Returns whether it was ok.
bool Put(Cluster& cluster, const std::string& key, const std::string& value) {
  absl::StatusOr<std::string> r =
      cluster.Call(/*is_read=*/false, KvStore::Put(key, value));
  std::printf("put %s=%s -> %s\n", key.c_str(), value.c_str(),
              r.ok() ? r->c_str() : r.status().ToString().c_str());
  return r.ok() && *r == "ok";
}

// A linearizable read; prints "read K -> V". Returns whether it was
// `expect`.
bool Read(Cluster& cluster, const std::string& key, const std::string& expect) {
  absl::StatusOr<std::string> r =
      cluster.Call(/*is_read=*/true, KvStore::Get(key));
  std::printf("read %s -> %s\n", key.c_str(),
              r.ok() ? r->c_str() : r.status().ToString().c_str());
  return r.ok() && *r == expect;
}

int Run(const Flags& flags) {
  Cluster cluster(flags, {NodeId(1), NodeId(2), NodeId(3)});
  std::printf(
      "kv_cluster: 3 raft::Servers in one process (tick %lldus, "
      "election timeout %lld ticks, message delay %lldus)\n",
      static_cast<long long>(kTickUs),
      static_cast<long long>(kElectionTimeoutTicks),
      static_cast<long long>(flags.delay_us));
  if (absl::Status s = cluster.Start(); !s.ok()) {
    std::printf("start failed: %s\n", s.ToString().c_str());
    return 1;
  }

  if (!cluster.AwaitLeader()) {
    std::printf("FAIL: no leader elected\n");
    return 1;
  }
  const NodeId first = cluster.leader();
  std::printf("[%8.1fms] leader elected: %s (term %s)\n", cluster.NowMs(),
              first.Describe().c_str(),
              cluster.leader_term().Describe().c_str());

  bool ok = Put(cluster, "x", "1") && Put(cluster, "y", "2") &&
            Read(cluster, "x", "1");
  if (!ok) return 1;

  std::printf("[%8.1fms] killing leader %s (Stop + delete)\n", cluster.NowMs(),
              first.Describe().c_str());
  cluster.Kill(first);
  if (!cluster.AwaitLeader(first)) {
    std::printf("FAIL: no new leader\n");
    return 1;
  }
  std::printf("[%8.1fms] new leader: %s (term %s)\n", cluster.NowMs(),
              cluster.leader().Describe().c_str(),
              cluster.leader_term().Describe().c_str());

  ok = Put(cluster, "x", "3") && Put(cluster, "z", "4") &&
       Read(cluster, "x", "3") && Read(cluster, "y", "2");
  if (!ok) return 1;

  if (!cluster.AwaitReplicasCaughtUp()) {
    std::printf("FAIL: replicas did not catch up\n");
    return 1;
  }
  const KvStore& reference = cluster.members().at(cluster.leader())->kv;
  for (const auto& [id, m] : cluster.members()) {
    if (m->kv.data() != reference.data()) {
      std::printf("FAIL: %s disagrees with the leader\n",
                  id.Describe().c_str());
      return 1;
    }
  }
  std::printf("replicas agree: %zu keys on %zu live servers\n",
              reference.data().size(), cluster.members().size());

  std::printf("metrics (poll Server::metrics() on the runtime thread):\n");
  for (const auto& [id, m] : cluster.members()) {
    std::printf("  %s: %s\n", id.Describe().c_str(),
                FormatMetrics(m->server->metrics()).c_str());
  }
  std::printf("network: %lld delivered, %lld dropped (to the dead node)\n",
              static_cast<long long>(cluster.network().delivered()),
              static_cast<long long>(cluster.network().dropped()));
  std::printf("[%8.1fms] done\n", cluster.NowMs());
  return 0;
}

}  // namespace
}  // namespace raftsim::examples

int main(int argc, char** argv) {
  absl::StatusOr<raftsim::examples::Flags> flags =
      raftsim::examples::ParseFlags(argc, argv);
  if (!flags.ok()) {
    std::fprintf(stderr, "%s\n", flags.status().ToString().c_str());
    return 2;
  }
  return raftsim::examples::Run(*flags);
}
