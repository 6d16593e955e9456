// base/check.h — always-on assertions.
//
// CHECK(cond) << "context"; is never compiled out (NDEBUG has no effect): a
// violated invariant in a consensus system must stop the process, not corrupt
// data silently (TIGER_STYLE). Debian's Abseil 20220623 has no absl/log, so
// these are ours.
//
// On failure the message "file:line: CHECK failed: cond (a vs b) context" is
// handed to the installed failure handler (by default: print to stderr and
// abort). The simulator installs a handler that reports the seed and exits
// with code 4. Handlers must not return normally; if one does, we abort.
//
// User input never reaches a CHECK: validate it into absl::Status first.
//
// Thread-safety: the handler is a process-wide setting; install it before
// starting threads.

#ifndef RAFTSIM_BASE_CHECK_H_
#define RAFTSIM_BASE_CHECK_H_

#include <sstream>
#include <string>

#include "absl/base/optimization.h"

namespace raftsim {

// Called with the full failure message. Must not return.
using CheckFailureHandler = void (*)(const std::string& message);

// Installs `handler` and returns the previous one. nullptr restores the
// default (print and abort).
CheckFailureHandler SetCheckFailureHandler(CheckFailureHandler handler);

namespace check_internal {

// Collects the streamed context; its destructor reports the failure.
class CheckFailure {
 public:
  CheckFailure(const char* file, int line, const char* condition);
  CheckFailure(const CheckFailure&) = delete;
  CheckFailure& operator=(const CheckFailure&) = delete;
  [[noreturn]] ~CheckFailure();

  std::ostream& stream() { return stream_ << " "; }

 private:
  std::ostringstream stream_;
};

template <typename A, typename B>
std::string* MakeCheckOpMessage(const A& a, const B& b, const char* expr) {
  std::ostringstream os;
  os << expr << " (" << a << " vs " << b << ")";
  return new std::string(os.str());  // Leaked on purpose: we are dying.
}

// Each returns nullptr when the comparison holds, so operands are evaluated
// exactly once.
#define RAFTSIM_DEFINE_CHECK_OP(name, op)                       \
  template <typename A, typename B>                             \
  inline std::string* Check##name##Impl(const A& a, const B& b, \
                                        const char* expr) {     \
    if (ABSL_PREDICT_TRUE(a op b)) return nullptr;              \
    return MakeCheckOpMessage(a, b, expr);                      \
  }
RAFTSIM_DEFINE_CHECK_OP(EQ, ==)
RAFTSIM_DEFINE_CHECK_OP(NE, !=)
RAFTSIM_DEFINE_CHECK_OP(LT, <)
RAFTSIM_DEFINE_CHECK_OP(LE, <=)
RAFTSIM_DEFINE_CHECK_OP(GT, >)
RAFTSIM_DEFINE_CHECK_OP(GE, >=)
#undef RAFTSIM_DEFINE_CHECK_OP

}  // namespace check_internal
}  // namespace raftsim

// `while` rather than `if` so that `if (a) CHECK(b); else ...` parses as
// written; the body never returns, so the loop runs at most once.
#define CHECK(condition)                                                  \
  while (ABSL_PREDICT_FALSE(!(condition)))                                \
  ::raftsim::check_internal::CheckFailure(__FILE__, __LINE__, #condition) \
      .stream()

#define RAFTSIM_CHECK_OP(name, op, a, b)                                      \
  while (std::string* raftsim_check_message =                                 \
             ::raftsim::check_internal::Check##name##Impl((a), (b),           \
                                                          #a " " #op " " #b)) \
  ::raftsim::check_internal::CheckFailure(__FILE__, __LINE__,                 \
                                          raftsim_check_message->c_str())     \
      .stream()

#define CHECK_EQ(a, b) RAFTSIM_CHECK_OP(EQ, ==, a, b)
#define CHECK_NE(a, b) RAFTSIM_CHECK_OP(NE, !=, a, b)
#define CHECK_LT(a, b) RAFTSIM_CHECK_OP(LT, <, a, b)
#define CHECK_LE(a, b) RAFTSIM_CHECK_OP(LE, <=, a, b)
#define CHECK_GT(a, b) RAFTSIM_CHECK_OP(GT, >, a, b)
#define CHECK_GE(a, b) RAFTSIM_CHECK_OP(GE, >=, a, b)

#endif  // RAFTSIM_BASE_CHECK_H_
