// tools/cli/explore.cc — see explore.h.

#include "tools/cli/explore.h"

#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "sim/coverage.h"
#include "sim/explore/explorer.h"
#include "sim/simulator.h"
#include "tools/cli/children.h"
#include "tools/cli/run_cmd.h"

namespace raftsim::tools {
namespace {

// The candidate as a job: its seed, and overrides that are exactly the
// candidate's options (the user's overrides are already pinned in them).
Job JobOf(const sim::Candidate& c, const CommonOptions& common) {
  Job job{c.seed, common, {}};
  job.common.overrides = SwarmOverrides{};
  job.common.overrides.set = c.Overrides();
  return job;
}

// The user's overrides as one --set list: the explorer pins them in every
// candidate.
std::string PinnedOf(const SwarmOverrides& o) {
  std::string pinned;
  auto add = [&](absl::string_view name, int64_t value, int64_t unset) {
    if (value == unset) return;
    absl::StrAppend(&pinned, pinned.empty() ? "" : ",", name, "=", value);
  };
  add("nodes", o.nodes, 0);
  add("clients", o.clients, -1);
  add("fault_ms", o.fault_ms, -1);
  add("heal_ms", o.heal_ms, -1);
  if (!o.set.empty())
    absl::StrAppend(&pinned, pinned.empty() ? "" : ",", o.set);
  return pinned;
}

}  // namespace

int RunExploreCommand(const CommonOptions& common,
                      const ExploreOptions& explore) {
  if (explore.budget < 1) {
    return InputError("explore", absl::StrCat("--budget=", explore.budget,
                                              ": must be at least 1"));
  }
  const std::optional<int> parallel = ParallelismOf(explore.jobs);
  if (!parallel.has_value()) {
    return InputError("explore", absl::StrCat("--jobs=", explore.jobs,
                                              ": must be 0 (one per core) or "
                                              "positive"));
  }
  if (explore.seed_timeout_ms < 0) {
    return InputError(
        "explore", absl::StrCat("--seed_timeout_ms=", explore.seed_timeout_ms,
                                ": must be 0 (no limit) or positive"));
  }
  // The overrides must make a valid run on their own before they are
  // pinned into every candidate.
  if (absl::StatusOr<sim::SimOptions> o = OptionsFor(1, common.overrides);
      !o.ok()) {
    return InputError("explore", o.status().message());
  }
  sim::ExplorerOptions options;
  options.explorer_seed = explore.explorer_seed;
  options.guided = explore.guided;
  options.pinned = PinnedOf(common.overrides);
  if (absl::Status s = sim::Explorer::Validate(options); !s.ok()) {
    return InputError("explore", s.message());
  }
  const absl::Duration timeout =
      explore.seed_timeout_ms == 0
          ? absl::InfiniteDuration()
          : absl::Milliseconds(explore.seed_timeout_ms);
  const size_t situations = sim::CoverageCatalogue().size();
  sim::Explorer explorer(options, situations);
  const bool tty = isatty(STDERR_FILENO) != 0;
  const absl::Time start = absl::Now();

  int64_t runs = 0, failed = 0, first_failure = 0;
  uint64_t events = 0;
  int worst = sim::kExitOk;
  while (runs < explore.budget && (first_failure == 0 || explore.keep_going)) {
    std::vector<sim::Candidate> batch = explorer.NextBatch();
    batch.resize(static_cast<size_t>(std::min<int64_t>(
        static_cast<int64_t>(batch.size()), explore.budget - runs)));
    std::vector<JobOutcome> outcomes(batch.size());
    size_t issued = 0;
    RunJobs(
        "explore",
        [&]() -> std::optional<Job> {
          if (issued == batch.size()) return std::nullopt;
          return JobOf(batch[issued++], common);
        },
        *parallel, timeout,
        [&](uint64_t number, const Job&, JobOutcome outcome) {
          outcomes[number] = std::move(outcome);
        },
        [] {});
    // In candidate order, whatever order the children finished in.
    for (size_t i = 0; i < batch.size(); ++i) {
      const sim::Candidate& c = batch[i];
      JobOutcome& out = outcomes[i];
      ++runs;
      events += out.events;
      explorer.Report(c, out.coverage);
      if (out.code == sim::kExitOk) continue;
      ++failed;
      worst = WorseExit(worst, out.code);
      if (first_failure == 0) first_failure = runs;
      std::printf("explore: run %lld (candidate %s) failed:\n%s",
                  static_cast<long long>(runs), c.origin.c_str(),
                  out.output.c_str());
      if (out.output.find("replay: ") == std::string::npos) {
        std::printf("replay: %s\n",
                    Replay(c.seed, JobOf(c, common).common).c_str());
      }
      if (!explore.keep_going) break;
    }
    if (tty) {
      std::fprintf(
          stderr, "\r[%lld/%lld] failed=%lld corpus=%zu situations=%zu/%zu  ",
          static_cast<long long>(runs), static_cast<long long>(explore.budget),
          static_cast<long long>(failed), explorer.corpus_size(),
          explorer.situations_reached(), situations);
    }
  }
  if (tty) std::fprintf(stderr, "\n");
  const double secs =
      std::max(1e-9, absl::ToDoubleSeconds(absl::Now() - start));
  std::printf(
      "explore explorer_seed=%llu %s budget=%lld: %lld run, %lld failed, %s; "
      "worst exit %d; corpus %zu, features %zu, situations %zu of %zu "
      "reached; %.2f s, %.0f events/s\n",
      static_cast<unsigned long long>(explore.explorer_seed),
      explore.guided ? "guided" : "random",
      static_cast<long long>(explore.budget), static_cast<long long>(runs),
      static_cast<long long>(failed),
      first_failure == 0
          ? "no failure"
          : absl::StrCat("first failure at run ", first_failure).c_str(),
      worst, explorer.corpus_size(), explorer.features_reached(),
      explorer.situations_reached(), situations, secs,
      static_cast<double>(events) / secs);
  return worst;
}

}  // namespace raftsim::tools
