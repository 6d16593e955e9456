// sim/coverage.cc — see coverage.h.

#include "sim/coverage.h"

#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "raft/coverage.h"

namespace raftsim::sim {

const std::vector<CoverageEntry>& CoverageCatalogue() {
  static const auto* const kAll = [] {
    auto* all = new std::vector<CoverageEntry>;
    for (const raft::SituationInfo& s : raft::kSituations) {
      all->push_back({s.name, s.description, "raft"});
    }
#define RAFTSIM_ENV_SITUATION_ENTRY(e, name, description) \
  all->push_back({name, description, "sim"});
    RAFTSIM_ENV_SITUATIONS(RAFTSIM_ENV_SITUATION_ENTRY)
#undef RAFTSIM_ENV_SITUATION_ENTRY
    return all;
  }();
  return *kAll;
}

size_t CatalogueIndex(EnvSituation s) {
  return raft::kSituationCount + static_cast<size_t>(s);
}

std::string FormatCoverageLine(const std::vector<uint64_t>& counts) {
  return absl::StrCat("coverage ", absl::StrJoin(counts, ","));
}

absl::StatusOr<std::vector<uint64_t>> ParseCoverageLine(
    absl::string_view line) {
  constexpr absl::string_view kPrefix = "coverage ";
  if (line.substr(0, kPrefix.size()) != kPrefix) {
    return absl::InvalidArgumentError(
        absl::StrCat("coverage line: expected \"", kPrefix, "\" at the start"));
  }
  const std::vector<absl::string_view> fields =
      absl::StrSplit(line.substr(kPrefix.size()), ',');
  const size_t want = CoverageCatalogue().size();
  if (fields.size() != want) {
    return absl::InvalidArgumentError(
        absl::StrCat("coverage line: ", fields.size(), " counts, expected ",
                     want, " (one per catalogued situation)"));
  }
  std::vector<uint64_t> counts(want);
  for (size_t i = 0; i < want; ++i) {
    if (!absl::SimpleAtoi(fields[i], &counts[i])) {
      return absl::InvalidArgumentError(
          absl::StrCat("coverage line: count ", i + 1, " (\"", fields[i],
                       "\") is not an unsigned integer"));
    }
  }
  return counts;
}

}  // namespace raftsim::sim
