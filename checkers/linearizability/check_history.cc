// checkers/linearizability/check_history.cc — see check_history.h.

#include "checkers/linearizability/check_history.h"

#include <fstream>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "checkers/linearizability/jepsen_history.h"

namespace raftsim::checkers {

std::optional<HistoryFormat> HistoryFormatFromName(absl::string_view name) {
  if (name == "auto") return HistoryFormat::kAuto;
  if (name == "jsonl") return HistoryFormat::kJsonLines;
  if (name == "edn") return HistoryFormat::kEdn;
  return std::nullopt;
}

absl::StatusOr<History> ReadHistoryFileAs(const std::string& path,
                                          HistoryFormat format) {
  if (format == HistoryFormat::kAuto) {
    format = absl::EndsWith(path, ".edn") ? HistoryFormat::kEdn
                                          : HistoryFormat::kJsonLines;
  }
  if (format == HistoryFormat::kJsonLines) return ReadHistoryFile(path);
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat(path, ": cannot read"));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return ParseJepsenEdnHistory(buffer.str(), path);
}

int RunCheckHistory(const std::string& path, std::ostream& out,
                    std::ostream& err, const LinearizabilityOptions& options,
                    HistoryFormat format) {
  absl::StatusOr<History> history = ReadHistoryFileAs(path, format);
  if (!history.ok()) {
    err << history.status().message() << "\n";
    return kCheckHistoryMalformed;
  }
  const LinearizabilityResult result = CheckLinearizability(*history, options);
  out << result.Describe();
  return result.linearizable() ? kCheckHistoryLinearizable
                               : kCheckHistoryNotLinearizable;
}

}  // namespace raftsim::checkers
