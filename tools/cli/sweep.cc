// tools/cli/sweep.cc — see sweep.h. The seeds run in child processes
// (tools/cli/children.h); the parent keeps what the failing ones printed.

#include "tools/cli/sweep.h"

#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "base/check.h"
#include "sim/coverage.h"
#include "sim/simulator.h"
#include "tools/cli/children.h"
#include "tools/cli/run_cmd.h"

namespace raftsim::tools {
namespace {

using sim::kExitOk;

struct SeedRange {
  uint64_t first = 0;
  uint64_t last = 0;
};

absl::StatusOr<SeedRange> ParseSeeds(absl::string_view text) {
  const auto bad = [&](absl::string_view why) {
    return absl::InvalidArgumentError(
        absl::StrCat("--seeds=", text, ": ", why));
  };
  std::vector<absl::string_view> parts = absl::StrSplit(text, "..");
  SeedRange r;
  if (parts.size() == 1) parts.push_back(parts[0]);
  if (parts.size() != 2 || !absl::SimpleAtoi(parts[0], &r.first) ||
      !absl::SimpleAtoi(parts[1], &r.last) || parts[0].empty() ||
      parts[0][0] == '-' || parts[1][0] == '-') {
    return bad("expected A..B with unsigned integers A <= B (or one seed N)");
  }
  if (r.first > r.last) {
    return bad(
        absl::StrCat("the range is empty (", r.first, " > ", r.last, ")"));
  }
  return r;
}

struct SeedOutcome {
  int code = 0;
  std::string output;  // What the child printed.
};

// What the finished seeds add up to.
struct Tally {
  uint64_t done = 0;
  uint64_t events = 0;
  int worst = kExitOk;
  std::map<uint64_t, SeedOutcome> failures;  // Sorted by seed.
  // Per catalogued situation: seeds that reached it, and its total count.
  std::vector<uint64_t> seeds_reaching =
      std::vector<uint64_t>(sim::CoverageCatalogue().size(), 0);
  std::vector<uint64_t> hits =
      std::vector<uint64_t>(sim::CoverageCatalogue().size(), 0);
  uint64_t seeds_with_coverage = 0;

  void Add(uint64_t seed, JobOutcome out) {
    const std::vector<uint64_t>& coverage = out.coverage;
    if (!coverage.empty()) {
      ++seeds_with_coverage;
      for (size_t i = 0; i < coverage.size(); ++i) {
        if (coverage[i] > 0) ++seeds_reaching[i];
        hits[i] += coverage[i];
      }
    }
    events += out.events;
    ++done;
    worst = WorseExit(worst, out.code);
    if (out.code != kExitOk) {
      failures[seed] = {out.code, std::move(out.output)};
    }
  }
};

void PrintProgress(const Tally& tally, uint64_t total, absl::Duration elapsed) {
  const double secs = absl::ToDoubleSeconds(elapsed);
  std::fprintf(stderr, "\r[%llu/%llu] failures=%zu %.1f seeds/s   ",
               static_cast<unsigned long long>(tally.done),
               static_cast<unsigned long long>(total), tally.failures.size(),
               secs > 0 ? static_cast<double>(tally.done) / secs : 0.0);
}

// Runs every seed of `range`, at most `jobs` at a time; `start` is when
// the sweep started (for the progress line's rate).
// With `fail_fast`, no seed starts once one has failed.
void RunSeeds(const SeedRange& range, int jobs, const CommonOptions& common,
              absl::Duration seed_timeout, bool fail_fast, absl::Time start,
              Tally* tally) {
  const uint64_t total = range.last - range.first + 1;
  const bool tty = isatty(STDERR_FILENO) != 0;
  uint64_t issued = 0;
  absl::Time last_progress = start;
  RunJobs(
      "sweep",
      [&]() -> std::optional<Job> {
        if (issued == total) return std::nullopt;  // No overflow at 2^64-1.
        if (fail_fast && !tally->failures.empty()) return std::nullopt;
        return Job{range.first + issued++, common};
      },
      jobs, seed_timeout,
      [&](uint64_t, const Job& job, JobOutcome outcome) {
        tally->Add(job.seed, std::move(outcome));
      },
      [&]() {
        const absl::Time now = absl::Now();
        if (tty && (now - last_progress > absl::Milliseconds(200) ||
                    tally->done == total)) {
          last_progress = now;
          PrintProgress(*tally, total, now - start);
        }
      });
  if (tty) std::fprintf(stderr, "\n");
}

// The coverage table: for each catalogued situation, the seeds that
// reached it and how often it happened in all; then those no seed reached.
void PrintCoverage(const Tally& tally) {
  const std::vector<sim::CoverageEntry>& catalogue = sim::CoverageCatalogue();
  std::printf("coverage over %llu seeds (seeds reaching, times, situation):\n",
              static_cast<unsigned long long>(tally.seeds_with_coverage));
  std::vector<std::string> unreached;
  for (size_t i = 0; i < catalogue.size(); ++i) {
    const std::string name(catalogue[i].name);
    std::printf("  %7llu %11llu  %-4s %s\n",
                static_cast<unsigned long long>(tally.seeds_reaching[i]),
                static_cast<unsigned long long>(tally.hits[i]),
                std::string(catalogue[i].layer).c_str(), name.c_str());
    if (tally.seeds_reaching[i] == 0) unreached.push_back(name);
  }
  std::printf(
      "coverage: %zu of %zu situations reached; not reached: %s\n",
      catalogue.size() - unreached.size(), catalogue.size(),
      unreached.empty() ? "none" : absl::StrJoin(unreached, " ").c_str());
}

void PrintSummary(const SeedRange& range, int jobs, const CommonOptions& common,
                  const SweepOptions& sweep, const Tally& tally, double secs) {
  for (const auto& [seed, out] : tally.failures) {
    std::printf("%s", out.output.c_str());
    if (out.output.find("replay: ") == std::string::npos) {
      std::printf("replay: %s\n", Replay(seed, common).c_str());
    }
  }
  if (sweep.coverage) PrintCoverage(tally);
  const uint64_t total = range.last - range.first + 1;
  if (sweep.fail_fast && tally.done < total) {
    std::printf(
        "fail_fast: stopped at the first failure; %llu of %llu seeds "
        "run\n",
        static_cast<unsigned long long>(tally.done),
        static_cast<unsigned long long>(total));
  }
  std::printf(
      "sweep seeds=%llu..%llu jobs=%d: %llu run, %zu failed, worst exit %d; "
      "%.2f s, %.1f seeds/s, %.0f events/s\n",
      static_cast<unsigned long long>(range.first),
      static_cast<unsigned long long>(range.last), jobs,
      static_cast<unsigned long long>(tally.done), tally.failures.size(),
      tally.worst, secs, static_cast<double>(tally.done) / secs,
      static_cast<double>(tally.events) / secs);
}

}  // namespace

int RunSweepCommand(const CommonOptions& common, const SweepOptions& sweep) {
  absl::StatusOr<SeedRange> range = ParseSeeds(sweep.seeds);
  if (!range.ok()) return InputError("sweep", range.status().message());
  if (sweep.seed_timeout_ms < 0) {
    return InputError("sweep",
                      absl::StrCat("--seed_timeout_ms=", sweep.seed_timeout_ms,
                                   ": must be 0 (no limit) or "
                                   "positive"));
  }
  const absl::Duration seed_timeout =
      sweep.seed_timeout_ms == 0 ? absl::InfiniteDuration()
                                 : absl::Milliseconds(sweep.seed_timeout_ms);
  const std::optional<int> parallel = ParallelismOf(sweep.jobs);
  if (!parallel.has_value()) {
    return InputError("sweep", absl::StrCat("--jobs=", sweep.jobs,
                                            ": must be 0 (one per core) or "
                                            "positive"));
  }
  const int jobs = *parallel;
  // Validate the overrides once, before forking anything.
  if (absl::StatusOr<sim::SimOptions> o =
          OptionsFor(range->first, common.overrides);
      !o.ok()) {
    return InputError("sweep", o.status().message());
  }
  const absl::Time start = absl::Now();
  Tally tally;
  RunSeeds(*range, jobs, common, seed_timeout, sweep.fail_fast, start, &tally);
  const double secs =
      std::max(1e-9, absl::ToDoubleSeconds(absl::Now() - start));
  PrintSummary(*range, jobs, common, sweep, tally, secs);
  return tally.worst;
}

}  // namespace raftsim::tools
