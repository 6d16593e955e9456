// sim/world/options.cc — see options.h.

#include "sim/world/options.h"

#include <algorithm>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "base/prng.h"
#include "sim/world/streams.h"

namespace raftsim::sim {
namespace {

constexpr int64_t kBig = int64_t{1} << 40;

#define RAFTSIM_OPTION(name, kind, lo, hi, doc) \
  { #name, &SimOptions::name, OptionKind::kind, lo, hi, doc }
constexpr OptionField kFields[] = {
    RAFTSIM_OPTION(nodes, kInt, 1, 9, "Voters n1..nN."),
    RAFTSIM_OPTION(pre_vote, kBool, 0, 1, "Pre-vote (thesis §9.6)."),
    RAFTSIM_OPTION(check_quorum, kBool, 0, 1, "Check quorum (thesis §6.2)."),
    RAFTSIM_OPTION(tick_us, kInt, 10, 1'000'000, "Server tick, in local time."),
    RAFTSIM_OPTION(election_ticks, kInt, 2, 1000, ""),
    RAFTSIM_OPTION(heartbeat_ticks, kInt, 1, 999, ""),
    RAFTSIM_OPTION(snapshot_every, kInt, 0, kBig,
                   "Entries between snapshots; 0 = never."),
    RAFTSIM_OPTION(fault_ms, kInt, 0, 3'600'000, "Fault phase length."),
    RAFTSIM_OPTION(heal_ms, kInt, 1, 3'600'000,
                   "Liveness bound after the heal."),
    RAFTSIM_OPTION(max_events, kInt, 1, kBig, ""),
    RAFTSIM_OPTION(latency_us_min, kInt, 0, 10'000'000,
                   "Per-link base latency range, low end."),
    RAFTSIM_OPTION(latency_us_max, kInt, 0, 10'000'000,
                   "Per-link base latency range, high end."),
    RAFTSIM_OPTION(jitter_us, kInt, 0, 10'000'000,
                   "Per-message extra delay; reordering."),
    RAFTSIM_OPTION(loss_ppm, kInt, 0, 1'000'000, ""),
    RAFTSIM_OPTION(dup_ppm, kInt, 0, 1'000'000, ""),
    RAFTSIM_OPTION(disk_write_us_max, kInt, 0, 10'000'000, ""),
    RAFTSIM_OPTION(disk_sync_us_max, kInt, 0, 10'000'000, ""),
    RAFTSIM_OPTION(torn_writes, kBool, 0, 1, ""),
    RAFTSIM_OPTION(fault_gap_ms_max, kInt, 1, 3'600'000,
                   "Gap between faults: [1, max]."),
    RAFTSIM_OPTION(partition_isolate, kBool, 0, 1, ""),
    RAFTSIM_OPTION(partition_split, kBool, 0, 1, ""),
    RAFTSIM_OPTION(partition_asymmetric, kBool, 0, 1, ""),
    RAFTSIM_OPTION(partition_bridge, kBool, 0, 1, ""),
    RAFTSIM_OPTION(partition_links, kBool, 0, 1, ""),
    RAFTSIM_OPTION(partition_ms_max, kInt, 1, 3'600'000, ""),
    RAFTSIM_OPTION(crashes, kBool, 0, 1, ""),
    RAFTSIM_OPTION(crash_ms_max, kInt, 1, 3'600'000, ""),
    RAFTSIM_OPTION(pauses, kBool, 0, 1, ""),
    RAFTSIM_OPTION(pause_ms_max, kInt, 1, 3'600'000, ""),
    RAFTSIM_OPTION(drift_ppm_max, kInt, 0, 200'000,
                   "Per-node clock drift in [-max, max]."),
    RAFTSIM_OPTION(clients, kInt, 0, 64, ""),
    RAFTSIM_OPTION(keys, kInt, 1, 1000, ""),
    RAFTSIM_OPTION(get_weight, kInt, 0, 1000, ""),
    RAFTSIM_OPTION(put_weight, kInt, 0, 1000, ""),
    RAFTSIM_OPTION(append_weight, kInt, 0, 1000, ""),
    RAFTSIM_OPTION(cas_weight, kInt, 0, 1000, ""),
    RAFTSIM_OPTION(read_through_log, kBool, 0, 1,
                   "Gets go through the log (Submit)."),
    RAFTSIM_OPTION(client_timeout_ms, kInt, 1, 3'600'000, ""),
    RAFTSIM_OPTION(think_us_max, kInt, 0, 10'000'000, ""),
    RAFTSIM_OPTION(client_latency_us_max, kInt, 0, 10'000'000, ""),
};
#undef RAFTSIM_OPTION

// An option drawn on with probability num/den, else 0.
int64_t Flag(Prng& p, uint64_t num, uint64_t den) {
  return p.Ratio(num, den) ? 1 : 0;
}

}  // namespace

absl::Span<const OptionField> OptionTable() { return kFields; }

const OptionField* FindOption(std::string_view name) {
  for (const OptionField& f : kFields) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

std::vector<std::string_view> OptionNames() {
  std::vector<std::string_view> names;
  for (const OptionField& f : kFields) names.push_back(f.name);
  return names;
}

std::string_view ClosestName(std::string_view name,
                             absl::Span<const std::string_view> candidates) {
  // Levenshtein distance, one row at a time; names are short.
  auto distance = [](std::string_view a, std::string_view b) {
    std::vector<size_t> row(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
      size_t diagonal = row[0];
      row[0] = i;
      for (size_t j = 1; j <= b.size(); ++j) {
        const size_t up = row[j];
        row[j] = std::min({row[j] + 1, row[j - 1] + 1,
                           diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
        diagonal = up;
      }
    }
    return row[b.size()];
  };
  std::string_view best;
  size_t best_distance = std::max<size_t>(2, name.size() / 3) + 1;
  for (std::string_view c : candidates) {
    const size_t d = distance(name, c);
    if (d < best_distance) {
      best = c;
      best_distance = d;
    }
  }
  return best;
}

SimOptions SimOptions::Draw(uint64_t seed) {
  Prng p = Streams(seed).Get(Stream::kSwarm);
  SimOptions o;
  // Every draw below happens for every seed, in this order, whatever the
  // outcome of earlier draws (so each line is a fixed number of draws).
  o.nodes = p.Range(3, 7);
  o.pre_vote = Flag(p, 1, 2);
  o.check_quorum = Flag(p, 1, 2);
  o.election_ticks = p.Range(8, 30);
  o.heartbeat_ticks = p.Range(1, std::max<int64_t>(1, o.election_ticks / 4));
  const int64_t snapshot_every = p.Range(10, 100);
  o.snapshot_every = Flag(p, 1, 2) ? snapshot_every : 0;

  // Latencies are drawn against the election timeout: one election round
  // (vote request, persisting the vote, reply) must fit in well under the
  // shortest timeout, or no election could ever finish and liveness after
  // the heal would be impossible by construction (etcd and the thesis
  // §9.3 ask for broadcast time << election timeout). Worst case:
  // 2 * (latency_us_max + jitter_us) + write + sync <= 700us + 0.625 * E.
  const int64_t budget_us = o.election_ticks * o.tick_us / 2;
  o.latency_us_min = p.Range(20, 200);
  o.latency_us_max = o.latency_us_min + p.Range(0, budget_us / 8);
  const int64_t jitter = p.Range(50, std::max<int64_t>(50, budget_us / 4));
  o.jitter_us = Flag(p, 1, 2) ? jitter : 0;
  const int64_t loss = p.Range(1000, 100'000);
  o.loss_ppm = Flag(p, 1, 2) ? loss : 0;
  const int64_t dup = p.Range(1000, 50'000);
  o.dup_ppm = Flag(p, 1, 3) ? dup : 0;

  o.disk_write_us_max = p.Range(10, 300);
  const int64_t sync = p.Range(10, 1000);
  const int64_t slow_sync =
      p.Range(1000, std::max<int64_t>(1000, budget_us / 2));
  o.disk_sync_us_max = Flag(p, 1, 4) ? slow_sync : sync;  // Slow disks.
  o.torn_writes = Flag(p, 1, 2);

  o.fault_gap_ms_max = p.Range(20, 400);
  o.partition_isolate = Flag(p, 1, 2);
  o.partition_split = Flag(p, 1, 2);
  o.partition_asymmetric = Flag(p, 1, 2);
  o.partition_bridge = Flag(p, 1, 2);
  o.partition_links = Flag(p, 1, 2);
  o.partition_ms_max = p.Range(20, 600);
  o.crashes = Flag(p, 1, 2);
  o.crash_ms_max = p.Range(5, 400);
  o.pauses = Flag(p, 1, 2);
  o.pause_ms_max = p.Range(5, 400);
  const int64_t drift = p.Range(100, 100'000);
  o.drift_ppm_max = Flag(p, 1, 2) ? drift : 0;

  o.clients = p.Range(3, 8);
  o.keys = p.Range(1, 5);
  o.get_weight = p.Range(0, 10);
  o.put_weight = p.Range(1, 10);
  o.append_weight = p.Range(0, 10);
  o.cas_weight = p.Range(0, 10);
  o.read_through_log = Flag(p, 1, 4);
  o.client_timeout_ms = p.Range(30, 300);
  o.think_us_max = p.Range(0, 5000);
  o.client_latency_us_max = p.Range(10, 500);
  return o;
}

absl::Status SimOptions::Set(std::string_view name, int64_t value) {
  const OptionField* f = FindOption(name);
  if (f == nullptr) {
    const std::vector<std::string_view> names = OptionNames();
    const std::string_view near = ClosestName(name, names);
    return absl::InvalidArgumentError(absl::StrCat(
        "unknown option '", std::string(name), "'",
        near.empty() ? ""
                     : absl::StrCat(" (did you mean ", std::string(near), "?)"),
        " (see the 'option name=value' lines `raftsim run` prints for the "
        "names)"));
  }
  if (value < f->min || value > f->max) {
    return absl::InvalidArgumentError(
        absl::StrCat("option ", std::string(name), "=", value,
                     " is out of range [", f->min, ", ", f->max, "]"));
  }
  this->*f->member = value;
  return absl::OkStatus();
}

absl::Status SimOptions::SetFromString(std::string_view assignments) {
  for (absl::string_view part :
       absl::StrSplit(absl::string_view(assignments.data(), assignments.size()),
                      ',', absl::SkipEmpty())) {
    const size_t eq = part.find('=');
    int64_t value = 0;
    if (eq == absl::string_view::npos ||
        !absl::SimpleAtoi(part.substr(eq + 1), &value)) {
      return absl::InvalidArgumentError(
          absl::StrCat("expected name=integer, found '", part, "'"));
    }
    const absl::string_view name = part.substr(0, eq);
    absl::Status s = Set(std::string_view(name.data(), name.size()), value);
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status SimOptions::Validate() const {
  for (const OptionField& f : kFields) {
    const int64_t v = this->*f.member;
    if (v < f.min || v > f.max) {
      return absl::InvalidArgumentError(
          absl::StrCat("option ", std::string(f.name), "=", v,
                       " is out of range [", f.min, ", ", f.max, "]"));
    }
  }
  auto bad = [](std::string_view what) {
    return absl::InvalidArgumentError(std::string(what));
  };
  if (heartbeat_ticks >= election_ticks) {
    return bad("option heartbeat_ticks must be below election_ticks");
  }
  if (latency_us_min > latency_us_max) {
    return bad("option latency_us_min must not exceed latency_us_max");
  }
  if (get_weight + put_weight + append_weight + cas_weight == 0) {
    return bad("the workload weights (get/put/append/cas_weight) are all 0");
  }
  return absl::OkStatus();
}

std::vector<std::string> SimOptions::Describe() const {
  std::vector<std::string> lines;
  for (const OptionField& f : kFields) {
    lines.push_back(
        absl::StrCat("option ", std::string(f.name), "=", this->*f.member));
  }
  return lines;
}

}  // namespace raftsim::sim
