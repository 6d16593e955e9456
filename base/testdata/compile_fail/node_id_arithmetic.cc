// Node ids are names, not numbers: arithmetic on them must not compile.
// EXPECT-ERROR: no match for 'operator-' (operand types are 'raftsim::NodeId'
#include "base/strong_id.h"

namespace raftsim {
auto Test(NodeId a, NodeId b) { return a - b; }
}  // namespace raftsim
