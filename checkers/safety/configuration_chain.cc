// checkers/safety/configuration_chain.cc — see configuration_chain.h.

#include "checkers/safety/configuration_chain.h"

#include <optional>
#include <string>

#include "absl/strings/str_cat.h"

namespace raftsim::checkers {

void ConfigurationChain::Observe(const ClusterView& view,
                                 const CheckerContext& context,
                                 std::vector<Violation>* out) {
  const Configurations& confs = context.configurations();
  for (const Configurations::Transition& t : confs.transitions()) {
    const std::optional<std::string> why =
        WhyNotChained(t.before.conf, t.after.conf);
    const std::string entry =
        absl::StrCat("n", t.node + 1, "'s configuration entry ",
                     t.after.index.Describe(), "@", t.after.term.Describe(),
                     " (", t.change, ") on ", DescribeConf(t.before.conf));
    if (t.refused.has_value()) {
      out->push_back(Make(
          view,
          absl::StrCat(entry, " is refused by the Changer (", *t.refused, ")",
                       why.has_value() ? ": it " : "", why.value_or(""))));
    } else if (why.has_value()) {
      out->push_back(Make(view, absl::StrCat(entry, " ", *why)));
    }
  }
  for (const Configurations::Finding& f : confs.findings()) {
    out->push_back(Make(view, f.description));
  }
}

}  // namespace raftsim::checkers
