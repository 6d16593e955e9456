// base/check.cc — failure reporting for base/check.h.

#include "base/check.h"

#include <cstdio>
#include <cstdlib>

namespace raftsim {
namespace {

void DefaultHandler(const std::string& message) {
  std::fprintf(stderr, "%s\n", message.c_str());
  std::fflush(stderr);
  std::abort();
}

CheckFailureHandler g_handler = &DefaultHandler;

}  // namespace

CheckFailureHandler SetCheckFailureHandler(CheckFailureHandler handler) {
  CheckFailureHandler previous = g_handler;
  g_handler = handler != nullptr ? handler : &DefaultHandler;
  return previous;
}

namespace check_internal {

CheckFailure::CheckFailure(const char* file, int line, const char* condition) {
  stream_ << file << ":" << line << ": CHECK failed: " << condition;
}

CheckFailure::~CheckFailure() {
  std::string message = stream_.str();
  while (!message.empty() && message.back() == ' ') message.pop_back();
  g_handler(message);
  // A handler must not return; if it does, stop anyway.
  std::abort();
}

}  // namespace check_internal
}  // namespace raftsim
