// tools/lint/testdata/good_sample.cc — code the determinism lint must accept:
// look-alikes of forbidden constructs and mentions in comments and strings.
// Not compiled; read only by tools/lint/determinism_lint_selftest.sh.
//
// In a comment: std::chrono::system_clock::now(), rand(), time(nullptr),
// std::thread, getenv("HOME"), absl::BitGen, std::random_device.
/* A block comment, too: gettimeofday(&tv, nullptr); srand(1);
   std::uniform_int_distribution<int> d; absl::Now(); */

#include "base/prng.h"

struct Clock {
  int64_t time() const;  // A member named time: a declaration, not a call.
};

int64_t sim_time(const Clock& clock) { return clock.time(); }
int64_t Elapsed(const Clock* clock) { return clock->time() + sim_time(*clock); }
int64_t Other() { return Clock::time(); }
int64_t Durations(int64_t start_time) { return start_time; }
const char* kHelp = "never call rand() or time(nullptr) or std::thread here";
const char* kRaw = R"raw(std::random_device and getenv("X") in a raw string)raw";
const char kQuote = '"';
const char kApostrophe = '\'';
constexpr int64_t kBig = 1'000'000;  // digit separators are not quotes
int Operand() { return brand(3) + random_id(2) + operand(1); }
double latency_distribution = 0.5;  // our own name ending in _distribution
int64_t timestamp = my_time(7);
uint64_t Draw(raftsim::Prng& prng) { return prng.Uniform(10); }
int threads_allowed_in_names = 0;  // std_thread_count is a name, not a thread
