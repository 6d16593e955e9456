// tools/cli/trace_outputs.cc — see trace_outputs.h. Single-threaded.

#include "tools/cli/trace_outputs.h"

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace raftsim::tools {
namespace {

// Writes `text` to `path`; false if the file could not be written.
bool WriteFile(const std::string& path, const std::string& text) {
  std::FILE* f = std::fopen(path.c_str(), "w");
  if (f == nullptr) return false;
  const bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  return std::fclose(f) == 0 && ok;
}

// Creates (truncates) `path` now, so that a bad path is a usage error
// before the run rather than a lost trace after it.
absl::Status Touch(absl::string_view flag, const std::string& path) {
  if (WriteFile(path, "")) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("--", flag, "=", path, ": cannot open for writing"));
}

}  // namespace

bool IsJsonTracePath(std::string_view path) {
  return absl::EndsWith(absl::string_view(path.data(), path.size()), ".json");
}

absl::StatusOr<std::unique_ptr<TraceOutputs>> TraceOutputs::Open(
    const TraceRequest& request, uint64_t seed, const sim::SimOptions& options,
    std::string replay) {
  std::unique_ptr<TraceOutputs> out(new TraceOutputs());
  out->summary_.seed = seed;
  out->summary_.replay = std::move(replay);
  for (const std::string& line : options.Describe()) {
    // "option name=value"
    const size_t space = line.find(' '), eq = line.find('=');
    int64_t value = 0;
    if (space == std::string::npos || eq == std::string::npos ||
        !absl::SimpleAtoi(absl::string_view(line).substr(eq + 1), &value)) {
      continue;
    }
    out->summary_.options.emplace_back(line.substr(space + 1, eq - space - 1),
                                       value);
  }
  const std::string& trace = request.trace_out;
  if (!trace.empty() && IsJsonTracePath(trace)) {
    if (absl::Status s = Touch("trace_out", trace); !s.ok()) return s;
    out->json_path_ = trace;
    out->json_ =
        std::make_unique<sim::ChromeTraceSink>(static_cast<int>(options.nodes));
  } else if (!trace.empty()) {
    out->text_ = std::fopen(trace.c_str(), "w");
    if (out->text_ == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("--trace_out=", trace, ": cannot open for writing"));
    }
    out->text_owned_ = true;
  } else if (request.text_stdout) {
    out->text_ = stdout;
  }
  if (!request.timeline_out.empty()) {
    if (absl::Status s = Touch("timeline_out", request.timeline_out); !s.ok()) {
      return s;
    }
    out->timeline_path_ = request.timeline_out;
  }
  out->timeline_stdout_ = request.timeline_stdout;
  if (!out->timeline_path_.empty() || out->timeline_stdout_) {
    out->timeline_ = std::make_unique<sim::TimelineSink>();
  }
  out->active_ = out->text_ != nullptr || out->json_ != nullptr ||
                 out->timeline_ != nullptr;
  return out;
}

TraceOutputs::~TraceOutputs() {
  if (text_owned_ && text_ != nullptr) std::fclose(text_);
}

void TraceOutputs::OnRecord(const sim::TraceRecord& r, const raft::Message* m,
                            std::string_view text) {
  if (text_ != nullptr) {
    const std::string line = sim::FormatRecord(r, m, text);
    std::fwrite(line.data(), 1, line.size(), text_);
    std::fputc('\n', text_);
  }
  if (json_ != nullptr) json_->OnRecord(r, m, text);
  if (timeline_ != nullptr) timeline_->OnRecord(r, m, text);
}

void TraceOutputs::Finish(std::string_view result, std::string_view detail,
                          std::string_view checker, uint64_t events,
                          int64_t sim_us, uint64_t trace_hash) {
  if (finished_) return;
  finished_ = true;
  summary_.result = std::string(result);
  summary_.detail = std::string(detail);
  summary_.checker = std::string(checker);
  summary_.events = events;
  summary_.sim_us = sim_us;
  summary_.trace_hash = trace_hash;
  if (text_ != nullptr) std::fflush(text_);
  if (json_ != nullptr && !WriteFile(json_path_, json_->Finish(summary_))) {
    std::fprintf(stderr, "raftsim: --trace_out=%s: write failed\n",
                 json_path_.c_str());
  }
  if (timeline_ != nullptr) {
    const std::string text = timeline_->Finish(summary_);
    if (!timeline_path_.empty() && !WriteFile(timeline_path_, text)) {
      std::fprintf(stderr, "raftsim: --timeline_out=%s: write failed\n",
                   timeline_path_.c_str());
    }
    if (timeline_stdout_) {
      std::fwrite(text.data(), 1, text.size(), stdout);
      std::fflush(stdout);
    }
  }
}

}  // namespace raftsim::tools
