// Terms only advance with Next(term); `term + 1` must not compile.
// EXPECT-ERROR: no match for 'operator+' (operand types are 'raftsim::Term'
#include "base/strong_id.h"

namespace raftsim {
Term Test(Term term) { return term + 1; }
}  // namespace raftsim
