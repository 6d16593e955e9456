// tools/cli/sweep.cc — see sweep.h. The seeds run in child processes
// (tools/cli/children.h); the parent keeps what the failing ones printed.

#include "tools/cli/sweep.h"

#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
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
#include "raft/canary.h"
#include "sim/coverage.h"
#include "sim/simulator.h"
#include "tools/cli/children.h"
#include "tools/cli/report.h"
#include "tools/cli/run_cmd.h"

namespace raftsim::tools {
namespace {

using sim::kExitOk;

std::string_view ProgramName() {
#ifdef RAFTSIM_CANARY_BINARY
  return "raftsim_canary";
#else
  return "raftsim";
#endif
}

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
  // With --report: every seed, for the report (in completion order).
  bool keep_seeds = false;
  std::vector<ReportSeed> seeds;
  uint64_t caught = 0;        // Seeds whose verdict caught the canary.
  uint64_t first_caught = 0;  // The first (lowest) such seed; 0 if none.

  void Add(uint64_t seed, const CommonOptions& common, JobOutcome out) {
    if (CaughtCanary(out.code)) {
      ++caught;
      if (first_caught == 0 || seed < first_caught) first_caught = seed;
    }
    if (keep_seeds) {
      ReportSeed r;
      r.seed = seed;
      r.canary = common.canary;
      r.code = out.code;
      r.checker = CheckerOfOutput(out.output);
      if (out.code != kExitOk) r.output = out.output;
      r.replay = Replay(seed, common);
      r.events = out.events;
      r.wall_ms = absl::ToDoubleMilliseconds(out.wall);
      r.faults = out.faults;
      r.coverage = out.coverage;
      if (absl::StatusOr<sim::SimOptions> o =
              OptionsFor(seed, common.overrides);
          o.ok()) {
        r.options = *o;
      }
      seeds.push_back(std::move(r));
    }
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
        return Job{range.first + issued++, common, {}};
      },
      jobs, seed_timeout,
      [&](uint64_t, const Job& job, JobOutcome outcome) {
        tally->Add(job.seed, job.common, std::move(outcome));
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

// Re-runs the first kMaxTracedFailures failing seeds of `report` with
// their traces written under dir/traces/, and links them from the report.
// Each run replays its seed exactly (same options, same canary).
void TraceFailures(const std::string& dir, int jobs,
                   const CommonOptions& common, SweepReport* report) {
  constexpr size_t kMaxTracedFailures = 20;
  // First the first failing seed of each canary (or of the sweep), then
  // the other failures in order, up to the limit; batched by canary.
  std::vector<ReportSeed*> failing;
  std::vector<bool> chosen(report->seeds.size(), false);
  for (size_t i = 0; i < report->seeds.size(); ++i) {
    ReportSeed& r = report->seeds[i];
    if (r.code == kExitOk || failing.size() == kMaxTracedFailures) continue;
    if (std::any_of(failing.begin(), failing.end(), [&](const ReportSeed* f) {
          return f->canary == r.canary;
        })) {
      continue;
    }
    failing.push_back(&r);
    chosen[i] = true;
  }
  for (size_t i = 0; i < report->seeds.size(); ++i) {
    ReportSeed& r = report->seeds[i];
    if (r.code == kExitOk || chosen[i] ||
        failing.size() == kMaxTracedFailures) {
      continue;
    }
    failing.push_back(&r);
  }
  std::stable_sort(failing.begin(), failing.end(),
                   [](const ReportSeed* a, const ReportSeed* b) {
                     return a->canary < b->canary;
                   });
  size_t next = 0;
  while (next < failing.size()) {
    // One batch per canary: children inherit the active canary.
    const std::string canary = failing[next]->canary;
    CommonOptions pass = common;
    pass.canary = canary;
    if (canary != "none") {
      if (std::optional<raft::Canary> c = raft::CanaryFromName(canary)) {
        raft::SetActiveCanary(*c);
      }
    }
    std::vector<ReportSeed*> batch;
    while (next < failing.size() && failing[next]->canary == canary) {
      batch.push_back(failing[next++]);
    }
    size_t issued = 0;
    RunJobs(
        "sweep",
        [&]() -> std::optional<Job> {
          if (issued == batch.size()) return std::nullopt;
          ReportSeed* r = batch[issued++];
          const std::string stem =
              canary == "none"
                  ? absl::StrCat("traces/seed-", r->seed)
                  : absl::StrCat("traces/", canary, "-seed-", r->seed);
          r->trace_json = absl::StrCat(stem, ".json");
          r->timeline = absl::StrCat(stem, ".timeline.txt");
          Job job{r->seed, pass, {}};
          job.trace.trace_out = absl::StrCat(dir, "/", r->trace_json);
          job.trace.timeline_out = absl::StrCat(dir, "/", r->timeline);
          return job;
        },
        jobs, absl::Minutes(2), [](uint64_t, const Job&, JobOutcome) {}, [] {});
  }
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
  // --canary=all (raftsim_canary): one pass over the seeds per canary.
  std::vector<std::string> canaries;
  if (common.canary == "all") {
    for (const raft::CanaryInfo& info : raft::AllCanaries()) {
      canaries.emplace_back(info.name);
    }
  } else if (common.canary != "none") {
    canaries.push_back(common.canary);
  }
  const bool report = !sweep.report.empty();
  if (report) {
    std::error_code error;
    std::filesystem::create_directories(
        std::filesystem::path(sweep.report) / "traces", error);
    if (error) {
      return InputError("sweep", absl::StrCat("--report=", sweep.report,
                                              ": cannot create the directory: ",
                                              error.message()));
    }
  }
  SweepReport out;
  out.program = std::string(ProgramName());
  out.command = sweep.command_line;
  out.first_seed = range->first;
  out.last_seed = range->last;
  out.jobs = jobs;
  if (common.canary != "none") out.canaries = canaries;
  const absl::Time start = absl::Now();
  int worst = kExitOk;
  if (common.canary == "all") {
    std::vector<std::string> missed;
    uint64_t runs = 0;
    for (const std::string& name : canaries) {
      raft::SetActiveCanary(*raft::CanaryFromName(name));
      CommonOptions pass = common;
      pass.canary = name;
      Tally tally;
      tally.keep_seeds = report;
      RunSeeds(*range, jobs, pass, seed_timeout, /*fail_fast=*/false, start,
               &tally);
      runs += tally.done;
      if (tally.first_caught == 0) {
        missed.push_back(name);
        std::printf("canary %s: never caught in %llu seeds\n", name.c_str(),
                    static_cast<unsigned long long>(tally.done));
      } else {
        std::printf(
            "canary %s: caught in %llu of %llu seeds, first at seed %llu\n",
            name.c_str(), static_cast<unsigned long long>(tally.caught),
            static_cast<unsigned long long>(tally.done),
            static_cast<unsigned long long>(tally.first_caught));
      }
      std::sort(tally.seeds.begin(), tally.seeds.end(),
                [](const ReportSeed& a, const ReportSeed& b) {
                  return a.seed < b.seed;
                });
      for (ReportSeed& r : tally.seeds) out.seeds.push_back(std::move(r));
    }
    raft::SetActiveCanary(raft::Canary::kNone);
    const double secs =
        std::max(1e-9, absl::ToDoubleSeconds(absl::Now() - start));
    std::printf(
        "sweep seeds=%llu..%llu jobs=%d: %zu canaries, %zu caught, %llu runs; "
        "never caught: %s; %.2f s\n",
        static_cast<unsigned long long>(range->first),
        static_cast<unsigned long long>(range->last), jobs, canaries.size(),
        canaries.size() - missed.size(), static_cast<unsigned long long>(runs),
        missed.empty() ? "none" : absl::StrJoin(missed, " ").c_str(), secs);
    worst = missed.empty() ? kExitOk : sim::kExitSafety;
  } else {
    Tally tally;
    tally.keep_seeds = report;
    RunSeeds(*range, jobs, common, seed_timeout, sweep.fail_fast, start,
             &tally);
    const double secs =
        std::max(1e-9, absl::ToDoubleSeconds(absl::Now() - start));
    PrintSummary(*range, jobs, common, sweep, tally, secs);
    std::sort(tally.seeds.begin(), tally.seeds.end(),
              [](const ReportSeed& a, const ReportSeed& b) {
                return a.seed < b.seed;
              });
    out.seeds = std::move(tally.seeds);
    worst = tally.worst;
  }
  if (report) {
    out.wall_s = absl::ToDoubleSeconds(absl::Now() - start);
    for (const ReportSeed& r : out.seeds)
      out.worst = WorseExit(out.worst, r.code);
    TraceFailures(sweep.report, jobs, common, &out);
    if (absl::Status status = WriteSweepReport(sweep.report, out);
        !status.ok()) {
      return InputError("sweep", status.message());
    }
    std::printf("report: %s/index.html\n", sweep.report.c_str());
  }
  return worst;
}

}  // namespace raftsim::tools
