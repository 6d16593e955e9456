// checkers/linearizability/unique_register.cc — see unique_register.h and
// docs/linearizability.md ("Unique-value registers").

#include "checkers/linearizability/unique_register.h"

#include <algorithm>
#include <functional>
#include <limits>
#include <queue>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <variant>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/string_view.h"

namespace raftsim::checkers::internal {
namespace {

// Times widened so that the virtual initial write can return strictly
// before any real call, and an unknown op strictly after any real call,
// whatever int64 values the history uses.
using Wide = __int128;
constexpr Wide kBeforeAll = Wide{std::numeric_limits<int64_t>::min()} - 1;
constexpr Wide kAfterAll = Wide{std::numeric_limits<int64_t>::max()} + 1;
constexpr size_t kNone = static_cast<size_t>(-1);
// WriterOf("") : the initial value, written by nobody in the history.
constexpr size_t kInitial = kNone - 1;

Wide ReturnOf(const Operation& op) {
  return op.return_ns ? Wide{*op.return_ns} : kAfterAll;
}

Wide CallOf(const Operation& op) { return Wide{op.call_ns}; }

// What an operation is to the decision.
enum class Role : uint8_t {
  kIgnored,  // An unknown get, or an unknown write nobody reads.
  kRead,     // A completed get: reads its output.
  kWrite,    // A put that takes effect.
  kSwap,     // A cas that swaps: reads `expected`, writes `value`.
  kFail,     // A cas that returned false.
};

// The earliest return (f) and latest call (s) of a set of operations, and
// the operations attaining them (kNone for the virtual initial write).
struct Span {
  Wide f = kAfterAll;
  size_t f_op = kNone;
  Wide s = kBeforeAll;
  size_t s_op = kNone;

  void AddOp(const Operation& op, size_t i) {
    if (ReturnOf(op) < f) {
      f = ReturnOf(op);
      f_op = i;
    }
    if (CallOf(op) > s) {
      s = CallOf(op);
      s_op = i;
    }
  }
  void AddSpan(const Span& other) {
    if (other.f < f) {
      f = other.f;
      f_op = other.f_op;
    }
    if (other.s > s) {
      s = other.s;
      s_op = other.s_op;
    }
  }
};

// A chain: its groups are groups_[group_begin, group_end), its operations
// in order seq_[seq_begin, seq_end).
struct Chain {
  Span span;
  size_t group_begin = 0;
  size_t group_end = 0;
  size_t seq_begin = 0;
  size_t seq_end = 0;
};

class Checker {
 public:
  explicit Checker(const std::vector<const Operation*>& ops)
      : ops_(ops),
        role_(ops.size(), Role::kIgnored),
        forced_by_(ops.size(), kNone),
        node_of_op_(ops.size(), kNone) {}

  std::optional<UniqueRegisterResult> Run();

 private:
  bool Classify();
  std::optional<UniqueRegisterResult> Force();
  std::optional<UniqueRegisterResult> BuildChains();
  std::optional<UniqueRegisterResult> CheckChains();
  std::optional<UniqueRegisterResult> CheckCrossings();
  std::optional<UniqueRegisterResult> CheckFailures() const;
  bool OrderChains(std::vector<size_t>& order) const;
  bool PlaceFailures(const std::vector<size_t>& base,
                     std::vector<size_t>& out) const;

  const Operation& op(size_t i) const { return *ops_[i]; }
  bool IsWrite(size_t i) const {
    return role_[i] == Role::kWrite || role_[i] == Role::kSwap;
  }
  bool IsReader(size_t i) const {
    return role_[i] == Role::kRead || role_[i] == Role::kSwap;
  }
  // The value a reader reads: a get's output, a swapping cas's expected.
  absl::string_view Observed(size_t i) const {
    return role_[i] == Role::kRead
               ? absl::string_view(std::get<std::string>(op(i).output))
               : absl::string_view(*op(i).expected);
  }
  // The op that may write `v` (put or cas that did not return false),
  // kInitial for "", kNone when there is none.
  size_t WriterOf(absl::string_view v) const {
    if (v.empty()) return kInitial;
    const auto it = writer_.find(v);
    return it == writer_.end() ? kNone : it->second;
  }
  // The node (0: the initial value) whose value is `v`, kNone when no
  // write that takes effect writes it.
  size_t NodeOf(absl::string_view v) const {
    const size_t w = WriterOf(v);
    return w == kInitial ? 0 : (w == kNone ? kNone : node_of_op_[w]);
  }
  // The node whose value a reader reads.
  size_t NodeRead(size_t i) const { return NodeOf(Observed(i)); }

  // A violation found among `core`, with the writers (and swapping cas)
  // the core's reads depend on, so that the witness is itself not
  // linearizable; see Support.
  UniqueRegisterResult Violation(std::vector<size_t> core) const;
  std::vector<size_t> Support(std::vector<size_t> core) const;

  const std::vector<const Operation*>& ops_;
  std::vector<Role> role_;
  // An unknown write that must take effect: the reader that forced it.
  std::vector<size_t> forced_by_;
  absl::flat_hash_map<absl::string_view, size_t> writer_;  // Lookups only.
  std::vector<size_t> fails_;  // Completed cas that returned false.
  // Nodes: 0 is the initial value; the others are the writes that take
  // effect, in op order. node_op_[n]: its op (kNone for node 0).
  std::vector<size_t> node_op_;
  std::vector<size_t> node_of_op_;
  // The swapping cas that reads node n's value (kNone: none).
  std::vector<size_t> next_;
  std::vector<Span> groups_;
  std::vector<Chain> chains_;
  std::vector<size_t> seq_;
  int64_t steps_ = 0;
};

bool Checker::Classify() {
  for (size_t i = 0; i < ops_.size(); ++i) {
    const Operation& o = op(i);
    bool writes = false;
    switch (o.kind) {
      case OpKind::kAppend:
        return false;
      case OpKind::kGet:
        if (o.completed()) role_[i] = Role::kRead;
        break;
      case OpKind::kPut:
        writes = true;
        if (o.completed()) role_[i] = Role::kWrite;
        break;
      case OpKind::kCas:
        if (o.completed() && !std::get<bool>(o.output)) {
          role_[i] = Role::kFail;
          fails_.push_back(i);
        } else {
          writes = true;
          if (o.completed()) role_[i] = Role::kSwap;
        }
        break;
    }
    if (!writes) continue;
    if (o.value->empty()) return false;
    if (!writer_.try_emplace(*o.value, i).second) return false;
  }
  steps_ += static_cast<int64_t>(ops_.size());
  return true;
}

std::optional<UniqueRegisterResult> Checker::Force() {
  std::vector<size_t> work;
  for (size_t i = 0; i < ops_.size(); ++i) {
    if (IsReader(i)) work.push_back(i);
  }
  for (size_t k = 0; k < work.size(); ++k) {
    const size_t i = work[k];
    const size_t w = WriterOf(Observed(i));
    if (w == kInitial) continue;
    if (w == kNone) {
      // (1) A read of a value nobody can write. A cas that returned false
      // with that new value is shown too: the reader may expect it.
      std::vector<size_t> core = {i};
      for (size_t f : fails_) {
        if (*op(f).value == Observed(i)) core.push_back(f);
      }
      return Violation(core);
    }
    if (role_[w] != Role::kIgnored) continue;
    // An unknown write whose value is read took effect.
    role_[w] = op(w).kind == OpKind::kPut ? Role::kWrite : Role::kSwap;
    forced_by_[w] = i;
    if (role_[w] == Role::kSwap) work.push_back(w);
  }
  steps_ += static_cast<int64_t>(work.size());
  return std::nullopt;
}

std::optional<UniqueRegisterResult> Checker::BuildChains() {
  node_op_.push_back(kNone);
  for (size_t i = 0; i < ops_.size(); ++i) {
    if (!IsWrite(i)) continue;
    node_of_op_[i] = node_op_.size();
    node_op_.push_back(i);
  }
  next_.assign(node_op_.size(), kNone);
  size_t swaps = 0;
  for (size_t i = 0; i < ops_.size(); ++i) {
    if (role_[i] != Role::kSwap) continue;
    ++swaps;
    size_t& next = next_[NodeRead(i)];
    // (2) Two swapping cas expect the same value: it is written once, and
    // the first to swap overwrites it.
    if (next != kNone) return Violation({next, i});
    next = i;
  }
  // Reads grouped by node, each group sorted by call.
  std::vector<std::tuple<size_t, int64_t, size_t>> reads;
  for (size_t i = 0; i < ops_.size(); ++i) {
    if (role_[i] == Role::kRead) {
      reads.emplace_back(NodeRead(i), op(i).call_ns, i);
    }
  }
  std::sort(reads.begin(), reads.end());
  std::vector<size_t> reads_begin(node_op_.size() + 1, 0);
  for (const auto& r : reads) ++reads_begin[std::get<0>(r) + 1];
  for (size_t n = 0; n < node_op_.size(); ++n) {
    reads_begin[n + 1] += reads_begin[n];
  }
  // Chains start at the initial value and at every put.
  size_t visited_swaps = 0;
  for (size_t start = 0; start < node_op_.size(); ++start) {
    if (start != 0 && role_[node_op_[start]] != Role::kWrite) continue;
    Chain& chain = chains_.emplace_back();
    chain.group_begin = groups_.size();
    chain.seq_begin = seq_.size();
    for (size_t n = start;;) {
      Span& writer = groups_.emplace_back();
      if (n == 0) {
        writer.f = kBeforeAll;
        writer.s = kBeforeAll;
      } else {
        writer.AddOp(op(node_op_[n]), node_op_[n]);
        seq_.push_back(node_op_[n]);
      }
      if (reads_begin[n] != reads_begin[n + 1]) {
        Span& group = groups_.emplace_back();
        for (size_t r = reads_begin[n]; r < reads_begin[n + 1]; ++r) {
          const size_t i = std::get<2>(reads[r]);
          group.AddOp(op(i), i);
          seq_.push_back(i);
        }
      }
      const size_t next = next_[n];
      if (next == kNone) break;
      ++visited_swaps;
      n = node_of_op_[next];
    }
    chain.group_end = groups_.size();
    chain.seq_end = seq_.size();
    for (size_t g = chain.group_begin; g < chain.group_end; ++g) {
      chain.span.AddSpan(groups_[g]);
    }
  }
  steps_ += static_cast<int64_t>(groups_.size());
  if (visited_swaps == swaps) return std::nullopt;
  // (2) A swapping cas no chain reaches: following the writers of the
  // values expected from it leads round a cycle of cas, none of which can
  // swap first.
  std::vector<bool> reached(ops_.size(), false);
  for (size_t i : seq_) reached[i] = true;
  size_t i = 0;
  while (role_[i] != Role::kSwap || reached[i]) ++i;
  std::set<size_t> seen;
  while (seen.insert(i).second) i = WriterOf(Observed(i));
  std::vector<size_t> cycle = {i};
  for (size_t j = WriterOf(Observed(i)); j != i; j = WriterOf(Observed(j))) {
    cycle.push_back(j);
  }
  return Violation(cycle);
}

std::optional<UniqueRegisterResult> Checker::CheckChains() {
  // (3) Groups inside a chain are in a fixed order.
  for (const Chain& chain : chains_) {
    Wide before = kBeforeAll;  // The latest call in an earlier group.
    for (size_t h = chain.group_begin; h < chain.group_end; ++h) {
      if (groups_[h].f < before) {
        size_t g = h - 1;
        while (!(groups_[h].f < groups_[g].s)) --g;
        return Violation({groups_[h].f_op, groups_[g].s_op});
      }
      before = std::max(before, groups_[h].s);
    }
  }
  return std::nullopt;
}

std::optional<UniqueRegisterResult> Checker::CheckCrossings() {
  // (4) Chains sorted by f; for each chain D, the largest s among chains
  // C != D with f(C) < s(D) decides whether some C also has f(D) < s(C).
  std::vector<size_t> live(chains_.size());
  for (size_t c = 0; c < live.size(); ++c) live[c] = c;
  const auto span = [&](size_t c) -> const Span& { return chains_[c].span; };
  std::sort(live.begin(), live.end(), [&](size_t a, size_t b) {
    return std::make_pair(span(a).f, a) < std::make_pair(span(b).f, b);
  });
  // best[k], second[k]: the chains of largest s among live[0..k], distinct.
  std::vector<size_t> best(live.size()), second(live.size(), kNone);
  for (size_t k = 0; k < live.size(); ++k) {
    const size_t c = live[k];
    if (k == 0) {
      best[k] = c;
      continue;
    }
    best[k] = best[k - 1];
    second[k] = second[k - 1];
    if (span(c).s > span(best[k]).s) {
      second[k] = best[k];
      best[k] = c;
    } else if (second[k] == kNone || span(c).s > span(second[k]).s) {
      second[k] = c;
    }
  }
  for (size_t d : live) {
    const Span& sd = span(d);
    // Chains live[0..n) have f < s(D).
    const size_t n = static_cast<size_t>(
        std::lower_bound(live.begin(), live.end(), sd.s,
                         [&](size_t c, Wide s) { return span(c).f < s; }) -
        live.begin());
    if (n == 0) continue;
    size_t c = best[n - 1];
    if (c == d) c = second[n - 1];
    if (c == kNone || !(sd.f < span(c).s)) continue;
    const Span& sc = span(c);
    return Violation({sc.f_op, sc.s_op, sd.f_op, sd.s_op});
  }
  steps_ += static_cast<int64_t>(live.size());
  return std::nullopt;
}

// A cas that returned false cannot sit where the value is its expected
// value e. The value is e from e's write through its reads up to the cas
// that swaps it away, in every linearization (chains are contiguous); so
// if the write or a read of e returned before the cas was called, and a
// read of e or the cas swapping e away was called after it returned, no
// linearization has a place for it.
std::optional<UniqueRegisterResult> Checker::CheckFailures() const {
  if (fails_.empty()) return std::nullopt;
  // first[n]: node n's write and reads (earliest return); last[n]: its
  // reads and the cas that swaps it away (latest call).
  std::vector<Span> first(node_op_.size()), last(node_op_.size());
  first[0].f = kBeforeAll;
  for (size_t i = 0; i < ops_.size(); ++i) {
    if (IsWrite(i)) first[node_of_op_[i]].AddOp(op(i), i);
    if (role_[i] == Role::kRead) first[NodeRead(i)].AddOp(op(i), i);
    if (IsReader(i)) last[NodeRead(i)].AddOp(op(i), i);
  }
  for (size_t i : fails_) {
    const size_t n = NodeOf(*op(i).expected);
    if (n == kNone) continue;
    if (first[n].f < CallOf(op(i)) && last[n].s > ReturnOf(op(i))) {
      return Violation({first[n].f_op, i, last[n].s_op});
    }
  }
  return std::nullopt;
}

// A topological order of the chains under C -> D iff f(C) < s(D) (acyclic
// once CheckCrossings passed). A chain is a source when its s is at most
// every other remaining chain's f; the chain M of least f is one when s(M)
// is at most the second least f, and otherwise the chain of least s other
// than M is one if any is.
bool Checker::OrderChains(std::vector<size_t>& order) const {
  std::set<std::pair<Wide, size_t>> by_f, by_s;
  for (size_t c = 0; c < chains_.size(); ++c) {
    by_f.emplace(chains_[c].span.f, c);
    by_s.emplace(chains_[c].span.s, c);
  }
  while (!by_f.empty()) {
    const auto m = by_f.begin();
    const size_t least_f = m->second;
    const auto m2 = std::next(m);
    const Wide second_f = m2 == by_f.end() ? kAfterAll : m2->first;
    size_t pick = kNone;
    if (chains_[least_f].span.s <= second_f) {
      pick = least_f;
    } else {
      auto y = by_s.begin();
      if (y->second == least_f) ++y;
      if (y != by_s.end() && y->first <= m->first) pick = y->second;
    }
    if (pick == kNone) return false;
    by_f.erase({chains_[pick].span.f, pick});
    by_s.erase({chains_[pick].span.s, pick});
    order.push_back(pick);
  }
  return true;
}

// Inserts every cas that returned false into `base` at the earliest gap
// after every op that returned before it was called (and every earlier
// such cas it must follow), where the value is not its expected value,
// and before every op called after it returned. False when some cas has
// no such gap.
bool Checker::PlaceFailures(const std::vector<size_t>& base,
                            std::vector<size_t>& out) const {
  const size_t m = base.size();
  // max_call[g]: the latest call among base[0, g); min_return[g]: the
  // earliest return among base[g, m). Both nondecreasing in g.
  std::vector<Wide> max_call(m + 1, kBeforeAll), min_return(m + 1, kAfterAll);
  for (size_t p = 0; p < m; ++p) {
    max_call[p + 1] = std::max(max_call[p], CallOf(op(base[p])));
  }
  for (size_t p = m; p-- > 0;) {
    min_return[p] = std::min(min_return[p + 1], ReturnOf(op(base[p])));
  }
  // Gaps [run_first[n], run_last[n]] hold node n's value (gap g is
  // before base[g]).
  std::vector<size_t> run_first(node_op_.size(), kNone);
  std::vector<size_t> run_last(node_op_.size(), kNone);
  size_t current = 0;
  run_first[0] = 0;
  for (size_t p = 0; p < m; ++p) {
    if (!IsWrite(base[p])) continue;
    run_last[current] = p;
    current = node_of_op_[base[p]];
    run_first[current] = p + 1;
  }
  run_last[current] = m;

  std::vector<size_t> fails = fails_;
  std::sort(fails.begin(), fails.end(), [&](size_t a, size_t b) {
    return std::make_pair(op(a).call_ns, a) < std::make_pair(op(b).call_ns, b);
  });
  // Placed cas by return, to find those that precede the next one.
  using Placed = std::pair<Wide, size_t>;  // (return, gap)
  std::priority_queue<Placed, std::vector<Placed>, std::greater<Placed>> placed;
  size_t after = 0;  // The latest gap of a placed cas that precedes this.
  std::vector<std::pair<size_t, size_t>> at;  // (gap, rank in `fails`)
  for (size_t k = 0; k < fails.size(); ++k) {
    const Operation& f = op(fails[k]);
    while (!placed.empty() && placed.top().first < CallOf(f)) {
      after = std::max(after, placed.top().second);
      placed.pop();
    }
    const size_t lo = static_cast<size_t>(
        std::partition_point(min_return.begin(), min_return.end(),
                             [&](Wide r) { return r < CallOf(f); }) -
        min_return.begin());
    const size_t hi =
        static_cast<size_t>(
            std::partition_point(max_call.begin(), max_call.end(),
                                 [&](Wide c) { return c <= ReturnOf(f); }) -
            max_call.begin()) -
        1;
    size_t g = std::max(lo, after);
    const size_t node = NodeOf(*f.expected);
    if (node != kNone && run_first[node] != kNone && run_first[node] <= g &&
        g <= run_last[node]) {
      g = run_last[node] + 1;
    }
    if (g > hi) return false;
    placed.emplace(ReturnOf(f), g);
    at.emplace_back(g, k);
  }
  std::sort(at.begin(), at.end());
  out.clear();
  out.reserve(m + at.size());
  size_t next = 0;
  for (size_t g = 0; g <= m; ++g) {
    for (; next < at.size() && at[next].first == g; ++next) {
      out.push_back(fails[at[next].second]);
    }
    if (g < m) out.push_back(base[g]);
  }
  return true;
}

std::vector<size_t> Checker::Support(std::vector<size_t> core) const {
  std::set<size_t> in;
  std::vector<size_t> work = std::move(core);
  while (true) {
    // Every read in the witness keeps its writer, and so on back to a put
    // or the initial value.
    while (!work.empty()) {
      const size_t i = work.back();
      work.pop_back();
      if (i == kNone || !in.insert(i).second) continue;
      if (!IsReader(i)) continue;
      const size_t w = WriterOf(Observed(i));
      if (w != kInitial && w != kNone) work.push_back(w);
    }
    // An unknown write in the witness must still be forced to take effect
    // there: by a completed reader, or by an unknown cas itself forced.
    absl::flat_hash_set<absl::string_view> read;  // Lookups only.
    std::set<size_t> forced;
    for (bool changed = true; changed;) {
      changed = false;
      for (size_t i : in) {
        if (IsReader(i) && (op(i).completed() || forced.contains(i))) {
          changed |= read.insert(Observed(i)).second;
        }
      }
      for (size_t i : in) {
        if (IsWrite(i) && !op(i).completed() && read.contains(*op(i).value)) {
          changed |= forced.insert(i).second;
        }
      }
    }
    // Add the first reader missing from the chain of readers that forced
    // an unforced one (the chain ends at a completed reader).
    for (size_t i : in) {
      if (IsWrite(i) && !op(i).completed() && !forced.contains(i)) {
        size_t j = forced_by_[i];
        while (j != kNone && in.contains(j)) j = forced_by_[j];
        if (j != kNone) work.push_back(j);
        break;
      }
    }
    if (work.empty()) break;
  }
  return std::vector<size_t>(in.begin(), in.end());
}

UniqueRegisterResult Checker::Violation(std::vector<size_t> core) const {
  UniqueRegisterResult r;
  r.linearizable = false;
  r.witness = Support(std::move(core));
  r.steps = steps_;
  return r;
}

std::optional<UniqueRegisterResult> Checker::Run() {
  if (!Classify()) return std::nullopt;
  if (auto v = Force()) return v;
  if (auto v = BuildChains()) return v;
  if (auto v = CheckChains()) return v;
  if (auto v = CheckCrossings()) return v;
  if (auto v = CheckFailures()) return v;
  std::vector<size_t> order;
  if (!OrderChains(order)) return std::nullopt;
  std::vector<size_t> base;
  base.reserve(seq_.size());
  for (size_t c : order) {
    base.insert(base.end(), seq_.begin() + chains_[c].seq_begin,
                seq_.begin() + chains_[c].seq_end);
  }
  UniqueRegisterResult r;
  if (!PlaceFailures(base, r.linearization)) return std::nullopt;
  steps_ += static_cast<int64_t>(r.linearization.size());
  // Accepted only on a linearization checked from scratch.
  if (!IsLinearization(ops_, r.linearization)) return std::nullopt;
  steps_ += static_cast<int64_t>(r.linearization.size());
  r.steps = steps_;
  return r;
}

}  // namespace

std::optional<UniqueRegisterResult> CheckUniqueRegister(
    const std::vector<const Operation*>& ops) {
  return Checker(ops).Run();
}

bool IsLinearization(const std::vector<const Operation*>& ops,
                     const std::vector<size_t>& order) {
  std::vector<bool> listed(ops.size(), false);
  for (size_t i : order) {
    if (i >= ops.size() || listed[i]) return false;
    listed[i] = true;
  }
  for (size_t i = 0; i < ops.size(); ++i) {
    if (ops[i]->completed() && !listed[i]) return false;
  }
  std::string value;  // Initially "".
  for (size_t i : order) {
    const Operation& op = *ops[i];
    switch (op.kind) {
      case OpKind::kGet:
        if (op.completed() && std::get<std::string>(op.output) != value) {
          return false;
        }
        break;
      case OpKind::kPut:
        value = *op.value;
        break;
      case OpKind::kAppend:
        value += *op.value;
        break;
      case OpKind::kCas: {
        const bool swap = value == *op.expected;
        if (op.completed() && std::get<bool>(op.output) != swap) return false;
        if (swap) value = *op.value;
        break;
      }
    }
  }
  // Real time: no op is listed after one that returned before it was
  // called.
  Wide earliest_later_return = kAfterAll;
  for (size_t k = order.size(); k-- > 0;) {
    const Operation& op = *ops[order[k]];
    if (earliest_later_return < CallOf(op)) return false;
    earliest_later_return = std::min(earliest_later_return, ReturnOf(op));
  }
  return true;
}

}  // namespace raftsim::checkers::internal
