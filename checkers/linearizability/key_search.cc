// checkers/linearizability/key_search.cc — see key_search.h and
// docs/linearizability.md.

#include "checkers/linearizability/key_search.h"

#include <algorithm>
#include <map>
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

// The effect of a class of unknown-outcome ops on abstract states.
struct UnknownClass {
  OpKind kind = OpKind::kPut;  // Also covers "always junk" appends too.
  int32_t target = kJunk;
  int32_t expected = kJunk;
  std::string suffix;
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
  StringStates states_;
  std::vector<Prepared> prepared_;  // Per op (completed ones).
  std::vector<int32_t> class_of_;   // Per op: unknown class or -1.
  std::vector<UnknownClass> classes_;
  std::vector<int32_t> available_;  // Per class: called so far.
  int64_t num_available_ = 0;       // Sum of available_.
  std::vector<int32_t> slot_op_;    // Slot -> op index, or -1.
  std::vector<Config> frontier_;
  absl::flat_hash_map<std::pair<int32_t, Used>, Reach> reach_cache_;
};

KeySearch::KeySearch(const std::vector<const Operation*>& ops,
                     int64_t max_steps)
    : ops_(ops), max_steps_(max_steps) {
  Prepare();
}

void KeySearch::Prepare() {
  for (const Operation* op : ops_) {
    if (op->completed() && op->kind == OpKind::kGet) {
      states_.AddObserved(std::get<std::string>(op->output));
    }
    if (op->kind == OpKind::kCas) states_.AddObserved(*op->expected);
  }
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
    int32_t cls = -1;
    if (!op->completed() && op->kind != OpKind::kGet) {
      UnknownClass u;
      u.kind = op->kind;
      u.target = p.target;
      u.expected = p.expected;
      u.suffix = p.suffix;
      if (op->kind != OpKind::kCas) u.expected = kJunk;
      if (op->kind == OpKind::kAppend && states_.AlwaysJunk(p.suffix)) {
        u = UnknownClass();
        u.kind = OpKind::kPut;
      }
      auto [it, inserted] = ids.try_emplace(
          std::make_tuple(u.kind, u.target, u.expected, u.suffix),
          static_cast<int32_t>(classes_.size()));
      if (inserted) classes_.push_back(u);
      cls = it->second;
    }
    prepared_.push_back(std::move(p));
    class_of_.push_back(cls);
  }
  available_.assign(classes_.size(), 0);
}

int32_t KeySearch::Apply(const UnknownClass& cls, int32_t state) const {
  switch (cls.kind) {
    case OpKind::kPut:
      return cls.target;
    case OpKind::kAppend:
      return states_.Walk(state, cls.suffix);
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
    for (int32_t cls = 0; cls < static_cast<int32_t>(classes_.size()); ++cls) {
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
      emit(p.target, c.used);
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
          emit(p.target, c.used);
          return;
        }
        if (!AnyUnknownAvailable()) return;
        for (const auto& [t, used] : ReachFrom(c)) {
          if (t == p.expected) emit(p.target, used);
        }
      } else {  // c.state == expected, or Eager would have taken it.
        if (!AnyUnknownAvailable()) return;
        for (const auto& [t, used] : ReachFrom(c)) {
          if (t != p.expected) emit(t, used);
        }
      }
      return;
    case OpKind::kAppend: {
      const int32_t plain = states_.Walk(c.state, p.suffix);
      emit(plain, c.used);
      if (!AnyUnknownAvailable()) return;
      for (const auto& [t, used] : ReachFrom(c)) {
        const int32_t via = states_.Walk(t, p.suffix);
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
  std::vector<Event> events;
  for (size_t i = 0; i < ops_.size(); ++i) {
    if (ops_[i]->completed()) {
      events.push_back({ops_[i]->call_ns, 0, i});
      events.push_back({*ops_[i]->return_ns, 1, i});
    } else if (class_of_[i] >= 0) {
      events.push_back({ops_[i]->call_ns, 0, i});
    }
  }
  std::sort(events.begin(), events.end());
  frontier_ = {Config{}};
  std::vector<size_t> slot_of(ops_.size(), 0);
  for (const Event& e : events) {
    if (e.order == 0 && class_of_[e.op] >= 0) {
      ++available_[class_of_[e.op]];
      ++num_available_;
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
      if (OverBudget()) return {Outcome::kBudgetExhausted, 0, steps_};
      return {Outcome::kViolation, e.op, steps_};
    }
  }
  return {Outcome::kLinearizable, 0, steps_};
}

}  // namespace

KeySearchResult CheckKey(const std::vector<const Operation*>& ops,
                         int64_t max_steps) {
  return KeySearch(ops, max_steps).Run();
}

}  // namespace raftsim::checkers::internal
