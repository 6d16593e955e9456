// Control: correct use of the strong ids must compile. If this snippet fails,
// the harness (include path, flags, compiler) is broken and the other
// snippets' failures prove nothing.
// EXPECT-COMPILES
#include "base/strong_id.h"

namespace raftsim {
void SendVote(NodeId to);
void SetTerm(Term term);
uint64_t Test(Term term, LogIndex first, LogIndex last) {
  SendVote(NodeId(2));
  SetTerm(Next(term));
  LogIndex next = last + 1;
  ++next;
  return next - first;
}
}  // namespace raftsim
