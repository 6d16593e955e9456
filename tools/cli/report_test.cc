// The sweep report (report.h) from hand-built seeds: the summary, failures
// grouped by checker with their replay commands and trace links, every
// plot, the option table, the canary curves, and escaping.

#include "tools/cli/report.h"

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "sim/coverage.h"
#include "sim/exit_codes.h"
#include "sim/world/options.h"

namespace raftsim::tools {
namespace {

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos;
       at = text.find(what, at + 1)) {
    ++n;
  }
  return n;
}

ReportSeed Seed(uint64_t seed, int code, std::string canary = "none") {
  ReportSeed r;
  r.seed = seed;
  r.code = code;
  r.canary = std::move(canary);
  r.options = sim::SimOptions::Draw(seed);
  r.events = 1000 * seed;
  r.wall_ms = 10.0 * static_cast<double>(seed);
  r.replay = absl::StrCat("bazel run //tools:raftsim -- replay --seed=", seed);
  r.faults = {{"partition", seed}, {"crash", 0}};
  r.coverage.assign(sim::CoverageCatalogue().size(), 0);
  r.coverage[0] = seed;
  return r;
}

SweepReport ProductionReport() {
  SweepReport report;
  report.program = "raftsim";
  report.command = "raftsim sweep --seeds=1..4 --report=out";
  report.first_seed = 1;
  report.last_seed = 4;
  report.jobs = 2;
  report.wall_s = 1.5;
  report.seeds = {Seed(1, sim::kExitOk), Seed(2, sim::kExitSafety),
                  Seed(3, sim::kExitHang), Seed(4, sim::kExitSafety)};
  report.seeds[1].checker = "durability";
  report.seeds[1].output = "seed=2 result=safety\ndetail: a <b> & \"c\"\n";
  report.seeds[1].trace_json = "traces/seed-2.json";
  report.seeds[1].timeline = "traces/seed-2.timeline.txt";
  report.seeds[3].checker = "durability";
  report.seeds[3].output = "seed=4 result=safety\n";
  report.seeds[2].output = "seed=3 result=hang\n";
  report.worst = sim::kExitSafety;
  return report;
}

TEST(SweepReport, SummaryFailuresAndLinks) {
  const std::string html = RenderSweepReport(ProductionReport());
  EXPECT_TRUE(absl::StartsWith(html, "<!DOCTYPE html>"));
  EXPECT_TRUE(absl::StrContains(
      html, "4 runs, 3 failed, worst exit 1 (safety); 1.5 s with 2 jobs"))
      << html;
  // Grouped by checker, else by result; a group counts its seeds.
  EXPECT_TRUE(absl::StrContains(html, "<b>safety: durability</b> (2)"));
  EXPECT_TRUE(absl::StrContains(html, "<b>hang</b> (1)"));
  EXPECT_TRUE(absl::StrContains(html, "href=\"traces/seed-2.json\""));
  EXPECT_TRUE(absl::StrContains(html, "href=\"traces/seed-2.timeline.txt\""));
  // A failure without its own replay line gets the seed's.
  EXPECT_TRUE(absl::StrContains(
      html, "replay: bazel run //tools:raftsim -- replay --seed=4"));
  // What a seed printed is escaped.
  EXPECT_TRUE(absl::StrContains(html, "a &lt;b&gt; &amp; &quot;c&quot;"));
  EXPECT_FALSE(absl::StrContains(html, "a <b> &"));
}

TEST(SweepReport, EveryPlotAndEveryOption) {
  const std::string html = RenderSweepReport(ProductionReport());
  // Cluster size, clients, fault kinds, scheduled faults, messages, seeds
  // per fault, events, time, coverage; no canary curves in a production
  // sweep.
  EXPECT_EQ(Count(html, "<svg class=\"plot\""), 9u);
  EXPECT_FALSE(absl::StrContains(html, "Canary detection curves"));
  EXPECT_TRUE(absl::StrContains(html, "<title>partition: 10</title>"))
      << "faults sum over seeds (1+2+3+4)";
  EXPECT_TRUE(absl::StrContains(
      html,
      absl::StrCat("<title>", std::string(sim::CoverageCatalogue()[0].name),
                   ": 4</title>")));
  for (const sim::OptionField& f : sim::OptionTable()) {
    EXPECT_TRUE(
        absl::StrContains(html, absl::StrCat("<tr><td>", f.name, "</td>")))
        << f.name;
  }
  // Self-contained: nothing fetched from anywhere.
  EXPECT_FALSE(absl::StrContains(html, "src=\"http"));
  EXPECT_FALSE(absl::StrContains(html, "<link"));
}

TEST(SweepReport, CanaryCurves) {
  SweepReport report;
  report.program = "raftsim_canary";
  report.first_seed = 1;
  report.last_seed = 3;
  report.canaries = {"vote_twice", "skip_prev_check"};
  report.seeds = {Seed(1, sim::kExitOk, "vote_twice"),
                  Seed(2, sim::kExitSafety, "vote_twice"),
                  Seed(3, sim::kExitLiveness, "vote_twice"),
                  Seed(1, sim::kExitOk, "skip_prev_check"),
                  Seed(2, sim::kExitCrash, "skip_prev_check"),
                  Seed(3, sim::kExitOk, "skip_prev_check")};
  const std::string html = RenderSweepReport(report);
  EXPECT_TRUE(absl::StrContains(html, "1 of 2 canaries caught"));
  EXPECT_TRUE(absl::StrContains(html, "Canary detection curves"));
  EXPECT_EQ(Count(html, "<svg class=\"plot\""), 10u);
  // A liveness verdict catches (the stability checker); a crash does not.
  EXPECT_TRUE(absl::StrContains(html, "first at seed 2; 2/3"));
  EXPECT_TRUE(absl::StrContains(html, "never caught"));
  EXPECT_TRUE(absl::StrContains(html, "vote_twice: caught in 2 of 3 seeds"));
  EXPECT_TRUE(absl::StrContains(html, "seed 2, canary skip_prev_check"));
}

TEST(SweepReport, CaughtAndResultNames) {
  EXPECT_TRUE(CaughtCanary(sim::kExitSafety));
  EXPECT_TRUE(CaughtCanary(sim::kExitLiveness));
  EXPECT_FALSE(CaughtCanary(sim::kExitOk));
  EXPECT_FALSE(CaughtCanary(sim::kExitCrash));
  EXPECT_FALSE(CaughtCanary(sim::kExitHang));
  EXPECT_EQ(ResultName(sim::kExitHang), "hang");
  EXPECT_EQ(ResultName(sim::kExitOk), "ok");
}

TEST(SweepReport, CheckerOfOutput) {
  EXPECT_EQ(CheckerOfOutput("seed=2 result=safety events=9\ndetail: x\n"
                            "checker: durability event=9 sim_us=3\n"),
            "durability");
  EXPECT_EQ(CheckerOfOutput("checker: log_matching event=1 sim_us=1"),
            "log_matching");
  // No checker line (liveness, hang, crash): no checker, whatever the
  // rest of the output says.
  EXPECT_EQ(CheckerOfOutput("seed=3 result=liveness events=5\n"
                            "detail: not live\n"),
            "");
  EXPECT_EQ(CheckerOfOutput(""), "");
}

TEST(SweepReport, WriteNamesTheFileItCannotWrite) {
  const absl::Status s =
      WriteSweepReport("/nonexistent/dir", ProductionReport());
  EXPECT_FALSE(s.ok());
  EXPECT_TRUE(absl::StrContains(s.message(), "/nonexistent/dir/index.html"))
      << s;
}

}  // namespace
}  // namespace raftsim::tools
