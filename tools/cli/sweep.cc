// tools/cli/sweep.cc — see sweep.h. Each child runs tools::RunSeed
// (tools/cli/run_cmd.h) quietly into its pipe; the parent keeps what the
// failing ones printed.

#include "tools/cli/sweep.h"

#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <map>
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
#include "tools/cli/run_cmd.h"

namespace raftsim::tools {
namespace {

using sim::kExitCrash;
using sim::kExitHang;
using sim::kExitLiveness;
using sim::kExitOk;
using sim::kExitSafety;

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

struct Child {
  uint64_t seed = 0;
  pid_t pid = 0;
  int fd = -1;
  std::string output;
  absl::Time deadline = absl::InfiniteFuture();  // Killed as a hang after.
  bool timed_out = false;
};

struct SeedOutcome {
  int code = 0;
  std::string output;  // What the child printed.
};

Child Spawn(uint64_t seed, const CommonOptions& common) {
  int fds[2];
  CHECK(pipe(fds) == 0) << "pipe: errno " << errno;
  std::fflush(stdout);
  std::fflush(stderr);
  const pid_t pid = fork();
  CHECK(pid >= 0) << "fork: errno " << errno;
  if (pid == 0) {  // Child: run one seed, quietly, into the pipe.
    close(fds[0]);
    dup2(fds[1], STDOUT_FILENO);
    dup2(fds[1], STDERR_FILENO);
    close(fds[1]);
    RunSettings settings;
    settings.print_options = false;
    settings.coverage = RunSettings::Coverage::kLine;
    const int code = RunSeed("sweep", seed, common, settings);
    std::fflush(stdout);
    _exit(code);
  }
  close(fds[1]);
  return {seed, pid, fds[0], {}, absl::InfiniteFuture(), false};
}

// Waits for `child` (its pipe is at EOF) and classifies its exit.
SeedOutcome Reap(Child& child) {
  close(child.fd);
  int status = 0;
  while (waitpid(child.pid, &status, 0) < 0 && errno == EINTR) {
  }
  SeedOutcome out{kExitCrash, std::move(child.output)};
  if (child.timed_out) {
    out.code = kExitHang;
    absl::StrAppend(&out.output, sim::ResultLine(child.seed, "hang", 0, 0, 0),
                    "\ndetail: stopped after its wall-clock limit "
                    "(--seed_timeout_ms) with no verdict\n");
  } else if (WIFEXITED(status)) {
    out.code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    absl::StrAppend(&out.output, sim::ResultLine(child.seed, "crash", 0, 0, 0),
                    " killed by signal ", WTERMSIG(status), "\n");
  }
  return out;
}

// Worse codes first: crash > safety > hang > liveness > usage > ok.
int Severity(int code) {
  switch (code) {
    case kExitOk:
      return 0;
    case kExitLiveness:
      return 2;
    case kExitHang:
      return 3;
    case kExitSafety:
      return 4;
    case kExitCrash:
      return 5;
    default:
      return 1;
  }
}

// events=E from a child's result line (0 if absent).
uint64_t EventsOf(const std::string& output) {
  const size_t at = output.find(" events=");
  uint64_t events = 0;
  if (at == std::string::npos) return 0;
  const size_t end = output.find(' ', at + 8);
  absl::SimpleAtoi(absl::string_view(output).substr(at + 8, end - at - 8),
                   &events);
  return events;
}

// Removes the child's coverage line (sim/coverage.h) from `output` and
// returns its counts; empty when there is none (the child crashed or was
// killed before it printed one).
std::vector<uint64_t> TakeCoverage(std::string* output) {
  size_t at = 0;
  while (at < output->size()) {
    size_t end = output->find('\n', at);
    if (end == std::string::npos) end = output->size();
    const absl::string_view line(output->data() + at, end - at);
    if (absl::StartsWith(line, "coverage ")) {
      absl::StatusOr<std::vector<uint64_t>> counts =
          sim::ParseCoverageLine(line);
      output->erase(at, std::min(end + 1, output->size()) - at);
      if (counts.ok()) return *std::move(counts);
      return {};
    }
    at = end + 1;
  }
  return {};
}

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

  void Add(uint64_t seed, SeedOutcome out) {
    const std::vector<uint64_t> coverage = TakeCoverage(&out.output);
    if (!coverage.empty()) {
      ++seeds_with_coverage;
      for (size_t i = 0; i < coverage.size(); ++i) {
        if (coverage[i] > 0) ++seeds_reaching[i];
        hits[i] += coverage[i];
      }
    }
    events += EventsOf(out.output);
    ++done;
    if (Severity(out.code) > Severity(worst)) worst = out.code;
    if (out.code != kExitOk) failures[seed] = std::move(out);
  }
};

// Waits until a child has output or has finished, or a deadline passed;
// appends the output, kills the children past their deadline (their pipe
// then reaches EOF) and reaps (removing from `running`) those whose pipe is
// at EOF.
void PollChildren(std::vector<Child>* running, Tally* tally) {
  std::vector<pollfd> fds;
  absl::Time first_deadline = absl::InfiniteFuture();
  for (const Child& c : *running) {
    fds.push_back({c.fd, POLLIN, 0});
    if (!c.timed_out) first_deadline = std::min(first_deadline, c.deadline);
  }
  int timeout_ms = -1;
  if (first_deadline != absl::InfiniteFuture()) {
    timeout_ms = static_cast<int>(std::clamp<int64_t>(
        absl::ToInt64Milliseconds(first_deadline - absl::Now()) + 1, 0, 1000));
  }
  if (poll(fds.data(), fds.size(), timeout_ms) < 0 && errno != EINTR) {
    CHECK(false) << "poll: errno " << errno;
  }
  const absl::Time now = absl::Now();
  for (Child& c : *running) {
    if (!c.timed_out && now >= c.deadline) {
      c.timed_out = true;
      kill(c.pid, SIGKILL);
    }
  }
  for (size_t i = fds.size(); i-- > 0;) {
    if ((fds[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
    Child& child = (*running)[i];
    char buf[4096];
    const ssize_t n = read(child.fd, buf, sizeof buf);
    if (n > 0) {
      child.output.append(buf, static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    tally->Add(child.seed, Reap(child));
    running->erase(running->begin() + static_cast<ptrdiff_t>(i));
  }
}

void PrintProgress(const Tally& tally, uint64_t total, absl::Duration elapsed) {
  const double secs = absl::ToDoubleSeconds(elapsed);
  std::fprintf(stderr, "\r[%llu/%llu] failures=%zu %.1f seeds/s   ",
               static_cast<unsigned long long>(tally.done),
               static_cast<unsigned long long>(total), tally.failures.size(),
               secs > 0 ? static_cast<double>(tally.done) / secs : 0.0);
}

// Runs every seed of `range`, at most `jobs` at a time; `start` is when
// the sweep started (for the progress line's rate).
void RunSeeds(const SeedRange& range, int jobs, const CommonOptions& common,
              absl::Duration seed_timeout, absl::Time start, Tally* tally) {
  const uint64_t total = range.last - range.first + 1;
  const bool tty = isatty(STDERR_FILENO) != 0;
  std::vector<Child> running;
  uint64_t next = range.first;
  absl::Time last_progress = start;
  while (next <= range.last || !running.empty()) {
    while (next <= range.last && static_cast<int>(running.size()) < jobs) {
      running.push_back(Spawn(next, common));
      if (seed_timeout != absl::InfiniteDuration()) {
        running.back().deadline = absl::Now() + seed_timeout;
      }
      if (next == range.last) break;  // Avoid overflow at UINT64_MAX.
      ++next;
    }
    if (next == range.last && !running.empty() &&
        running.back().seed == range.last) {
      next = range.last + 1;  // All spawned (range.last < UINT64_MAX).
    }
    PollChildren(&running, tally);
    const absl::Time now = absl::Now();
    if (tty && (now - last_progress > absl::Milliseconds(200) ||
                tally->done == total)) {
      last_progress = now;
      PrintProgress(*tally, total, now - start);
    }
  }
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
  int jobs = sweep.jobs;
  if (sweep.seed_timeout_ms < 0) {
    return InputError("sweep",
                      absl::StrCat("--seed_timeout_ms=", sweep.seed_timeout_ms,
                                   ": must be 0 (no limit) or "
                                   "positive"));
  }
  const absl::Duration seed_timeout =
      sweep.seed_timeout_ms == 0 ? absl::InfiniteDuration()
                                 : absl::Milliseconds(sweep.seed_timeout_ms);
  if (jobs < 0) {
    return InputError("sweep", absl::StrCat("--jobs=", jobs,
                                            ": must be 0 (one per core) or "
                                            "positive"));
  }
  if (jobs == 0) {
    jobs = std::max<int>(1, static_cast<int>(sysconf(_SC_NPROCESSORS_ONLN)));
  }
  // Validate the overrides once, before forking anything.
  if (absl::StatusOr<sim::SimOptions> o =
          OptionsFor(range->first, common.overrides);
      !o.ok()) {
    return InputError("sweep", o.status().message());
  }
  const absl::Time start = absl::Now();
  Tally tally;
  RunSeeds(*range, jobs, common, seed_timeout, start, &tally);
  const double secs =
      std::max(1e-9, absl::ToDoubleSeconds(absl::Now() - start));
  PrintSummary(*range, jobs, common, sweep, tally, secs);
  return tally.worst;
}

}  // namespace raftsim::tools
