// checkers/linearizability/history_generator.h — random client histories for
// tests and benchmarks (test only).
//
// A simulated concurrent key-value execution: each client issues one
// operation at a time; each operation gets a random interval and a
// linearization point inside it; outputs come from replaying the
// sequential model in linearization-point order, so the history is
// linearizable by construction. A fraction of operations lose their
// outcome (return null); their effect is applied or not at random.
// CorruptReads then plants stale reads to make it non-linearizable.
//
// Deterministic in the Prng passed in. Single-threaded; not thread-safe.

#ifndef RAFTSIM_CHECKERS_LINEARIZABILITY_HISTORY_GENERATOR_H_
#define RAFTSIM_CHECKERS_LINEARIZABILITY_HISTORY_GENERATOR_H_

#include <cstdint>
#include <string>
#include <vector>

#include "base/prng.h"
#include "checkers/linearizability/history.h"

namespace raftsim::checkers {

// Which operations a history draws.
enum class OpMix {
  kKeyValue,     // 40% get, 25% put, 20% append, 15% cas.
  kRegister,     // 50% get, 50% put: Jepsen's register model.
  kCasRegister,  // 50% get, 30% put, 20% cas: Jepsen's cas-register.
};

struct GeneratorOptions {
  int num_ops = 1000;
  int num_clients = 10;
  int num_keys = 5;
  int unknown_percent = 0;  // Ops whose outcome is lost, in percent.
  // Interval shape, in ns: think time between a client's ops, and the gap
  // from call to linearization point and from there to return.
  int64_t think_ns_max = 20;
  int64_t latency_ns_max = 100;
  // Tiny alphabets ("a", "b") instead of unique values, so that values
  // collide and appends build strings other writes also produce.
  bool tiny_values = false;
  // Values as the simulator's clients draw them: "c<client>.<n>" for the
  // client's n-th command (appends add ";"), and a cas expecting, half the
  // time, one of the last four earlier values of the key instead of the
  // current one (a client expects what it saw last). Overrides tiny_values.
  bool client_tokens = false;
  // Of the operations that follow one whose outcome was lost, the percentage
  // that retry it: same kind, key, value and expected value.
  int retry_percent = 0;
  OpMix mix = OpMix::kKeyValue;
};

struct GeneratedHistory {
  History history;
  // Per op: for a completed get, a value the key held before its true
  // output, written by an op that returned before the op that overwrote it
  // was called, which returned before the get was called (a stale read,
  // a definite violation when values are unique); "" when there is none.
  std::vector<std::string> stale_value;
};

GeneratedHistory GenerateHistory(Prng& prng, const GeneratorOptions& options);

// Replaces the output of up to `count` completed gets, chosen at random
// among those that have a stale value, with that stale value. Returns how
// many were corrupted.
int CorruptReads(Prng& prng, GeneratedHistory& generated, int count);

// Mutates one random completed get or cas output to a random value (tiny
// histories for differential tests; may or may not break linearizability).
void MutateOneOutput(Prng& prng, History& history);

// Replaces the output of one random completed get with "" or a value some
// put or cas on its key writes (unique-value histories for differential
// tests: the read then names another writer; may or may not break
// linearizability).
void MutateOneRead(Prng& prng, History& history);

// Mutates one random completed get or cas of a client-token history
// (GeneratorOptions::client_tokens): a get reads "", a value some put or cas
// on its key writes, or its output with the last token dropped or one more
// appended value; a cas has its output flipped, or expects such a value.
// May or may not break linearizability.
void MutateOneToken(Prng& prng, History& history);

// Mutates one random completed get or cas (unique-value cas-register
// histories for differential tests): a get reads "" or a value some put or
// cas on its key writes; a cas has its output flipped, or expects such a
// value instead (keeping its output). May or may not break
// linearizability.
void MutateOneReadOrCas(Prng& prng, History& history);

}  // namespace raftsim::checkers

#endif  // RAFTSIM_CHECKERS_LINEARIZABILITY_HISTORY_GENERATOR_H_
