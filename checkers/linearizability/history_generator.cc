// checkers/linearizability/history_generator.cc — see history_generator.h.

#include "checkers/linearizability/history_generator.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "base/check.h"

namespace raftsim::checkers {
namespace {

struct Planned {
  Operation op;
  int64_t point_ns;  // Linearization point, inside [call, return].
  int64_t end_ns;    // When the client moved on (its return, if known).
  bool applies;      // Whether an unknown-outcome op took effect.
};

// A value a key held, who wrote it and when it was overwritten.
struct PastValue {
  std::string value;
  // INT64_MAX when unknown (or the initial value: never "before" anything).
  int64_t writer_return_ns;
  int64_t overwriter_call_ns;
  int64_t overwritten_by_return_ns;  // INT64_MAX: by an unknown-outcome op.
};

std::string Pick(Prng& prng, std::initializer_list<const char*> choices) {
  return *(choices.begin() + prng.Uniform(choices.size()));
}

Planned PlanOp(Prng& prng, const GeneratorOptions& o, int64_t client,
               int64_t start_ns, int index, int64_t& drawn,
               const Planned* retry) {
  Planned p;
  Operation& op = p.op;
  op.client = client;
  op.key = absl::StrCat("k", prng.Uniform(o.num_keys));
  const uint64_t roll = prng.Uniform(100);
  switch (o.mix) {
    case OpMix::kKeyValue:
      op.kind = roll < 40   ? OpKind::kGet
                : roll < 65 ? OpKind::kPut
                : roll < 85 ? OpKind::kAppend
                            : OpKind::kCas;
      break;
    case OpMix::kRegister:
      op.kind = roll < 50 ? OpKind::kGet : OpKind::kPut;
      break;
    case OpMix::kCasRegister:
      op.kind = roll < 50   ? OpKind::kGet
                : roll < 80 ? OpKind::kPut
                            : OpKind::kCas;
      break;
  }
  if (o.client_tokens) {
    const std::string token = absl::StrCat("c", client + 1, ".", ++drawn);
    if (op.kind == OpKind::kPut || op.kind == OpKind::kCas) op.value = token;
    if (op.kind == OpKind::kAppend) op.value = token + ";";
  } else if (op.kind == OpKind::kPut || op.kind == OpKind::kCas) {
    op.value = o.tiny_values ? Pick(prng, {"", "a", "b", "ab"})
                             : absl::StrCat("v", index);
  } else if (op.kind == OpKind::kAppend) {
    op.value =
        o.tiny_values ? Pick(prng, {"a", "b"}) : absl::StrCat(".", index);
  }
  if (retry != nullptr) {
    op.kind = retry->op.kind;
    op.key = retry->op.key;
    op.value = retry->op.value;
  }
  op.call_ns = start_ns + prng.Range(0, o.think_ns_max);
  p.point_ns = op.call_ns + prng.Range(0, o.latency_ns_max);
  p.end_ns = p.point_ns + prng.Range(0, o.latency_ns_max);
  const bool unknown =
      prng.Uniform(100) < static_cast<uint64_t>(o.unknown_percent);
  if (!unknown) op.return_ns = p.end_ns;
  p.applies = !unknown || prng.Chance(0.5);
  return p;
}

}  // namespace

GeneratedHistory GenerateHistory(Prng& prng, const GeneratorOptions& o) {
  CHECK_GT(o.num_clients, 0);
  CHECK_GT(o.num_keys, 0);
  std::vector<Planned> plan;
  std::vector<int64_t> free_at(o.num_clients, 0);
  std::vector<int64_t> drawn(o.num_clients, 0);
  std::vector<int> last(o.num_clients, -1);  // Per client: its last op.
  std::vector<int> retry_of;                 // Per op: the op retried, or -1.
  for (int i = 0; i < o.num_ops; ++i) {
    const auto next = std::min_element(free_at.begin(), free_at.end());
    const int64_t client = next - free_at.begin();
    const int prev = last[client];
    // No draw without retries: the other shapes keep their histories.
    const bool retry =
        o.retry_percent > 0 && prev >= 0 && !plan[prev].op.completed() &&
        plan[prev].op.kind != OpKind::kGet &&
        prng.Uniform(100) < static_cast<uint64_t>(o.retry_percent);
    plan.push_back(PlanOp(prng, o, client, *next, i, drawn[client],
                          retry ? &plan[prev] : nullptr));
    retry_of.push_back(retry ? prev : -1);
    last[client] = i;
    *next = plan.back().end_ns + 1;
  }
  std::vector<size_t> order(plan.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return std::tie(plan[a].point_ns, a) < std::tie(plan[b].point_ns, b);
  });
  GeneratedHistory out;
  out.stale_value.assign(plan.size(), "");
  std::map<std::string, std::string> state;
  std::map<std::string, std::vector<PastValue>> past;
  std::map<std::string, int64_t> state_writer_return;
  for (size_t i : order) {
    Operation& op = plan[i].op;
    std::string& v = state[op.key];
    if (op.kind == OpKind::kCas && retry_of[i] >= 0) {
      // The retried op has the earlier linearization point: it ended first.
      op.expected = plan[retry_of[i]].op.expected;
    } else if (op.kind == OpKind::kCas && o.client_tokens) {
      // A client expects the value it saw last: the current one, or one of
      // the few before it.
      const std::vector<PastValue>& earlier = past[op.key];
      const size_t back = std::min<size_t>(earlier.size(), 4);
      op.expected =
          prng.Chance(0.5) || back == 0
              ? v
              : earlier[earlier.size() - 1 - prng.Uniform(back)].value;
    } else if (op.kind == OpKind::kCas) {
      op.expected = prng.Chance(0.5) ? v
                    : o.tiny_values  ? Pick(prng, {"", "a", "b", "ab", "ba"})
                                     : absl::StrCat("v", prng.Uniform(i + 1));
    }
    const bool completed = op.completed();
    if (op.kind == OpKind::kGet) {
      if (completed) op.output = v;
      for (auto it = past[op.key].rbegin(); it != past[op.key].rend(); ++it) {
        // The writer returned before the overwriter was called, which
        // returned before this get was called: with unique values, reading
        // the old value is a definite violation.
        if (completed && it->value != v &&
            it->writer_return_ns < it->overwriter_call_ns &&
            it->overwritten_by_return_ns < op.call_ns) {
          out.stale_value[i] = it->value;
          break;
        }
      }
      continue;
    }
    const bool swap = op.kind != OpKind::kCas || v == *op.expected;
    if (op.kind == OpKind::kCas && completed) op.output = swap;
    if (!plan[i].applies || !swap) continue;
    auto writer = state_writer_return.try_emplace(op.key, INT64_MAX).first;
    past[op.key].push_back(
        {v, writer->second, op.call_ns, op.return_ns.value_or(INT64_MAX)});
    v = op.kind == OpKind::kAppend ? v + *op.value : *op.value;
    writer->second = op.return_ns.value_or(INT64_MAX);
  }
  for (Planned& p : plan) out.history.push_back(std::move(p.op));
  return out;
}

int CorruptReads(Prng& prng, GeneratedHistory& generated, int count) {
  std::vector<size_t> candidates;
  for (size_t i = 0; i < generated.history.size(); ++i) {
    if (!generated.stale_value[i].empty()) candidates.push_back(i);
  }
  prng.Shuffle(candidates.begin(), candidates.end());
  int done = 0;
  for (size_t i : candidates) {
    if (done == count) break;
    generated.history[i].output = generated.stale_value[i];
    ++done;
  }
  return done;
}

void MutateOneOutput(Prng& prng, History& history) {
  std::vector<size_t> candidates;
  for (size_t i = 0; i < history.size(); ++i) {
    const Operation& op = history[i];
    if (op.completed() &&
        (op.kind == OpKind::kGet || op.kind == OpKind::kCas)) {
      candidates.push_back(i);
    }
  }
  if (candidates.empty()) return;
  Operation& op = history[candidates[prng.Uniform(candidates.size())]];
  if (op.kind == OpKind::kCas) {
    op.output = !std::get<bool>(op.output);
  } else {
    op.output = Pick(prng, {"", "a", "b", "ab", "ba", "aa"});
  }
}

void MutateOneRead(Prng& prng, History& history) {
  std::vector<size_t> reads;
  for (size_t i = 0; i < history.size(); ++i) {
    if (history[i].completed() && history[i].kind == OpKind::kGet) {
      reads.push_back(i);
    }
  }
  if (reads.empty()) return;
  Operation& read = history[reads[prng.Uniform(reads.size())]];
  std::vector<std::string> written = {""};
  for (const Operation& op : history) {
    if (op.key == read.key &&
        (op.kind == OpKind::kPut || op.kind == OpKind::kCas)) {
      written.push_back(*op.value);
    }
  }
  read.output = written[prng.Uniform(written.size())];
}

void MutateOneToken(Prng& prng, History& history) {
  std::vector<size_t> candidates;
  for (size_t i = 0; i < history.size(); ++i) {
    const Operation& op = history[i];
    if (op.completed() &&
        (op.kind == OpKind::kGet || op.kind == OpKind::kCas)) {
      candidates.push_back(i);
    }
  }
  if (candidates.empty()) return;
  Operation& target = history[candidates[prng.Uniform(candidates.size())]];
  std::vector<std::string> written = {""};
  std::vector<std::string> appended;
  for (const Operation& op : history) {
    if (op.key != target.key || op.kind == OpKind::kGet) continue;
    (op.kind == OpKind::kAppend ? appended : written).push_back(*op.value);
  }
  if (target.kind == OpKind::kCas && prng.Chance(0.5)) {
    target.output = !std::get<bool>(target.output);
    return;
  }
  std::string value = target.kind == OpKind::kGet
                          ? std::get<std::string>(target.output)
                          : *target.expected;
  switch (prng.Uniform(3)) {
    case 0:
      value = written[prng.Uniform(written.size())];
      break;
    case 1: {  // Drop the last token (tokens start with 'c').
      if (!value.empty() && value.back() == ';') value.pop_back();
      const size_t cut = value.rfind('c');
      value.resize(cut == std::string::npos ? 0 : cut);
      break;
    }
    default:
      if (!appended.empty()) value += appended[prng.Uniform(appended.size())];
      break;
  }
  if (target.kind == OpKind::kGet) {
    target.output = value;
  } else {
    target.expected = value;
  }
}

void MutateOneReadOrCas(Prng& prng, History& history) {
  std::vector<size_t> candidates;
  for (size_t i = 0; i < history.size(); ++i) {
    const Operation& op = history[i];
    if (op.completed() &&
        (op.kind == OpKind::kGet || op.kind == OpKind::kCas)) {
      candidates.push_back(i);
    }
  }
  if (candidates.empty()) return;
  Operation& target = history[candidates[prng.Uniform(candidates.size())]];
  std::vector<std::string> written = {""};
  for (const Operation& op : history) {
    if (op.key == target.key &&
        (op.kind == OpKind::kPut || op.kind == OpKind::kCas)) {
      written.push_back(*op.value);
    }
  }
  const std::string& value = written[prng.Uniform(written.size())];
  if (target.kind == OpKind::kGet) {
    target.output = value;
  } else if (prng.Chance(0.5)) {
    target.output = !std::get<bool>(target.output);
  } else {
    target.expected = value;
  }
}

}  // namespace raftsim::checkers
