// tools/cli/version.h — what `raftsim --version` prints: the version of the
// raftsim tool and library, and how this binary was built (Bazel's
// compilation mode, the production or the canary core, sanitizers). The
// build facts come from the compiler's own macros and one define set in
// tools/cli/BUILD.bazel (RAFTSIM_COMPILATION_MODE, from Bazel's
// $(COMPILATION_MODE)), so the binary stays hermetic: no timestamp, host
// name or commit is compiled in.
//
// Header-only; constants and a pure function.

#ifndef RAFTSIM_TOOLS_CLI_VERSION_H_
#define RAFTSIM_TOOLS_CLI_VERSION_H_

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace raftsim::tools {

// Bumped by hand on a release (docs/build.md).
inline constexpr absl::string_view kVersion = "0.1.0";

#define RAFTSIM_VERSION_STRINGIFY_(x) #x
#define RAFTSIM_VERSION_STRINGIFY(x) RAFTSIM_VERSION_STRINGIFY_(x)

// "opt, production core", "dbg, canary core, asan", ...
inline std::string BuildDescription() {
#ifdef RAFTSIM_COMPILATION_MODE
  std::string out = RAFTSIM_VERSION_STRINGIFY(RAFTSIM_COMPILATION_MODE);
#elif defined(NDEBUG)
  std::string out = "opt";
#else
  std::string out = "unknown mode";
#endif
#ifdef RAFTSIM_CANARY_BINARY
  absl::StrAppend(&out, ", canary core (--canary=NAME)");
#else
  absl::StrAppend(&out, ", production core");
#endif
#ifdef NDEBUG
  absl::StrAppend(&out, ", NDEBUG");
#endif
#if defined(__SANITIZE_ADDRESS__)
  absl::StrAppend(&out, ", asan");
#endif
#if defined(__SANITIZE_THREAD__)
  absl::StrAppend(&out, ", tsan");
#endif
#if defined(__has_feature)
#if __has_feature(address_sanitizer) && !defined(__SANITIZE_ADDRESS__)
  absl::StrAppend(&out, ", asan");
#endif
#if __has_feature(undefined_behavior_sanitizer)
  absl::StrAppend(&out, ", ubsan");
#endif
#endif
#if defined(__clang__)
  absl::StrAppend(&out, ", clang ", __clang_version__);
#elif defined(__GNUC__)
  absl::StrAppend(&out, ", gcc ", __VERSION__);
#endif
  return out;
}

}  // namespace raftsim::tools

#endif  // RAFTSIM_TOOLS_CLI_VERSION_H_
