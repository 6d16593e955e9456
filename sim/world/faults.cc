// sim/world/faults.cc — see faults.h. Single-threaded.

#include "sim/world/faults.h"

#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"

namespace raftsim::sim {

Faults::Faults(EventQueue* queue, Tracer* tracer, Prng prng,
               const SimOptions& options, std::vector<NodeHost*> hosts,
               Network* network)
    : queue_(queue),
      tracer_(tracer),
      prng_(prng),
      options_(options),
      hosts_(std::move(hosts)),
      network_(network) {
  const std::pair<int64_t, PartitionKind> kinds[] = {
      {options.partition_isolate, PartitionKind::kIsolate},
      {options.partition_split, PartitionKind::kSplit},
      {options.partition_asymmetric, PartitionKind::kAsymmetric},
      {options.partition_bridge, PartitionKind::kBridge},
      {options.partition_links, PartitionKind::kLinks},
  };
  for (const auto& [on, kind] : kinds) {
    if (on != 0) partition_kinds_.push_back(kind);
  }
  if (hosts_.size() >= 2 && !partition_kinds_.empty()) {
    actions_.push_back(Action::kPartition);
  }
  if (options.crashes != 0) actions_.push_back(Action::kCrash);
  if (options.pauses != 0) actions_.push_back(Action::kPause);
  if (options.clogs != 0 && hosts_.size() >= 2) {
    actions_.push_back(Action::kClog);
  }
  if (options.bounces != 0 && hosts_.size() >= 2) {
    actions_.push_back(Action::kBounce);
  }
}

void Faults::Start(int64_t end_us) {
  end_us_ = end_us;
  ScheduleNext();
}

void Faults::ScheduleNext() {
  if (actions_.empty()) return;
  const int64_t at =
      queue_->now_us() + prng_.Range(1, options_.fault_gap_ms_max) * 1000;
  if (at >= end_us_) return;
  queue_->Schedule(at, kWorld, EventKind::kFault, false, [this] { Inject(); });
}

void Faults::Note(std::string text) {
  tracer_->RecordText(kWorld, TraceKind::kFault, text);
}

template <typename Pred>
NodeHost* Faults::PickNode(Pred ok) {
  std::vector<NodeHost*> candidates;
  for (NodeHost* h : hosts_) {
    if (ok(*h)) candidates.push_back(h);
  }
  if (candidates.empty()) return nullptr;
  return candidates[prng_.Uniform(candidates.size())];
}

NodeHost* Faults::MaybeLeader() {
  const bool aim = prng_.Ratio(1, 2);
  if (options_.target_leader == 0 || !aim) return nullptr;
  NodeHost* best = nullptr;
  for (NodeHost* h : hosts_) {
    const raft::Node* n = h->node();
    if (n == nullptr || n->role() != raft::Role::kLeader) continue;
    if (best == nullptr || n->term() > best->node()->term()) best = h;
  }
  return best;
}

void Faults::Inject() {
  if (healed_) return;
  ++injected_;
  switch (actions_[prng_.Uniform(actions_.size())]) {
    case Action::kPartition:
      Partition();
      break;
    case Action::kCrash:
      Crash();
      break;
    case Action::kPause:
      Pause();
      break;
    case Action::kClog:
      Clog();
      break;
    case Action::kBounce:
      Bounce();
      break;
  }
  ScheduleNext();
}

std::vector<std::pair<std::string_view, uint64_t>> Faults::FiredCounts() const {
  static constexpr std::string_view kNames[kActionCount] = {
      "partition", "crash", "pause", "clog", "bounce"};
  std::vector<std::pair<std::string_view, uint64_t>> out;
  for (size_t i = 0; i < kActionCount; ++i)
    out.push_back({kNames[i], fired_[i]});
  return out;
}

void Faults::Partition() {
  const PartitionKind kind =
      partition_kinds_[prng_.Uniform(partition_kinds_.size())];
  NodeHost* const leader = MaybeLeader();
  std::optional<HostIndex> first;
  if (leader != nullptr) first = leader->index();
  Connectivity c =
      MakePartition(kind, static_cast<int>(hosts_.size()), prng_, first);
  const int64_t ms = prng_.Range(1, options_.partition_ms_max);
  Note(absl::StrCat("partition ", std::string(PartitionKindName(kind)), " for ",
                    ms, "ms cut: ", c.DescribeCuts()));
  network_->SetConnectivity(std::move(c));
  Fired(Action::kPartition);
  const uint64_t generation = ++partition_generation_;
  queue_->After(ms * 1000, kWorld, EventKind::kFault, false,
                [this, generation] {
                  if (healed_ || generation != partition_generation_) {
                    Note("partition heal (superseded)");
                    return;
                  }
                  Note("partition heal");
                  network_->Heal();
                });
}

void Faults::Crash() {
  NodeHost* const leader = MaybeLeader();
  NodeHost* const node =
      leader != nullptr
          ? leader
          : PickNode([](const NodeHost& h) { return h.up() && !h.retired(); });
  if (node == nullptr) return Note("crash (no node up)");
  Fired(Action::kCrash);
  const int64_t ms = prng_.Range(1, options_.crash_ms_max);
  Note(absl::StrCat("crash ", node->id().Describe(), " for ", ms, "ms"));
  node->Crash();
  queue_->After(ms * 1000, kWorld, EventKind::kFault, false, [this, node] {
    if (healed_ || node->up()) return Note("restart (already up)");
    if (node->retired()) return Note("restart (retired)");
    Note(absl::StrCat("restart ", node->id().Describe()));
    node->Start();
  });
}

void Faults::Pause() {
  NodeHost* const leader = MaybeLeader();
  NodeHost* const node =
      leader != nullptr && !leader->paused()
          ? leader
          : PickNode([](const NodeHost& h) { return h.up() && !h.paused(); });
  if (node == nullptr) return Note("pause (no node running)");
  Fired(Action::kPause);
  const int64_t ms = prng_.Range(1, options_.pause_ms_max);
  Note(absl::StrCat("pause ", node->id().Describe(), " for ", ms, "ms"));
  node->Pause();
  const uint64_t incarnation = node->incarnation();
  queue_->After(
      ms * 1000, kWorld, EventKind::kFault, false, [this, node, incarnation] {
        if (healed_ || !node->paused() || node->incarnation() != incarnation) {
          return Note("resume (not paused)");
        }
        Note(absl::StrCat("resume ", node->id().Describe()));
        node->Resume();
      });
}

void Faults::Clog() {
  const uint64_t n = hosts_.size();
  const HostIndex from(static_cast<int>(prng_.Uniform(n)));
  const HostIndex to(
      static_cast<int>((from.slot() + 1 + prng_.Uniform(n - 1)) % n));
  const bool both = prng_.Ratio(1, 2);
  const int64_t ms = prng_.Range(1, options_.clog_ms_max);
  Note(absl::StrCat("clog ", hosts_[from.slot()]->id().Describe(),
                    both ? "<->" : "->", hosts_[to.slot()]->id().Describe(),
                    " for ", ms, "ms"));
  const int64_t until_us = queue_->now_us() + ms * 1000;
  Fired(Action::kClog);
  network_->Clog(from, to, until_us);
  if (both) network_->Clog(to, from, until_us);
}

void Faults::Bounce() {
  // A follower, if any: its promises are the ones a leader counts on.
  NodeHost* node = PickNode([](const NodeHost& h) {
    return h.up() && !h.paused() && h.node()->role() != raft::Role::kLeader;
  });
  if (node == nullptr) {
    node = PickNode([](const NodeHost& h) { return h.up() && !h.paused(); });
  }
  if (node == nullptr) return Note("bounce (no node running)");
  Fired(Action::kBounce);
  const int64_t quarter = options_.election_ticks * options_.tick_us / 4;
  const int64_t us = prng_.Range(0, std::max<int64_t>(0, quarter));
  Note(absl::StrCat("bounce ", node->id().Describe(), " for ", us, "us"));
  node->Crash();
  queue_->After(us, kWorld, EventKind::kFault, false, [this, node] {
    if (healed_ || node->up()) return Note("restart (already up)");
    if (node->retired()) return Note("restart (retired)");
    Note(absl::StrCat("restart ", node->id().Describe()));
    node->Start();
    NodeHost* const asker = PickNode([node](const NodeHost& h) {
      return &h != node && h.up() && !h.paused();
    });
    if (asker == nullptr) return Note("campaign (no other node running)");
    Note(absl::StrCat("campaign ", asker->id().Describe()));
    asker->Campaign();
  });
}

void Faults::HealAll() {
  healed_ = true;
  network_->Heal();
  network_->set_loss_ppm(0);
  network_->set_delay_ppm(0);
  for (NodeHost* h : hosts_) {
    if (h->paused()) h->Resume();
    // Spare hosts never added stay down; retired ones stay as they are.
    if (!h->up() && h->serving()) h->Start();
  }
}

}  // namespace raftsim::sim
