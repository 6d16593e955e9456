// tools/cli/children.cc — see children.h. Each child runs tools::RunSeed
// (tools/cli/run_cmd.h) quietly into its pipe.

#include "tools/cli/children.h"

#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "base/check.h"
#include "sim/coverage.h"
#include "sim/simulator.h"
#include "tools/cli/run_cmd.h"

namespace raftsim::tools {
namespace {

struct Child {
  uint64_t number = 0;
  Job job;
  pid_t pid = 0;
  int fd = -1;
  std::string output;
  absl::Time started;
  absl::Time deadline = absl::InfiniteFuture();  // Killed as a hang after.
  bool timed_out = false;
};

Child Spawn(absl::string_view command, uint64_t number, Job job) {
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
    settings.trace = job.trace;
    const int code = RunSeed(command, job.seed, job.common, settings);
    std::fflush(stdout);
    _exit(code);
  }
  close(fds[1]);
  Child child;
  child.number = number;
  child.job = std::move(job);
  child.pid = pid;
  child.fd = fds[0];
  child.started = absl::Now();
  return child;
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

// Removes the first line of `output` that is `word` or starts with `word`
// and a space, and returns it; nullopt when there is none.
std::optional<std::string> TakeLine(std::string* output,
                                    absl::string_view word) {
  size_t at = 0;
  while (at < output->size()) {
    size_t end = output->find('\n', at);
    if (end == std::string::npos) end = output->size();
    const absl::string_view line(output->data() + at, end - at);
    if (line == word ||
        (absl::StartsWith(line, word) && line.size() > word.size() &&
         line[word.size()] == ' ')) {
      std::string taken(line);
      output->erase(at, std::min(end + 1, output->size()) - at);
      return taken;
    }
    at = end + 1;
  }
  return std::nullopt;
}

// The child's coverage line (sim/coverage.h), removed from `output`; empty
// when there is none (the child crashed or was killed before it printed
// one) or it does not parse.
std::vector<uint64_t> TakeCoverage(std::string* output) {
  const std::optional<std::string> line = TakeLine(output, "coverage");
  if (!line.has_value()) return {};
  absl::StatusOr<std::vector<uint64_t>> counts = sim::ParseCoverageLine(*line);
  return counts.ok() ? *std::move(counts) : std::vector<uint64_t>{};
}

// The child's faults line (run_cmd.h), removed from `output`; empty when
// there is none or it does not parse.
std::vector<std::pair<std::string, uint64_t>> TakeFaults(std::string* output) {
  const std::optional<std::string> line = TakeLine(output, "faults");
  if (!line.has_value()) return {};
  absl::StatusOr<std::vector<std::pair<std::string, uint64_t>>> faults =
      ParseFaultsLine(*line);
  return faults.ok() ? *std::move(faults)
                     : std::vector<std::pair<std::string, uint64_t>>{};
}

// Waits for `child` (its pipe is at EOF) and classifies its exit.
JobOutcome Reap(Child& child) {
  close(child.fd);
  int status = 0;
  while (waitpid(child.pid, &status, 0) < 0 && errno == EINTR) {
  }
  JobOutcome out;
  out.code = sim::kExitCrash;
  out.output = std::move(child.output);
  const uint64_t seed = child.job.seed;
  if (child.timed_out) {
    out.code = sim::kExitHang;
    absl::StrAppend(&out.output, sim::ResultLine(seed, "hang", 0, 0, 0),
                    "\ndetail: stopped after its wall-clock limit "
                    "(--seed_timeout_ms) with no verdict\n");
  } else if (WIFEXITED(status)) {
    out.code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    absl::StrAppend(&out.output, sim::ResultLine(seed, "crash", 0, 0, 0),
                    " killed by signal ", WTERMSIG(status), "\n");
  }
  out.wall = absl::Now() - child.started;
  out.coverage = TakeCoverage(&out.output);
  out.faults = TakeFaults(&out.output);
  out.events = EventsOf(out.output);
  return out;
}

// Worse codes first: crash > safety > hang > liveness > usage > ok.
int Severity(int code) {
  switch (code) {
    case sim::kExitOk:
      return 0;
    case sim::kExitLiveness:
      return 2;
    case sim::kExitHang:
      return 3;
    case sim::kExitSafety:
      return 4;
    case sim::kExitCrash:
      return 5;
    default:
      return 1;
  }
}

}  // namespace

int WorseExit(int a, int b) { return Severity(b) > Severity(a) ? b : a; }

std::optional<int> ParallelismOf(int jobs) {
  if (jobs < 0) return std::nullopt;
  if (jobs == 0) {
    return std::max<int>(1, static_cast<int>(sysconf(_SC_NPROCESSORS_ONLN)));
  }
  return jobs;
}

void RunJobs(absl::string_view command,
             const std::function<std::optional<Job>()>& next, int parallel,
             absl::Duration timeout,
             const std::function<void(uint64_t number, const Job& job,
                                      JobOutcome outcome)>& done,
             const std::function<void()>& tick) {
  std::vector<Child> running;
  uint64_t number = 0;
  bool more = true;
  while (more || !running.empty()) {
    while (more && static_cast<int>(running.size()) < parallel) {
      std::optional<Job> job = next();
      if (!job.has_value()) {
        more = false;
        break;
      }
      running.push_back(Spawn(command, number++, *std::move(job)));
      if (timeout != absl::InfiniteDuration()) {
        running.back().deadline = absl::Now() + timeout;
      }
    }
    if (running.empty()) break;
    // Wait until a child has output or has finished, or a deadline passed.
    std::vector<pollfd> fds;
    absl::Time first_deadline = absl::InfiniteFuture();
    for (const Child& c : running) {
      fds.push_back({c.fd, POLLIN, 0});
      if (!c.timed_out) first_deadline = std::min(first_deadline, c.deadline);
    }
    int timeout_ms = -1;
    if (first_deadline != absl::InfiniteFuture()) {
      timeout_ms = static_cast<int>(std::clamp<int64_t>(
          absl::ToInt64Milliseconds(first_deadline - absl::Now()) + 1, 0,
          1000));
    }
    if (poll(fds.data(), fds.size(), timeout_ms) < 0 && errno != EINTR) {
      CHECK(false) << "poll: errno " << errno;
    }
    const absl::Time now = absl::Now();
    for (Child& c : running) {
      if (!c.timed_out && now >= c.deadline) {
        c.timed_out = true;  // Its pipe reaches EOF once it is dead.
        kill(c.pid, SIGKILL);
      }
    }
    for (size_t i = fds.size(); i-- > 0;) {
      if ((fds[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
      Child& child = running[i];
      char buf[4096];
      const ssize_t n = read(child.fd, buf, sizeof buf);
      if (n > 0) {
        child.output.append(buf, static_cast<size_t>(n));
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      const uint64_t finished = child.number;
      const Job job = child.job;
      JobOutcome outcome = Reap(child);
      running.erase(running.begin() + static_cast<ptrdiff_t>(i));
      done(finished, job, std::move(outcome));
    }
    tick();
  }
}

}  // namespace raftsim::tools
