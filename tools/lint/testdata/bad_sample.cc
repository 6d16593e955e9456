// tools/lint/testdata/bad_sample.cc — every construct the determinism lint
// forbids, one per line, each marked with the finding it must produce.
// Not compiled; read only by tools/lint/determinism_lint_selftest.sh.
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <random>
#include <thread>

void Forbidden() {
  auto a = std::chrono::system_clock::now();  // LINT: _clock::now
  auto b = std::chrono::steady_clock::now();  // LINT: _clock::now
  auto c = std::chrono::high_resolution_clock::now();  // LINT: _clock::now
  auto d = absl::Now();  // LINT: absl::Now
  auto e = time(nullptr);  // LINT: time(
  auto f = std::time(nullptr);  // LINT: time(
  gettimeofday(&tv, nullptr);  // LINT: gettimeofday
  clock_gettime(CLOCK_MONOTONIC, &ts);  // LINT: clock_gettime
  std::random_device device;  // LINT: std::random_device
  int g = rand();  // LINT: rand(
  srand(42);  // LINT: srand(
  std::uniform_int_distribution<int> dist(0, 9);  // LINT: std::*_distribution
  std::normal_distribution<double> normal;  // LINT: std::*_distribution
  std::mt19937 engine(1);  // LINT: std random engine
  absl::BitGen bitgen;  // LINT: absl::BitGen
  std::thread worker([] {});  // LINT: std::thread
  auto future = std::async([] { return 1; });  // LINT: std::async
  const char* home = getenv("HOME");  // LINT: getenv
  if (x) return time(0);  // LINT: time(
}
