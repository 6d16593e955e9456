// checkers/safety/checker.cc — Violation formatting.

#include "checkers/safety/checker.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace raftsim::checkers {

std::string Violation::Describe() const {
  return absl::StrCat(
      checker, " at event ", event,
      " (t=", absl::StrFormat("%d.%06ds", time_us / 1000000, time_us % 1000000),
      "): ", description);
}

Violation Checker::Make(const ClusterView& view,
                        std::string description) const {
  return Violation{std::string(name()), std::move(description), view.event,
                   view.time_us};
}

}  // namespace raftsim::checkers
