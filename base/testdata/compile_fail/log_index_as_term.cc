// A LogIndex passed where a Term is expected must not compile.
// EXPECT-ERROR: could not convert
// EXPECT-ERROR: from 'StrongId<raftsim::LogIndexTag>' to 'StrongId<raftsim::TermTag>'
#include "base/strong_id.h"

namespace raftsim {
void SetTerm(Term term);
void Test() { SetTerm(LogIndex(7)); }
}  // namespace raftsim
