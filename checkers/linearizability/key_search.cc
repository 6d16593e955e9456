// checkers/linearizability/key_search.cc — see key_search.h and
// docs/linearizability.md.

#include "checkers/linearizability/key_search.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/inlined_vector.h"
#include "absl/hash/hash.h"
#include "base/check.h"
#include "checkers/linearizability/string_states.h"

namespace raftsim::checkers::internal {
namespace {

using Outcome = KeySearchResult::Outcome;
constexpr int32_t kJunk = StringStates::kJunk;

// A set of small integers (pending-op slots). Canonical: no trailing zero
// words, so equal sets compare and hash equal.
class Bits {
 public:
  bool Test(size_t i) const {
    return i / 64 < words_.size() && ((words_[i / 64] >> (i % 64)) & 1) != 0;
  }
  void Set(size_t i) {
    if (words_.size() <= i / 64) words_.resize(i / 64 + 1, 0);
    words_[i / 64] |= uint64_t{1} << (i % 64);
  }
  void Clear(size_t i) {
    if (i / 64 >= words_.size()) return;
    words_[i / 64] &= ~(uint64_t{1} << (i % 64));
    while (!words_.empty() && words_.back() == 0) words_.pop_back();
  }
  friend bool operator==(const Bits&, const Bits&) = default;
  template <typename H>
  friend H AbslHashValue(H h, const Bits& b) {
    return H::combine(std::move(h), b.words_);
  }

 private:
  // Two words inline: up to 128 concurrent ops per key without allocating.
  absl::InlinedVector<uint64_t, 2> words_;
};

// Unknown-outcome ops spent so far: (class, count), sorted by class, count>0.
using Used = std::vector<std::pair<int32_t, int32_t>>;

int32_t CountOf(const Used& used, int32_t cls) {
  for (const auto& [c, n] : used) {
    if (c == cls) return n;
  }
  return 0;
}

Used WithOneMore(Used used, int32_t cls) {
  for (auto& [c, n] : used) {
    if (c == cls) {
      ++n;
      return used;
    }
  }
  used.emplace_back(cls, 1);
  std::sort(used.begin(), used.end());
  return used;
}

// a ⊆ b as multisets.
bool SubsetOf(const Used& a, const Used& b) {
  for (const auto& [c, n] : a) {
    if (CountOf(b, c) < n) return false;
  }
  return true;
}

struct Config {
  int32_t state = StringStates::kEmpty;
  Bits linearized;  // Slots of pending completed ops already linearized.
  Used used;
};

// Configurations keyed by (state, linearized), each key holding an antichain
// of `used` sets: a configuration that spent a superset of unknown ops is
// dominated (it can do nothing the other cannot).
class ConfigSet {
 public:
  // Adds `c` unless dominated; returns whether it was added.
  bool Add(const Config& c) {
    std::vector<size_t>& same = index_[Key{c.state, c.linearized}];
    for (size_t i : same) {
      if (alive_[i] && SubsetOf(configs_[i].used, c.used)) return false;
    }
    for (size_t i : same) {
      if (alive_[i] && SubsetOf(c.used, configs_[i].used)) alive_[i] = false;
    }
    same.push_back(configs_.size());
    configs_.push_back(c);
    alive_.push_back(true);
    return true;
  }
  // The surviving configurations, in insertion order (deterministic).
  std::vector<Config> Take() {
    std::vector<Config> out;
    for (size_t i = 0; i < configs_.size(); ++i) {
      if (alive_[i]) out.push_back(std::move(configs_[i]));
    }
    return out;
  }

 private:
  struct Key {
    int32_t state;
    Bits linearized;
    friend bool operator==(const Key&, const Key&) = default;
    template <typename H>
    friend H AbslHashValue(H h, const Key& k) {
      return H::combine(std::move(h), k.state, k.linearized);
    }
  };
  absl::flat_hash_map<Key, std::vector<size_t>> index_;  // Lookups only.
  std::vector<Config> configs_;
  std::vector<bool> alive_;
};

// A completed op, with its arguments mapped to abstract states.
struct Prepared {
  OpKind kind = OpKind::kGet;
  int32_t target = kJunk;    // get: output; put / cas: new value.
  int32_t expected = kJunk;  // cas.
  bool swapped = false;      // cas output.
  std::string suffix;        // append.
};

// The effect of a class of unknown-outcome ops on abstract states. An
// append that can no longer lead to a live state is a put of kJunk.
struct UnknownClass {
  OpKind kind = OpKind::kPut;
  int32_t target = kJunk;
  int32_t expected = kJunk;
  std::string suffix;

  std::tuple<OpKind, int32_t, int32_t, std::string> Key() const {
    return {kind, target, expected, suffix};
  }
};

class KeySearch {
 public:
  KeySearch(const std::vector<const Operation*>& ops, int64_t max_steps);
  KeySearchResult Run();

 private:
  struct Event {
    int64_t time;
    int order;  // 0: call, 1: return (calls first at equal times).
    size_t op;
    bool operator<(const Event& o) const {
      return std::tie(time, order, op) < std::tie(o.time, o.order, o.op);
    }
  };
  using Reach = std::vector<std::pair<int32_t, Used>>;

  void Prepare();
  void ComputeLiveness();
  // `state`, or kJunk when no operation that has not returned before event
  // `horizon_` can tell it from kJunk any more.
  int32_t Live(int32_t state) const {
    return state == kJunk || death_[state] >= horizon_ ? state : kJunk;
  }
  // The class of unknown op `base` as of `horizon_`; false when it can no
  // longer change any live state.
  bool CurrentClass(size_t base, UnknownClass& out) const;
  void Reproject(const std::vector<int32_t>& changed);
  int32_t Apply(const UnknownClass& cls, int32_t state) const;
  void Eager(Config& c) const;
  const Reach& ReachFrom(const Config& c);
  void Successors(const Config& c, size_t slot, std::vector<Config>& out);
  bool AnyUnknownAvailable() const { return num_available_ > 0; }
  bool OnReturn(size_t slot);  // false: violation or budget.
  bool OverBudget() const { return steps_ > max_steps_; }

  const std::vector<const Operation*>& ops_;
  const int64_t max_steps_;
  int64_t steps_ = 0;
  int64_t liveness_rewrites_ = 0;
  StringStates states_;
  std::vector<Event> events_;       // Sorted.
  std::vector<Prepared> prepared_;  // Per op (completed ones).
  // Liveness: death_[node] is the last return event (index into events_)
  // of an operation that can still tell the node's value from kJunk; -1 if
  // none. Before event `horizon_` every dead state has been mapped to kJunk.
  std::vector<int64_t> death_;
  std::vector<bool> dies_at_;  // Per event: some state dies there.
  // Per event: the unknown-op bases whose class may change after it.
  std::vector<std::vector<int32_t>> changes_at_;
  int64_t horizon_ = 0;
  // Unknown-outcome ops: their static classes ("bases"), and the classes
  // they fall into as of `horizon_` (dead states merge classes).
  std::vector<int32_t> base_of_;  // Per op: base or -1.
  std::vector<UnknownClass> bases_;
  std::vector<int64_t> base_death_;      // Per base (appends): as death_.
  std::vector<int32_t> base_available_;  // Per base: called so far.
  std::vector<int32_t> class_of_base_;   // Per base: class or -1 (no-op).
  std::vector<UnknownClass> classes_;    // Never renumbered; may empty.
  std::map<std::tuple<OpKind, int32_t, int32_t, std::string>, int32_t>
      class_ids_;                     // Lookups only.
  std::vector<int32_t> class_bases_;  // Per class: bases in it.
  std::vector<int32_t> available_;    // Per class: called so far.
  std::vector<int32_t> active_;       // Classes with available_ > 0, sorted.
  int64_t num_available_ = 0;         // Sum of available_.
  std::vector<int32_t> slot_op_;      // Slot -> op index, or -1.
  std::vector<Config> frontier_;
  absl::flat_hash_map<std::pair<int32_t, Used>, Reach> reach_cache_;
};

KeySearch::KeySearch(const std::vector<const Operation*>& ops,
                     int64_t max_steps)
    : ops_(ops), max_steps_(max_steps) {
  Prepare();
}

void KeySearch::Prepare() {
  for (size_t i = 0; i < ops_.size(); ++i) {
    const Operation* op = ops_[i];
    if (op->completed()) {
      events_.push_back({op->call_ns, 0, i});
      events_.push_back({*op->return_ns, 1, i});
    } else if (op->kind != OpKind::kGet) {
      events_.push_back({op->call_ns, 0, i});
    }
    if (op->completed() && op->kind == OpKind::kGet) {
      states_.AddObserved(std::get<std::string>(op->output));
    }
    if (op->kind == OpKind::kCas) states_.AddObserved(*op->expected);
  }
  std::sort(events_.begin(), events_.end());
  std::map<std::tuple<OpKind, int32_t, int32_t, std::string>, int32_t> ids;
  for (const Operation* op : ops_) {
    Prepared p;
    p.kind = op->kind;
    if (op->kind == OpKind::kGet && op->completed()) {
      p.target = states_.Of(std::get<std::string>(op->output));
    }
    if (op->kind == OpKind::kPut || op->kind == OpKind::kCas) {
      p.target = states_.Of(*op->value);
    }
    if (op->kind == OpKind::kCas) {
      p.expected = states_.Of(*op->expected);
      if (op->completed()) p.swapped = std::get<bool>(op->output);
    }
    if (op->kind == OpKind::kAppend) p.suffix = *op->value;
    int32_t base = -1;
    if (!op->completed() && op->kind != OpKind::kGet) {
      UnknownClass u;
      u.kind = op->kind;
      u.target = p.target;
      u.expected = p.expected;
      u.suffix = p.suffix;
      auto [it, inserted] =
          ids.try_emplace(u.Key(), static_cast<int32_t>(bases_.size()));
      if (inserted) bases_.push_back(u);
      base = it->second;
    }
    prepared_.push_back(std::move(p));
    base_of_.push_back(base);
  }
  base_available_.assign(bases_.size(), 0);
  ComputeLiveness();
}

// A state v can be told apart from kJunk only by an operation comparing the
// register with an observed string o = v + w, where w is a concatenation of
// appended values (the only way a value grows without being overwritten): a
// completed get or cas that has not returned yet, or an unknown cas
// expecting o whose new value is itself still live. Once every such
// operation has returned, v behaves as kJunk for everything that follows,
// and an unknown op whose only effect was to produce it falls into the class
// of puts of kJunk. See docs/linearizability.md, "Liveness".
void KeySearch::ComputeLiveness() {
  // Appended values -> the unknown-append base of that value, or -1.
  std::map<std::string, int32_t> appended;
  std::set<size_t> lengths;
  for (const Operation* op : ops_) {
    if (op->kind == OpKind::kAppend && !op->value->empty()) {
      appended.try_emplace(*op->value, -1);
      lengths.insert(op->value->size());
    }
  }
  for (size_t b = 0; b < bases_.size(); ++b) {
    if (bases_[b].kind == OpKind::kAppend && !bases_[b].suffix.empty()) {
      appended[bases_[b].suffix] = static_cast<int32_t>(b);
    }
  }
  struct Observed {
    std::string text;
    // The last return event of a completed op observing it, or at which
    // the new value of an unknown cas expecting it is live.
    int64_t death = -1;
    // The nodes o[0, i) with o[i, end) a concatenation of appended values.
    std::vector<int32_t> splits;
    std::vector<size_t> append_bases;  // Unknown appends ending at a split.
  };
  std::vector<Observed> observed;
  absl::flat_hash_map<int32_t, size_t> by_node;  // Lookups only.
  auto observe = [&](const std::string& o) -> Observed& {
    auto [it, inserted] = by_node.try_emplace(states_.Of(o), observed.size());
    if (inserted) {
      observed.emplace_back();
      observed.back().text = o;
    }
    return observed[it->second];
  };
  for (size_t e = 0; e < events_.size(); ++e) {
    const Operation* op = ops_[events_[e].op];
    if (events_[e].order != 1) continue;
    if (op->kind == OpKind::kGet) {
      observe(std::get<std::string>(op->output)).death = e;
    } else if (op->kind == OpKind::kCas) {
      observe(*op->expected).death = e;
    }
  }
  for (const Operation* op : ops_) {
    if (op->kind == OpKind::kCas && !op->completed()) observe(*op->expected);
  }
  for (Observed& o : observed) {
    const std::string& t = o.text;
    std::vector<bool> formable(t.size() + 1, false);
    formable[t.size()] = true;
    for (size_t i = t.size(); i-- > 0;) {
      for (auto it = lengths.begin();
           !formable[i] && it != lengths.end() && i + *it <= t.size(); ++it) {
        formable[i] = formable[i + *it] && appended.contains(t.substr(i, *it));
      }
    }
    int32_t node = StringStates::kEmpty;
    for (size_t i = 0; i <= t.size(); ++i) {
      if (i > 0)
        node = states_.Walk(node, absl::string_view(t).substr(i - 1, 1));
      if (!formable[i]) continue;
      o.splits.push_back(node);
      for (auto it = lengths.begin(); it != lengths.end() && *it <= i; ++it) {
        auto a = appended.find(t.substr(i - *it, *it));
        if (a != appended.end() && a->second >= 0) {
          o.append_bases.push_back(static_cast<size_t>(a->second));
        }
      }
    }
  }
  // A live new value of an unknown cas keeps its expected value live.
  absl::flat_hash_map<int32_t, std::vector<size_t>> cas_by_target;  // Lookups.
  for (const UnknownClass& u : bases_) {
    if (u.kind == OpKind::kCas && u.target != kJunk) {
      cas_by_target[u.target].push_back(by_node.at(u.expected));
    }
  }
  death_.assign(states_.num_nodes(), -1);
  std::vector<size_t> work;
  for (size_t k = 0; k < observed.size(); ++k) work.push_back(k);
  while (!work.empty()) {
    const Observed& o = observed[work.back()];
    work.pop_back();
    for (int32_t node : o.splits) {
      if (death_[node] >= o.death) continue;
      death_[node] = o.death;
      auto it = cas_by_target.find(node);
      if (it == cas_by_target.end()) continue;
      for (size_t k : it->second) {
        if (observed[k].death < o.death) {
          observed[k].death = o.death;
          work.push_back(k);
        }
      }
    }
  }
  base_death_.assign(bases_.size(), -1);
  for (const Observed& o : observed) {
    for (size_t b : o.append_bases) {
      base_death_[b] = std::max(base_death_[b], o.death);
    }
  }
  dies_at_.assign(events_.size(), false);
  for (int64_t d : death_) {
    if (d >= 0) dies_at_[d] = true;
  }
  changes_at_.assign(events_.size(), {});
  for (size_t b = 0; b < bases_.size(); ++b) {
    const UnknownClass& u = bases_[b];
    std::vector<int64_t> when;
    if (u.kind == OpKind::kAppend) when.push_back(base_death_[b]);
    if (u.kind != OpKind::kAppend && u.target != kJunk) {
      when.push_back(death_[u.target]);
    }
    if (u.kind == OpKind::kCas) when.push_back(death_[u.expected]);
    for (int64_t d : when) {
      if (d >= 0) changes_at_[d].push_back(static_cast<int32_t>(b));
    }
  }
}

bool KeySearch::CurrentClass(size_t base, UnknownClass& out) const {
  const UnknownClass& u = bases_[base];
  out = UnknownClass();  // A put of kJunk.
  switch (u.kind) {
    case OpKind::kPut:
      out.target = Live(u.target);
      return true;
    case OpKind::kAppend:
      if (u.suffix.empty()) return false;
      if (base_death_[base] >= horizon_) out = u;
      return true;
    case OpKind::kCas:
      out = u;
      out.target = Live(u.target);
      return Live(u.expected) != kJunk && out.target != u.expected;
    case OpKind::kGet:
      break;
  }
  return false;
}

// Maps dead states to kJunk and moves the unknown ops in `changed` (those
// whose class may change at this horizon) to their current classes, in the
// frontier too. Classes only ever merge (a dead state stays dead): a class
// holding several ops expects or writes only dead values but one, so all of
// its ops move together, and each old class has one new class.
void KeySearch::Reproject(const std::vector<int32_t>& changed) {
  std::map<int32_t, int32_t> remap;  // Old class -> new class, or -1.
  for (const int32_t b : changed) {
    const int32_t old = class_of_base_[b];
    UnknownClass u;
    int32_t id = -1;
    if (CurrentClass(b, u)) {
      auto [it, inserted] = class_ids_.try_emplace(
          u.Key(), static_cast<int32_t>(classes_.size()));
      if (inserted) {
        classes_.push_back(std::move(u));
        available_.push_back(0);
        class_bases_.push_back(0);
      }
      id = it->second;
    }
    if (id == old) continue;
    if (old >= 0) {
      available_[old] -= base_available_[b];
      num_available_ -= base_available_[b];
      --class_bases_[old];
      auto [it, inserted] = remap.try_emplace(old, id);
      CHECK(inserted || it->second == id);
    }
    if (id >= 0) {
      available_[id] += base_available_[b];
      num_available_ += base_available_[b];
      ++class_bases_[id];
    }
    class_of_base_[b] = id;
  }
  for (const auto& [old, id] : remap) CHECK_EQ(class_bases_[old], 0);
  reach_cache_.clear();
  if (!remap.empty()) {
    active_.clear();
    for (int32_t cls = 0; cls < static_cast<int32_t>(classes_.size()); ++cls) {
      if (available_[cls] > 0) active_.push_back(cls);
    }
  }
  const bool same_states =
      std::all_of(frontier_.begin(), frontier_.end(),
                  [&](const Config& c) { return Live(c.state) == c.state; });
  if (remap.empty() && same_states) return;  // The frontier stands.
  ConfigSet set;
  for (Config& c : frontier_) {
    const int32_t state = Live(c.state);
    Used used;
    for (const auto& [cls, n] : c.used) {
      auto it = remap.find(cls);
      const int32_t to = it == remap.end() ? cls : it->second;
      if (to >= 0) used.emplace_back(to, n);
    }
    std::sort(used.begin(), used.end());
    Used merged;
    for (const auto& [cls, n] : used) {
      if (!merged.empty() && merged.back().first == cls) {
        merged.back().second += n;
      } else {
        merged.emplace_back(cls, n);
      }
    }
    if (horizon_ > 0 && (state != c.state || merged != c.used)) {
      ++liveness_rewrites_;
    }
    c.state = state;
    c.used = std::move(merged);
    set.Add(c);
  }
  frontier_ = set.Take();
}

int32_t KeySearch::Apply(const UnknownClass& cls, int32_t state) const {
  switch (cls.kind) {
    case OpKind::kPut:
      return cls.target;
    case OpKind::kAppend:
      return Live(states_.Walk(state, cls.suffix));
    case OpKind::kCas:
      return state == cls.expected ? cls.target : state;
    case OpKind::kGet:
      break;
  }
  return state;
}

// Linearizes every pending op that only observes the state and is legal in
// it: a configuration with it linearized dominates one without.
void KeySearch::Eager(Config& c) const {
  for (size_t slot = 0; slot < slot_op_.size(); ++slot) {
    if (slot_op_[slot] < 0 || c.linearized.Test(slot)) continue;
    const Prepared& p = prepared_[slot_op_[slot]];
    const bool observer_ok =
        (p.kind == OpKind::kGet && c.state == p.target) ||
        (p.kind == OpKind::kCas && !p.swapped && c.state != p.expected);
    if (observer_ok) c.linearized.Set(slot);
  }
}

// Every (state, used) reachable from `c` by a chain of available unknown
// ops, with dominated `used` sets removed; includes (c.state, c.used).
const KeySearch::Reach& KeySearch::ReachFrom(const Config& c) {
  auto [it, inserted] = reach_cache_.try_emplace({c.state, c.used});
  if (!inserted) return it->second;
  Reach nodes = {{c.state, c.used}};
  std::vector<bool> alive = {true};
  absl::flat_hash_map<int32_t, std::vector<size_t>> by_state;  // Lookups.
  by_state[c.state].push_back(0);
  for (size_t i = 0; i < nodes.size() && !OverBudget(); ++i) {
    if (!alive[i]) continue;
    for (const int32_t cls : active_) {
      if (CountOf(nodes[i].second, cls) >= available_[cls]) continue;
      const int32_t next = Apply(classes_[cls], nodes[i].first);
      if (next == nodes[i].first) continue;
      ++steps_;
      Used used = WithOneMore(nodes[i].second, cls);
      std::vector<size_t>& same = by_state[next];
      bool dominated = false;
      for (size_t j : same)
        dominated |= alive[j] && SubsetOf(nodes[j].second, used);
      if (dominated) continue;
      for (size_t j : same) {
        if (alive[j] && SubsetOf(used, nodes[j].second)) alive[j] = false;
      }
      same.push_back(nodes.size());
      nodes.emplace_back(next, std::move(used));
      alive.push_back(true);
    }
  }
  Reach& out = it->second;
  for (size_t i = 0; i < nodes.size(); ++i) {
    if (alive[i]) out.push_back(std::move(nodes[i]));
  }
  return out;
}

// The configurations after linearizing the op in `slot` next, preceded by a
// chain of unknown ops only where that chain changes the op's legality or
// its result (see docs/linearizability.md, "normal form").
void KeySearch::Successors(const Config& c, size_t slot,
                           std::vector<Config>& out) {
  const Prepared& p = prepared_[slot_op_[slot]];
  Bits lin = c.linearized;
  lin.Set(slot);
  auto emit = [&](int32_t state, const Used& used) {
    out.push_back(Config{state, lin, used});
  };
  switch (p.kind) {
    case OpKind::kPut:
      emit(Live(p.target), c.used);
      return;
    case OpKind::kGet:  // Not legal in c.state, or Eager would have taken it.
      if (!AnyUnknownAvailable()) return;
      for (const auto& [t, used] : ReachFrom(c)) {
        if (t == p.target) emit(t, used);
      }
      return;
    case OpKind::kCas:
      if (p.swapped) {
        if (c.state == p.expected) {
          emit(Live(p.target), c.used);
          return;
        }
        if (!AnyUnknownAvailable()) return;
        for (const auto& [t, used] : ReachFrom(c)) {
          if (t == p.expected) emit(Live(p.target), used);
        }
      } else {  // c.state == expected, or Eager would have taken it.
        if (!AnyUnknownAvailable()) return;
        for (const auto& [t, used] : ReachFrom(c)) {
          if (t != p.expected) emit(t, used);
        }
      }
      return;
    case OpKind::kAppend: {
      const int32_t plain = Live(states_.Walk(c.state, p.suffix));
      emit(plain, c.used);
      if (!AnyUnknownAvailable()) return;
      for (const auto& [t, used] : ReachFrom(c)) {
        const int32_t via = Live(states_.Walk(t, p.suffix));
        if (t != c.state && via != plain) emit(via, used);
      }
      return;
    }
  }
}

// Advances the frontier to the configurations in which the op in `slot`,
// which returns now, has been linearized.
bool KeySearch::OnReturn(size_t slot) {
  ConfigSet seen;
  ConfigSet done;
  std::vector<Config> stack;
  for (Config& c : frontier_) {
    if (c.linearized.Test(slot)) {
      done.Add(c);
    } else if (seen.Add(c)) {
      stack.push_back(std::move(c));
    }
  }
  std::vector<Config> next;
  while (!stack.empty()) {
    if (++steps_ > max_steps_) return false;
    const Config c = std::move(stack.back());
    stack.pop_back();
    for (size_t j = 0; j < slot_op_.size(); ++j) {
      if (slot_op_[j] < 0 || c.linearized.Test(j)) continue;
      next.clear();
      Successors(c, j, next);
      for (Config& n : next) {
        Eager(n);
        if (n.linearized.Test(slot)) {
          done.Add(n);
        } else if (seen.Add(n)) {
          stack.push_back(std::move(n));
        }
      }
    }
  }
  frontier_ = done.Take();
  for (Config& c : frontier_) c.linearized.Clear(slot);
  slot_op_[slot] = -1;
  return !frontier_.empty() && !OverBudget();
}

KeySearchResult KeySearch::Run() {
  frontier_ = {Config{}};
  class_of_base_.assign(bases_.size(), -1);
  std::vector<int32_t> all(bases_.size());
  for (size_t b = 0; b < bases_.size(); ++b) all[b] = static_cast<int32_t>(b);
  Reproject(all);
  std::vector<size_t> slot_of(ops_.size(), 0);
  for (size_t k = 0; k < events_.size(); ++k) {
    const Event& e = events_[k];
    horizon_ = static_cast<int64_t>(k);
    if (e.order == 0 && base_of_[e.op] >= 0) {
      const int32_t base = base_of_[e.op];
      ++base_available_[base];
      const int32_t cls = class_of_base_[base];
      if (cls >= 0) {
        if (available_[cls]++ == 0) {
          active_.insert(std::lower_bound(active_.begin(), active_.end(), cls),
                         cls);
        }
        ++num_available_;
      }
      reach_cache_.clear();
      continue;
    }
    if (e.order == 0) {
      auto free = std::find(slot_op_.begin(), slot_op_.end(), -1);
      if (free == slot_op_.end()) free = slot_op_.insert(free, -1);
      *free = static_cast<int32_t>(e.op);
      slot_of[e.op] = free - slot_op_.begin();
      ConfigSet set;
      for (Config& c : frontier_) {
        Eager(c);
        set.Add(c);
      }
      frontier_ = set.Take();
      continue;
    }
    if (!OnReturn(slot_of[e.op])) {
      if (OverBudget()) {
        return {Outcome::kBudgetExhausted, 0, steps_, liveness_rewrites_};
      }
      return {Outcome::kViolation, e.op, steps_, liveness_rewrites_};
    }
    if (dies_at_[k] || !changes_at_[k].empty()) {
      horizon_ = static_cast<int64_t>(k) + 1;
      Reproject(changes_at_[k]);
    }
  }
  return {Outcome::kLinearizable, 0, steps_, liveness_rewrites_};
}

}  // namespace

KeySearchResult CheckKey(const std::vector<const Operation*>& ops,
                         int64_t max_steps) {
  return KeySearch(ops, max_steps).Run();
}

}  // namespace raftsim::checkers::internal
