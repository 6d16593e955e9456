// base/testdata/weak_strong_id/base/strong_id.h — a deliberately broken
// stand-in for base/strong_id.h, used only by base/compile_fail_test.sh.
//
// Here Term, LogIndex and NodeId are plain integers, which is exactly the
// mistake base/strong_id.h exists to prevent. The compile-fail test compiles
// its snippets against this header too and requires every "must not compile"
// snippet to be caught as compiling, which shows the test can fail when its
// subject is broken. Never include this from real code.

#ifndef RAFTSIM_BASE_STRONG_ID_H_
#define RAFTSIM_BASE_STRONG_ID_H_

#include <cstdint>

namespace raftsim {

using Term = uint64_t;
using LogIndex = uint64_t;
using NodeId = uint64_t;

inline constexpr NodeId kNoNode = 0;

constexpr Term Next(Term t) { return t + 1; }

}  // namespace raftsim

#endif  // RAFTSIM_BASE_STRONG_ID_H_
