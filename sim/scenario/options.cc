// sim/scenario/options.cc — the options a scenario may set
// (ScenarioOptions(), sim/scenario/scenario.h): every option of the
// simulator's table (OptionTable(), sim/world/options.h) except `nodes`,
// which is the `nodes` line, plus a few friendlier aliases.
//
// The table is built once and never changes; thread-safe.

#include "sim/world/options.h"

#include <cstdint>
#include <string_view>
#include <vector>

#include "sim/scenario/scenario.h"

namespace raftsim::sim {

const std::vector<OptionSpec>& ScenarioOptions() {
  // The simulator still runs SimOptions::Validate over the result (relations
  // between options, e.g. heartbeat_ticks < election_ticks, are checked
  // there).
  static const auto* const kOptions = [] {
    auto* options = new std::vector<OptionSpec>;
    for (const OptionField& f : OptionTable()) {
      if (std::string_view(f.name) == "nodes") continue;
      options->push_back(
          {f.name, f.name,
           f.kind == OptionKind::kBool ? OptionType::kBool : OptionType::kInt,
           f.min, f.max});
    }
    // Aliases: friendlier spellings, stored under the canonical name.
    struct Alias {
      const char* name;
      const char* canonical;
      OptionType type;
    };
    for (const Alias& a : {Alias{"loss", "loss_ppm", OptionType::kProbability},
                           Alias{"dup", "dup_ppm", OptionType::kProbability},
                           Alias{"election_timeout_ticks", "election_ticks",
                                 OptionType::kInt}}) {
      const OptionField* f = FindOption(a.canonical);
      options->push_back({a.name, f->name, a.type, f->min, f->max});
    }
    return options;
  }();
  return *kOptions;
}

}  // namespace raftsim::sim
