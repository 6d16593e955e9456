// sim/explore/explorer.cc — see explorer.h.

#include "sim/explore/explorer.h"

#include <algorithm>
#include <bit>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/check.h"

namespace raftsim::sim {
namespace {

// Options a mutation redraws together, because SimOptions::Draw derives
// them from one another (latencies, disk and apply delays fit the election
// timeout; a message fits the inflight window; the workload profile sets
// all weights). Redrawing a group from one donor seed keeps those
// relations, so a mutant is a run the swarm could have drawn option group
// by option group — new combinations, not impossible worlds (a mutant whose
// election round cannot fit its timeout would fail liveness by
// construction). Options not listed are not mutated: the run's bounds
// (heal_ms, max_events), the tick (never drawn) and the stream overrides,
// which have mutations of their own.
constexpr const char* kTiming[] = {
    "election_ticks",   "heartbeat_ticks", "latency_us_min",
    "latency_us_max",   "jitter_us",       "disk_write_us_max",
    "disk_sync_us_max", "disk_reorder_us", "fsync_spike_ppm",
    "fsync_spike_us",   "apply_us_max",    "post_us_max"};
constexpr const char* kFlow[] = {"max_inflight_msgs", "max_inflight_bytes",
                                 "max_msg_bytes"};
constexpr const char* kSnapshots[] = {"snapshot_every", "snapshot_keep"};
constexpr const char* kWeights[] = {"get_weight", "put_weight", "append_weight",
                                    "cas_weight"};
constexpr const char* kCrashes[] = {"crashes", "crash_ms_max",
                                    "fault_gap_ms_max"};
struct Group {
  const char* const* names;
  size_t size;
};
template <size_t N>
constexpr Group G(const char* const (&names)[N]) {
  return {names, N};
}
constexpr const char* kSingles[] = {"nodes",
                                    "pre_vote",
                                    "check_quorum",
                                    "max_uncommitted_bytes",
                                    "max_committed_bytes_per_ready",
                                    "max_batch_commands",
                                    "fault_ms",
                                    "loss_ppm",
                                    "dup_ppm",
                                    "torn_writes",
                                    "partition_isolate",
                                    "partition_split",
                                    "partition_asymmetric",
                                    "partition_bridge",
                                    "partition_links",
                                    "partition_ms_max",
                                    "pauses",
                                    "pause_ms_max",
                                    "clogs",
                                    "clog_ms_max",
                                    "drift_ppm_max",
                                    "target_leader",
                                    "clients",
                                    "keys",
                                    "read_through_log",
                                    "client_timeout_ms",
                                    "think_us_max",
                                    "client_latency_us_max",
                                    "sticky_clients"};

std::vector<Group> Groups() {
  std::vector<Group> groups = {G(kTiming), G(kFlow), G(kSnapshots), G(kWeights),
                               G(kCrashes)};
  for (const char* const& name : kSingles) groups.push_back({&name, 1});
  return groups;
}

int64_t Get(const SimOptions& o, const char* name) {
  const OptionField* f = FindOption(name);
  CHECK(f != nullptr) << name;
  return o.*f->member;
}
void Put(SimOptions* o, const char* name, int64_t value) {
  const OptionField* f = FindOption(name);
  CHECK(f != nullptr) << name;
  o->*f->member = value;
}

// Seeds stay below 2^40, the range of SimOptions::fault_seed.
constexpr int64_t kMaxSeed = (int64_t{1} << 40) - 1;

// Count buckets: 1, 2, 3, 4-7, 8-15, 16-31, 32-127, 128+.
uint32_t Bucket(uint64_t count) {
  if (count <= 3) return static_cast<uint32_t>(count - 1);
  if (count >= 128) return 7;
  if (count >= 32) return 6;
  return static_cast<uint32_t>(std::bit_width(count));  // 4-7: 3 ... 16-31: 5.
}
constexpr uint32_t kBuckets = 8;

}  // namespace

std::string Candidate::Overrides() const {
  const SimOptions drawn = SimOptions::Draw(seed);
  std::vector<std::string> parts;
  for (const OptionField& f : OptionTable()) {
    if (drawn.*f.member != options.*f.member) {
      parts.push_back(absl::StrCat(f.name, "=", options.*f.member));
    }
  }
  return absl::StrJoin(parts, ",");
}

Explorer::Explorer(const ExplorerOptions& options, size_t situations)
    : options_(options),
      situations_(situations),
      prng_(options.explorer_seed),
      runs_reaching_(situations * kBuckets + situations * (situations - 1) / 2,
                     0) {
  CHECK(Validate(options).ok()) << Validate(options).ToString();
}

absl::Status Explorer::Validate(const ExplorerOptions& options) {
  if (options.batch < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("batch=", options.batch, ": must be at least 1"));
  }
  if (options.fresh_percent < 0 || options.fresh_percent > 100) {
    return absl::InvalidArgumentError(absl::StrCat(
        "fresh_percent=", options.fresh_percent, ": must be in [0, 100]"));
  }
  SimOptions o = SimOptions::Draw(1);
  if (absl::Status s = o.SetFromString(options.pinned); !s.ok()) return s;
  return absl::OkStatus();
}

bool Explorer::Pin(SimOptions* options) const {
  if (!options->SetFromString(options_.pinned).ok()) return false;
  return options->Validate().ok();
}

std::vector<uint32_t> Explorer::Features(
    const std::vector<uint64_t>& coverage) const {
  std::vector<uint32_t> features;
  const size_t n = std::min(coverage.size(), situations_);
  std::vector<size_t> reached;
  for (size_t i = 0; i < n; ++i) {
    if (coverage[i] == 0) continue;
    reached.push_back(i);
    features.push_back(static_cast<uint32_t>(i * kBuckets) +
                       Bucket(coverage[i]));
  }
  // Pairs (i, j), i < j, numbered row by row after the buckets.
  const size_t base = situations_ * kBuckets;
  for (size_t a = 0; a < reached.size(); ++a) {
    const size_t i = reached[a];
    const size_t row = i * situations_ - i * (i + 1) / 2;  // Pairs before i.
    for (size_t b = a + 1; b < reached.size(); ++b) {
      const size_t j = reached[b];
      features.push_back(static_cast<uint32_t>(base + row + (j - i - 1)));
    }
  }
  return features;
}

Candidate Explorer::Fresh() {
  for (;;) {
    Candidate c;
    c.seed = static_cast<uint64_t>(prng_.Range(1, kMaxSeed));
    c.options = SimOptions::Draw(c.seed);
    c.origin = "fresh";
    if (Pin(&c.options)) return c;
  }
}

size_t Explorer::PickParent() {
  std::vector<uint64_t> weights(corpus_.size(), 0);
  uint64_t total = 0;
  for (size_t e = 0; e < corpus_.size(); ++e) {
    uint64_t w = 0;
    for (uint32_t f : corpus_[e].features) {
      w += (uint64_t{1} << 20) / std::max<uint64_t>(1, runs_reaching_[f]);
    }
    w = w / (1 + corpus_[e].picked / 4) + 1;
    weights[e] = w;
    total += w;
  }
  uint64_t x = prng_.Uniform(total);
  for (size_t e = 0; e < weights.size(); ++e) {
    if (x < weights[e]) return e;
    x -= weights[e];
  }
  return weights.size() - 1;
}

Candidate Explorer::Mutant() {
  const size_t parent = PickParent();
  ++corpus_[parent].picked;
  const Candidate& base = corpus_[parent].candidate;
  static const std::vector<Group> groups = Groups();
  for (int attempt = 0; attempt < 16; ++attempt) {
    Candidate c = base;
    std::vector<std::string> changes;
    const int mutations = static_cast<int>(prng_.Range(1, 3));
    for (int m = 0; m < mutations; ++m) {
      const int64_t kind = prng_.Range(0, 99);
      if (kind < 30) {  // Redraw an option group from a donor seed.
        const Group& g = groups[prng_.Uniform(groups.size())];
        const SimOptions donor =
            SimOptions::Draw(static_cast<uint64_t>(prng_.Range(1, kMaxSeed)));
        for (size_t i = 0; i < g.size; ++i) {
          Put(&c.options, g.names[i], Get(donor, g.names[i]));
        }
        if (g.size == 1 &&
            Get(donor, g.names[0]) == Get(base.options, g.names[0])) {
          // The donor agrees: flip a flag, or double a number instead.
          const OptionField* f = FindOption(g.names[0]);
          const int64_t v = Get(base.options, g.names[0]);
          Put(&c.options, g.names[0],
              f->kind == OptionKind::kBool
                  ? 1 - v
                  : std::clamp<int64_t>(v * 2, f->min, f->max));
        }
        changes.push_back(
            g.size == 1
                ? absl::StrCat(g.names[0], "=", Get(c.options, g.names[0]))
                : absl::StrCat(g.names[0], "+", g.size - 1, " redrawn"));
      } else if (kind < 55) {  // Another fault schedule.
        c.options.fault_seed = prng_.Range(1, kMaxSeed);
        changes.push_back("faults re-seeded");
      } else if (kind < 70) {  // Another workload.
        c.options.workload_seed = prng_.Range(1, kMaxSeed);
        changes.push_back("workload re-seeded");
      } else {  // Another world (network, disks, nodes), the same options.
        c.seed = static_cast<uint64_t>(prng_.Range(1, kMaxSeed));
        changes.push_back("world re-seeded");
      }
    }
    if (!Pin(&c.options)) continue;
    c.origin = absl::StrCat("#", base.id, ": ", absl::StrJoin(changes, ", "));
    return c;
  }
  return Fresh();  // No valid mutant: rare (pinned options may forbid).
}

std::vector<Candidate> Explorer::NextBatch() {
  std::vector<Candidate> batch;
  for (int i = 0; i < options_.batch; ++i) {
    const bool fresh = !options_.guided || corpus_.empty() ||
                       prng_.Range(0, 99) < options_.fresh_percent;
    Candidate c = fresh ? Fresh() : Mutant();
    c.id = next_id_++;
    batch.push_back(std::move(c));
  }
  return batch;
}

bool Explorer::Report(const Candidate& candidate,
                      const std::vector<uint64_t>& coverage) {
  std::vector<uint32_t> features = Features(coverage);
  bool fresh_feature = false;
  for (uint32_t f : features) {
    if (runs_reaching_[f] == 0) fresh_feature = true;
    ++runs_reaching_[f];
  }
  if (fresh_feature) corpus_.push_back({candidate, std::move(features), 0});
  return fresh_feature;
}

size_t Explorer::features_reached() const {
  return static_cast<size_t>(std::count_if(runs_reaching_.begin(),
                                           runs_reaching_.end(),
                                           [](uint64_t n) { return n > 0; }));
}

size_t Explorer::situations_reached() const {
  size_t n = 0;
  for (size_t i = 0; i < situations_; ++i) {
    for (uint32_t b = 0; b < kBuckets; ++b) {
      if (runs_reaching_[i * kBuckets + b] > 0) {
        ++n;
        break;
      }
    }
  }
  return n;
}

}  // namespace raftsim::sim
