// tools/cli/report.cc — see report.h. Plots are drawn here as SVG, so the
// report is one file that renders without a network or a plotting library.

#include "tools/cli/report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "sim/coverage.h"
#include "sim/exit_codes.h"

namespace raftsim::tools {
namespace {

std::string Escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// A number for a label: integers as such, others with two decimals.
std::string Num(double v) {
  if (std::fabs(v - std::round(v)) < 1e-9 && std::fabs(v) < 1e15) {
    return absl::StrCat(static_cast<int64_t>(std::round(v)));
  }
  return absl::StrFormat("%.2f", v);
}

// The frame of every plot: a titled figure holding an SVG of class "plot"
// (the page's script checks each one laid out).
std::string Figure(std::string_view title, std::string_view note, int width,
                   int height, const std::string& body) {
  return absl::StrCat(
      "<figure><figcaption><b>", Escape(title), "</b>",
      note.empty() ? "" : absl::StrCat(" — ", Escape(note)),
      "</figcaption><svg class=\"plot\" xmlns=\"http://www.w3.org/2000/svg\" "
      "width=\"",
      width, "\" height=\"", height, "\" viewBox=\"0 0 ", width, " ", height,
      "\">", body, "</svg></figure>\n");
}

// Horizontal bars, one row per (label, value), scaled to the largest.
std::string HBars(std::string_view title, std::string_view note,
                  const std::vector<std::pair<std::string, double>>& rows) {
  constexpr int kLabel = 230, kBar = 360, kRow = 18, kWidth = 680;
  double top = 0;
  for (const auto& r : rows) top = std::max(top, r.second);
  std::string body;
  int y = 4;
  for (const auto& [label, value] : rows) {
    const double w = top > 0 ? kBar * value / top : 0;
    absl::StrAppend(&body, "<text x=\"", kLabel - 6, "\" y=\"", y + 13,
                    "\" text-anchor=\"end\">", Escape(label),
                    "</text><rect x=\"", kLabel, "\" y=\"", y + 2,
                    "\" width=\"", absl::StrFormat("%.1f", w), "\" height=\"",
                    kRow - 4, "\" class=\"bar\"><title>", Escape(label), ": ",
                    Num(value), "</title></rect><text x=\"",
                    absl::StrFormat("%.1f", kLabel + w + 4), "\" y=\"", y + 13,
                    "\">", Num(value), "</text>");
    y += kRow;
  }
  if (rows.empty()) {
    absl::StrAppend(&body, "<text x=\"10\" y=\"18\">nothing to show</text>");
    y = 26;
  }
  return Figure(title, note, kWidth, y + 4, body);
}

// A histogram of `values`: one bar per value when there are at most 16
// distinct integers, else 20 equal buckets from the smallest to the
// largest.
std::string Histogram(std::string_view title, std::string_view unit,
                      const std::vector<double>& values) {
  constexpr int kWidth = 680, kHeight = 200, kLeft = 50, kBottom = 170,
                kTop = 20, kPlotW = 600;
  std::vector<std::pair<std::string, uint64_t>> buckets;
  if (!values.empty()) {
    std::map<double, uint64_t> distinct;
    bool integral = true;
    for (double v : values) {
      ++distinct[v];
      if (std::fabs(v - std::round(v)) > 1e-9) integral = false;
    }
    if (integral && distinct.size() <= 16) {
      for (const auto& [v, n] : distinct) buckets.push_back({Num(v), n});
    } else {
      const double lo = distinct.begin()->first;
      const double hi = distinct.rbegin()->first;
      constexpr int kBuckets = 20;
      std::vector<uint64_t> counts(kBuckets, 0);
      // Spread over more than two orders of magnitude (events and time
      // per seed usually are): geometric buckets, so the long tail shows.
      if (lo > 0 && hi / lo > 100) {
        const double ratio = std::pow(hi / lo, 1.0 / kBuckets);
        for (double v : values) {
          int b = static_cast<int>(std::log(v / lo) / std::log(ratio));
          counts[std::clamp(b, 0, kBuckets - 1)]++;
        }
        for (int b = 0; b < kBuckets; ++b) {
          buckets.push_back(
              {absl::StrFormat("%.0f", lo * std::pow(ratio, b)), counts[b]});
        }
      } else {
        const double step = hi > lo ? (hi - lo) / kBuckets : 1;
        for (double v : values) {
          int b = static_cast<int>((v - lo) / step);
          counts[std::clamp(b, 0, kBuckets - 1)]++;
        }
        for (int b = 0; b < kBuckets; ++b) {
          buckets.push_back({Num(lo + b * step), counts[b]});
        }
      }
    }
  }
  uint64_t top = 0;
  for (const auto& b : buckets) top = std::max(top, b.second);
  std::string body = absl::StrCat(
      "<line x1=\"", kLeft, "\" y1=\"", kBottom, "\" x2=\"", kLeft + kPlotW,
      "\" y2=\"", kBottom, "\" class=\"axis\"/><text x=\"", kLeft - 4,
      "\" y=\"", kTop + 4, "\" text-anchor=\"end\">", top, "</text><text x=\"",
      kLeft - 4, "\" y=\"", kBottom, "\" text-anchor=\"end\">0</text>");
  const double w =
      buckets.empty() ? 0 : static_cast<double>(kPlotW) / buckets.size();
  for (size_t i = 0; i < buckets.size(); ++i) {
    const double h = top > 0 ? (kBottom - kTop) *
                                   static_cast<double>(buckets[i].second) /
                                   static_cast<double>(top)
                             : 0;
    const double x = kLeft + i * w;
    absl::StrAppend(
        &body, "<rect x=\"", absl::StrFormat("%.1f", x + 1), "\" y=\"",
        absl::StrFormat("%.1f", kBottom - h), "\" width=\"",
        absl::StrFormat("%.1f", std::max(1.0, w - 2)), "\" height=\"",
        absl::StrFormat("%.1f", h), "\" class=\"bar\"><title>",
        Escape(buckets[i].first), " ", Escape(unit), ": ", buckets[i].second,
        " seeds</title></rect>");
    // Label every bar when few, else every fourth.
    if (buckets.size() <= 16 || i % 4 == 0) {
      absl::StrAppend(&body, "<text x=\"", absl::StrFormat("%.1f", x + w / 2),
                      "\" y=\"", kBottom + 14, "\" text-anchor=\"middle\">",
                      Escape(buckets[i].first), "</text>");
    }
  }
  absl::StrAppend(&body, "<text x=\"", kLeft + kPlotW, "\" y=\"", kHeight - 2,
                  "\" text-anchor=\"end\">", Escape(unit), "</text>");
  return Figure(title, absl::StrCat(values.size(), " seeds"), kWidth, kHeight,
                body);
}

struct Curve {
  std::string name;
  std::vector<double> share;  // After each seed: caught / run so far.
  uint64_t caught = 0;
  uint64_t first = 0;  // First catching seed; 0 if none.
};

// Small multiples: one detection curve per canary.
std::string Curves(const std::vector<Curve>& curves) {
  constexpr int kCellW = 220, kCellH = 120, kCols = 3, kPad = 24;
  const int rows = static_cast<int>((curves.size() + kCols - 1) / kCols);
  std::string body;
  for (size_t i = 0; i < curves.size(); ++i) {
    const Curve& c = curves[i];
    const int x0 = static_cast<int>(i % kCols) * kCellW + 8;
    const int y0 = static_cast<int>(i / kCols) * kCellH + 4;
    const int pw = kCellW - kPad - 8, ph = kCellH - 44;
    const int left = x0 + kPad, bottom = y0 + 20 + ph;
    absl::StrAppend(
        &body, "<text x=\"", x0, "\" y=\"", y0 + 12, "\" class=\"small\">",
        Escape(c.name), "</text><rect x=\"", left, "\" y=\"", y0 + 20,
        "\" width=\"", pw, "\" height=\"", ph, "\" class=\"frame\"/><text x=\"",
        left - 3, "\" y=\"", y0 + 28,
        "\" text-anchor=\"end\" class=\"small\">1</text><text x=\"", left - 3,
        "\" y=\"", bottom, "\" text-anchor=\"end\" class=\"small\">0</text>");
    std::string points;
    const size_t n = c.share.size();
    for (size_t k = 0; k < n; ++k) {
      const double x =
          left + (n > 1 ? pw * static_cast<double>(k) / (n - 1) : pw / 2.0);
      const double y = bottom - ph * c.share[k];
      absl::StrAppend(&points, k == 0 ? "" : " ", absl::StrFormat("%.1f", x),
                      ",", absl::StrFormat("%.1f", y));
    }
    if (n == 1) {
      absl::StrAppend(&points, " ",
                      absl::StrFormat("%.1f", left + pw / 2.0 + 1), ",",
                      absl::StrFormat("%.1f", bottom - ph * c.share[0]));
    }
    absl::StrAppend(
        &body, "<polyline points=\"", points, "\" class=\"curve\"><title>",
        Escape(c.name), ": caught in ", c.caught, " of ", n,
        " seeds</title></polyline><text x=\"", left, "\" y=\"", bottom + 14,
        "\" class=\"small\">",
        c.first == 0
            ? std::string("never caught")
            : absl::StrCat("first at seed ", c.first, "; ", c.caught, "/", n),
        "</text>");
  }
  return Figure("Canary detection curves",
                "share of the seeds run so far (in seed order) that caught "
                "the canary",
                kCols * kCellW + 16, std::max(1, rows) * kCellH + 8, body);
}

double Median(std::vector<int64_t> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return static_cast<double>(v[v.size() / 2]);
}

int64_t OptionValue(const sim::SimOptions& o, const char* name) {
  const sim::OptionField* f = sim::FindOption(name);
  return f == nullptr ? 0 : o.*(f->member);
}

// Fault kinds a seed can enable, by the option that enables them.
struct FaultKind {
  const char* label;
  std::vector<const char*> options;  // Enabled when any is non-zero.
};

const std::vector<FaultKind>& FaultKinds() {
  static const auto* const kKinds = new std::vector<FaultKind>{
      {"partition",
       {"partition_isolate", "partition_split", "partition_asymmetric",
        "partition_bridge", "partition_links"}},
      {"crash", {"crashes"}},
      {"pause", {"pauses"}},
      {"clog", {"clogs"}},
      {"bounce", {"bounces"}},
      {"message loss", {"loss_ppm"}},
      {"message duplication", {"dup_ppm"}},
      {"jitter (reordering)", {"jitter_us"}},
      {"long-tail delay", {"delay_ppm"}},
      {"torn writes", {"torn_writes"}},
      {"late storage completions", {"disk_reorder_us"}},
      {"fsync latency spikes", {"fsync_spike_ppm"}},
      {"clock drift", {"drift_ppm_max"}},
      {"asynchronous apply", {"apply_us_max"}},
      {"event-loop delay", {"post_us_max"}},
  };
  return *kKinds;
}

}  // namespace

bool CaughtCanary(int code) {
  return code == sim::kExitSafety || code == sim::kExitLiveness;
}

std::string CheckerOfOutput(const std::string& output) {
  constexpr std::string_view kPrefix = "checker: ";
  size_t at = output.rfind(kPrefix, 0) == 0 ? 0 : output.find("\nchecker: ");
  if (at == std::string::npos) return "";
  if (at != 0) ++at;  // Past the newline.
  const size_t name = at + kPrefix.size();
  const size_t end = output.find_first_of(" \n", name);
  return output.substr(
      name, end == std::string::npos ? std::string::npos : end - name);
}

std::string ResultName(int code) {
  switch (code) {
    case sim::kExitOk:
      return "ok";
    case sim::kExitSafety:
      return "safety";
    case sim::kExitLiveness:
      return "liveness";
    case sim::kExitCrash:
      return "crash";
    case sim::kExitHang:
      return "hang";
    default:
      return absl::StrCat("exit ", code);
  }
}

std::string RenderSweepReport(const SweepReport& report) {
  const std::vector<ReportSeed>& seeds = report.seeds;
  size_t failed = 0;
  for (const ReportSeed& s : seeds) failed += s.code != sim::kExitOk;
  const bool canary_sweep = !report.canaries.empty();
  size_t canaries_caught = 0;
  for (const std::string& name : report.canaries) {
    for (const ReportSeed& s : seeds) {
      if (s.canary == name && CaughtCanary(s.code)) {
        ++canaries_caught;
        break;
      }
    }
  }

  std::string html = absl::StrCat(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<title>",
      Escape(report.program), " sweep ", report.first_seed, "..",
      report.last_seed,
      "</title>\n<style>\n"
      "body{font:14px/1.4 sans-serif;margin:24px;max-width:1100px;color:#222}"
      "h1{font-size:22px}h2{font-size:18px;margin-top:28px;border-bottom:1px "
      "solid #ccc}"
      "figure{margin:12px 0}details.group{margin:6px "
      "0}figcaption{margin-bottom:4px}"
      "svg text{font:11px sans-serif;fill:#333}svg text.small{font-size:10px}"
      ".bar{fill:#4a7fb5}.axis{stroke:#888}.frame{fill:none;stroke:#bbb}"
      ".curve{fill:none;stroke:#c0392b;stroke-width:1.5}"
      "table{border-collapse:collapse}td,th{padding:2px 8px;border-bottom:1px "
      "solid #eee;text-align:right}td:first-child,th:first-child{text-align:"
      "left}"
      "pre{background:#f6f6f6;padding:6px;overflow-x:auto;white-space:pre-"
      "wrap}"
      ".ok{color:#1e7b34}.bad{color:#b03a2e}"
      "</style></head>\n<body data-plots=\"0\" data-rendered=\"0\">\n<h1>",
      Escape(report.program), " sweep, seeds ", report.first_seed, "..",
      report.last_seed, "</h1>\n");

  // Summary.
  // In a canary sweep the verdict is whether every canary was caught.
  const bool good =
      canary_sweep ? canaries_caught == report.canaries.size() : failed == 0;
  absl::StrAppend(
      &html, "<p id=\"summary\" class=\"", good ? "ok" : "bad", "\">",
      canary_sweep ? absl::StrCat(canaries_caught, " of ",
                                  report.canaries.size(), " canaries caught; ")
                   : std::string(),
      seeds.size(), " runs, ", failed, " failed, worst exit ", report.worst,
      " (", Escape(ResultName(report.worst)), "); ",
      absl::StrFormat("%.1f", report.wall_s), " s with ", report.jobs, " jobs",
      canary_sweep ? absl::StrCat("; canaries: ",
                                  Escape(absl::StrJoin(report.canaries, ", ")))
                   : "",
      ".</p>\n<p>Command: <code>", Escape(report.command), "</code></p>\n");

  // Canary curves (first: in a canary sweep they are the point).
  if (canary_sweep) {
    std::vector<Curve> curves;
    for (const std::string& name : report.canaries) {
      Curve c;
      c.name = name;
      uint64_t run = 0;
      for (const ReportSeed& s : seeds) {
        if (s.canary != name) continue;
        ++run;
        if (CaughtCanary(s.code)) {
          ++c.caught;
          if (c.first == 0) c.first = s.seed;
        }
        c.share.push_back(static_cast<double>(c.caught) /
                          static_cast<double>(run));
      }
      curves.push_back(std::move(c));
    }
    absl::StrAppend(&html, "<h2>Canaries</h2>\n", Curves(curves));
  }

  // Failures, grouped by checker (else by result).
  absl::StrAppend(&html, "<h2>Failing seeds</h2>\n");
  if (failed == 0) {
    absl::StrAppend(&html, "<p class=\"ok\">None.</p>\n");
  } else {
    std::map<std::string, std::vector<const ReportSeed*>> groups;
    for (const ReportSeed& s : seeds) {
      if (s.code == sim::kExitOk) continue;
      groups[s.checker.empty() ? ResultName(s.code)
                               : absl::StrCat("safety: ", s.checker)]
          .push_back(&s);
    }
    // Every group is a <details>, open when there are few failures in all.
    const bool open = failed <= 20;
    for (const auto& [group, members] : groups) {
      absl::StrAppend(&html, "<details class=\"group\"", open ? " open" : "",
                      "><summary><b>", Escape(group), "</b> (", members.size(),
                      ")</summary>\n<ul class=\"failures\">\n");
      for (const ReportSeed* s : members) {
        absl::StrAppend(&html, "<li>seed ", s->seed,
                        s->canary.empty() || s->canary == "none"
                            ? std::string()
                            : absl::StrCat(", canary ", Escape(s->canary)));
        if (!s->trace_json.empty()) {
          absl::StrAppend(&html, " — <a href=\"", Escape(s->trace_json),
                          "\">trace (Chrome JSON)</a>");
        }
        if (!s->timeline.empty()) {
          absl::StrAppend(&html, " — <a href=\"", Escape(s->timeline),
                          "\">timeline</a>");
        }
        absl::StrAppend(&html, "<pre>", Escape(s->output),
                        s->output.find("replay: ") == std::string::npos
                            ? absl::StrCat("replay: ", Escape(s->replay), "\n")
                            : "",
                        "</pre></li>\n");
      }
      absl::StrAppend(&html, "</ul></details>\n");
    }
    absl::StrAppend(&html,
                    "<p>Open a JSON trace in Perfetto or chrome://tracing; "
                    "docs/simulation.md explains the timeline.</p>\n");
  }

  // What the swarm drew.
  std::vector<double> nodes, clients;
  std::vector<std::pair<std::string, double>> enabled;
  for (const FaultKind& k : FaultKinds()) enabled.push_back({k.label, 0});
  for (const ReportSeed& s : seeds) {
    nodes.push_back(static_cast<double>(s.options.nodes));
    clients.push_back(static_cast<double>(s.options.clients));
    for (size_t i = 0; i < FaultKinds().size(); ++i) {
      for (const char* option : FaultKinds()[i].options) {
        if (OptionValue(s.options, option) != 0) {
          enabled[i].second += 1;
          break;
        }
      }
    }
  }
  absl::StrAppend(
      &html, "<h2>What the swarm drew</h2>\n",
      Histogram("Cluster size", "voters", nodes),
      Histogram("Clients", "clients", clients),
      HBars("Fault kinds enabled", "seeds that enabled each kind", enabled));

  // What fired.
  std::vector<std::string> fault_names;
  std::map<std::string, std::pair<uint64_t, uint64_t>> fired;  // total, seeds
  for (const ReportSeed& s : seeds) {
    for (const auto& [name, count] : s.faults) {
      if (!fired.contains(name)) fault_names.push_back(name);
      auto& f = fired[name];
      f.first += count;
      f.second += count > 0;
    }
  }
  // Scheduled faults and the network's message counts differ by orders of
  // magnitude: one plot each.
  std::vector<std::pair<std::string, double>> faults, messages, with;
  for (const std::string& name : fault_names) {
    (name.rfind("message_", 0) == 0 ? messages : faults)
        .push_back({name, static_cast<double>(fired[name].first)});
    with.push_back({name, static_cast<double>(fired[name].second)});
  }
  absl::StrAppend(
      &html, "<h2>What fired</h2>\n",
      HBars("Scheduled faults that took effect", "in all seeds", faults),
      HBars("Messages cut, lost, duplicated and held", "in all seeds",
            messages),
      HBars("Seeds where each fault took effect", "", with));

  // Cost per seed.
  std::vector<double> events, wall;
  for (const ReportSeed& s : seeds) {
    events.push_back(static_cast<double>(s.events));
    wall.push_back(s.wall_ms);
  }
  absl::StrAppend(&html, "<h2>Events and time per seed</h2>\n",
                  Histogram("Events per seed", "events", events),
                  Histogram("Wall-clock time per seed", "ms", wall));

  // Coverage.
  const std::vector<sim::CoverageEntry>& catalogue = sim::CoverageCatalogue();
  std::vector<std::pair<std::string, double>> reach;
  size_t with_coverage = 0;
  std::vector<double> reached(catalogue.size(), 0);
  for (const ReportSeed& s : seeds) {
    if (s.coverage.size() != catalogue.size()) continue;
    ++with_coverage;
    for (size_t i = 0; i < catalogue.size(); ++i) {
      reached[i] += s.coverage[i] > 0;
    }
  }
  for (size_t i = 0; i < catalogue.size(); ++i) {
    reach.push_back({std::string(catalogue[i].name), reached[i]});
  }
  absl::StrAppend(
      &html, "<h2>Coverage</h2>\n",
      HBars("Seeds reaching each situation",
            absl::StrCat("of ", with_coverage, " seeds; sim/coverage.h"),
            reach));

  // Every option.
  absl::StrAppend(&html,
                  "<h2>Every option</h2>\n<table id=\"options\"><tr><th>option"
                  "</th><th>seeds non-zero</th><th>min</th><th>median</th>"
                  "<th>max</th></tr>\n");
  for (const sim::OptionField& f : sim::OptionTable()) {
    std::vector<int64_t> values;
    size_t nonzero = 0;
    for (const ReportSeed& s : seeds) {
      values.push_back(s.options.*(f.member));
      nonzero += values.back() != 0;
    }
    const int64_t lo =
        values.empty() ? 0 : *std::min_element(values.begin(), values.end());
    const int64_t hi =
        values.empty() ? 0 : *std::max_element(values.begin(), values.end());
    absl::StrAppend(&html, "<tr><td>", Escape(f.name), "</td><td>", nonzero,
                    "</td><td>", lo, "</td><td>", Num(Median(values)),
                    "</td><td>", hi, "</td></tr>\n");
  }
  absl::StrAppend(&html, "</table>\n");

  // The browser check: every plot must have laid out with a non-empty box.
  absl::StrAppend(&html,
                  "<script>\n"
                  "window.addEventListener('load', function () {\n"
                  "  var plots = document.querySelectorAll('svg.plot');\n"
                  "  var rendered = 0;\n"
                  "  plots.forEach(function (svg) {\n"
                  "    var box = svg.getBBox();\n"
                  "    if (box.width > 0 && box.height > 0) rendered++;\n"
                  "  });\n"
                  "  document.body.dataset.plots = plots.length;\n"
                  "  document.body.dataset.rendered = rendered;\n"
                  "});\n"
                  "</script>\n</body></html>\n");
  return html;
}

absl::Status WriteSweepReport(const std::string& dir,
                              const SweepReport& report) {
  const std::string path = absl::StrCat(dir, "/index.html");
  std::FILE* f = std::fopen(path.c_str(), "w");
  if (f == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("--report=", dir, ": cannot write ", path));
  }
  const std::string html = RenderSweepReport(report);
  const bool ok = std::fwrite(html.data(), 1, html.size(), f) == html.size();
  if (std::fclose(f) != 0 || !ok) {
    return absl::InvalidArgumentError(
        absl::StrCat("--report=", dir, ": writing ", path, " failed"));
  }
  return absl::OkStatus();
}

}  // namespace raftsim::tools
