// A Term passed where a NodeId is expected must not compile.
// EXPECT-ERROR: could not convert
// EXPECT-ERROR: from 'StrongId<raftsim::TermTag>' to 'StrongId<raftsim::NodeIdTag>'
#include "base/strong_id.h"

namespace raftsim {
void SendVote(NodeId to);
void Test() { SendVote(Term(3)); }
}  // namespace raftsim
