// Comparing a LogIndex with a Term is a type error, not a silent integer
// comparison.
// EXPECT-ERROR: no match for 'operator<' (operand types are 'raftsim::LogIndex'
#include "base/strong_id.h"

namespace raftsim {
bool Test(LogIndex i, Term t) { return i < t; }
}  // namespace raftsim
