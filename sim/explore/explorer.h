// sim/explore/explorer.h — coverage-guided exploration of the swarm: which
// seed and options to run next, given what the earlier runs reached.
//
// A sweep runs seeds in order and learns nothing from them. The explorer
// keeps a corpus of runs that reached something no earlier run had — a
// situation of the coverage catalogue (sim/coverage.h) for the first time,
// a situation reached a new number of times (counts bucketed by powers of
// two, as greybox fuzzers bucket edge counts), or two situations in one run
// for the first time — and makes most new candidates by mutating a corpus
// entry chosen with a weight that favours rare features: some options
// redrawn (a group of related options at a time, from another seed's draw,
// so that the swarm's relations between them hold), the fault schedule or
// the workload re-seeded (SimOptions::fault_seed, workload_seed), or the
// whole world re-seeded with the same options. The rest are fresh seeds.
// With guided = false every candidate is a fresh seed: random search, the
// baseline the guided search is measured against (docs/verification.md).
//
// Deterministic: the candidates depend only on the explorer seed and on
// what Report was told, in order. Runs happen elsewhere (tools/cli/
// explore.cc runs each batch in child processes and reports the batch in
// candidate order, so parallelism cannot change the search).
//
// Single-threaded; not thread-safe.

#ifndef RAFTSIM_SIM_EXPLORE_EXPLORER_H_
#define RAFTSIM_SIM_EXPLORE_EXPLORER_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "base/prng.h"
#include "sim/world/options.h"

namespace raftsim::sim {

// One run to try.
struct Candidate {
  uint64_t id = 0;  // 1, 2, ... in the order the explorer made them.
  uint64_t seed = 0;
  SimOptions options;  // Valid (SimOptions::Validate).
  // "fresh", or "#P: what changed" for a mutant of candidate P.
  std::string origin;

  // The overrides that turn SimOptions::Draw(seed) into `options`, as
  // "name=value,..." in option-table order ("" when there are none): with
  // --seed, what replays the candidate.
  std::string Overrides() const;
};

struct ExplorerOptions {
  uint64_t explorer_seed = 1;
  bool guided = true;  // false: fresh seeds only (random search).
  int batch = 8;       // Candidates per NextBatch.
  // Percent of a guided batch that is fresh seeds.
  int fresh_percent = 20;
  // Options applied to every candidate after drawing and mutating
  // ("name=value,...", as --set): what the user pinned.
  std::string pinned;
};

class Explorer {
 public:
  // `situations`: the size of the coverage vectors Report receives.
  Explorer(const ExplorerOptions& options, size_t situations);

  // Checks `options` (the pinned overrides parse and leave a valid run).
  static absl::Status Validate(const ExplorerOptions& options);

  // The next options.batch candidates. Report each before the next call.
  std::vector<Candidate> NextBatch();

  // What the run of `candidate` reached (counts in catalogue order; empty
  // when the run reported none, e.g. it crashed). Returns true when it
  // reached a feature no earlier run had; then it joins the corpus.
  bool Report(const Candidate& candidate,
              const std::vector<uint64_t>& coverage);

  size_t corpus_size() const { return corpus_.size(); }
  // Distinct features reached so far.
  size_t features_reached() const;
  // Catalogued situations reached by some run so far.
  size_t situations_reached() const;

 private:
  struct Entry {
    Candidate candidate;
    std::vector<uint32_t> features;
    uint64_t picked = 0;  // Times chosen as a parent.
  };

  std::vector<uint32_t> Features(const std::vector<uint64_t>& coverage) const;
  Candidate Fresh();
  Candidate Mutant();
  // The corpus entry to mutate: weight per entry is the sum over its
  // features of 1 / (runs that reached the feature), damped by how often
  // it was picked.
  size_t PickParent();
  // Applies the pinned overrides; false if the result is not valid.
  bool Pin(SimOptions* options) const;

  ExplorerOptions options_;
  size_t situations_;
  Prng prng_;
  uint64_t next_id_ = 1;
  std::vector<Entry> corpus_;
  std::vector<uint64_t> runs_reaching_;  // Per feature.
};

}  // namespace raftsim::sim

#endif  // RAFTSIM_SIM_EXPLORE_EXPLORER_H_
