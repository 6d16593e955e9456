// checkers/safety/chain_logs.cc — see chain_logs.h.

#include "checkers/safety/chain_logs.h"

#include <algorithm>

namespace raftsim::checkers {
namespace {

uint64_t Mix(uint64_t h) {
  h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ULL;
  h = (h ^ (h >> 27)) * 0x94d049bb133111ebULL;
  return h ^ (h >> 31);
}

}  // namespace

uint64_t ChainLogs::Chain(uint64_t previous, LogIndex index, Term term,
                          uint64_t digest) {
  uint64_t h = Mix(previous ^ 0x632be59bd9b4e019ULL);
  h = Mix(h ^ index.value());
  h = Mix(h ^ term.value());
  return Mix(h ^ digest);
}

std::optional<uint64_t> ChainLogs::Registered(LogIndex index, Term term) const {
  const auto it = registry_.find({index.value(), term.value()});
  if (it == registry_.end()) return std::nullopt;
  return it->second.chain;
}

uint64_t ChainLogs::Anchor(LogIndex index, Term term) {
  if (index == LogIndex(0)) return kGenesis;
  const auto [it, inserted] = registry_.try_emplace(
      std::pair{index.value(), term.value()},
      // Never seen (cannot happen when snapshots come from observed logs):
      // a fresh anchor, registered so that later logs agree with it.
      Registration{Mix(index.value() * 0x9e3779b97f4a7c15ULL ^ term.value()),
                   -1, true});
  return it->second.chain;
}

void ChainLogs::Update(const ClusterView& view,
                       std::vector<Mismatch>* mismatches) {
  if (mirrors_.size() != view.nodes.size()) {
    mirrors_.resize(view.nodes.size());
    unrecorded_.resize(view.nodes.size());
  }
  view.ForEachTouched([&](int i) {
    const NodeView& node = *view.nodes[i];
    if (!node.up()) {
      mirrors_[i].valid = false;
      return;
    }
    UpdateNode(i, node, mismatches);
  });
}

void ChainLogs::Rebuild(int node, const NodeView& view,
                        std::vector<Mismatch>* out) {
  Mirror& m = mirrors_[node];
  m.valid = true;
  m.incarnation = view.incarnation();
  m.base = view.log_base_index();
  m.slots.clear();
  m.slots.push_back({view.log_base_term(),
                     Anchor(view.log_base_index(), view.log_base_term())});
  AppendFrom(node, view, m.base + 1, out);
}

void ChainLogs::UpdateNode(int node, const NodeView& view,
                           std::vector<Mismatch>* out) {
  Mirror& m = mirrors_[node];
  const Term durable_term = view.durable_hard_state().term;
  if (m.incarnation != view.incarnation()) {
    ForgetUnrecorded(node, durable_term);
  } else if (!unrecorded_[node].empty()) {
    // Pairs of a term the disk now holds are recorded for good.
    Pairs& pairs = unrecorded_[node];
    pairs.erase(std::remove_if(pairs.begin(), pairs.end(),
                               [&](const std::pair<uint64_t, uint64_t>& p) {
                                 return p.second <= durable_term.value();
                               }),
                pairs.end());
  }
  if (!m.valid || m.incarnation != view.incarnation()) {
    Rebuild(node, view, out);
    return;
  }
  const LogIndex base = view.log_base_index();
  if (base != m.base) {
    // Compaction keeps the entry at the new base; a snapshot restore that
    // replaced the log does not.
    if (base < m.base || base > m.last() ||
        m.slots[base - m.base].term != view.log_base_term()) {
      Rebuild(node, view, out);
      return;
    }
    m.slots.erase(m.slots.begin(),
                  m.slots.begin() + static_cast<ptrdiff_t>(base - m.base));
    m.base = base;
  }
  // Keep the longest prefix the hint and the terms say is unchanged.
  LogIndex keep = std::min(m.last(), view.log_last_index());
  const LogIndex changed = view.log_changed_from();
  if (changed <= keep) keep = changed > m.base ? changed - 1 : m.base;
  // Safety net for a wrong hint: a rewritten tail almost always differs in
  // term at the old end.
  while (keep > m.base && m.slots[keep - m.base].term != view.LogTermAt(keep)) {
    keep = keep - 1;
  }
  if (keep < m.base) {
    Rebuild(node, view, out);
    return;
  }
  m.slots.resize(keep - m.base + 1);
  AppendFrom(node, view, keep + 1, out);
}

void ChainLogs::AppendFrom(int node, const NodeView& view, LogIndex from,
                           std::vector<Mismatch>* out) {
  Mirror& m = mirrors_[node];
  for (LogIndex i = from; i <= view.log_last_index(); ++i) {
    const Term term = view.LogTermAt(i);
    const uint64_t chain =
        Chain(m.slots.back().chain, i, term, view.LogDigestAt(i));
    m.slots.push_back({term, chain});
    const std::pair<uint64_t, uint64_t> key{i.value(), term.value()};
    const auto [it, inserted] =
        registry_.try_emplace(key, Registration{chain, node, false});
    if (inserted) {
      if (term > view.durable_hard_state().term) {
        unrecorded_[node].push_back(key);
      }
      continue;
    }
    if (it->second.chain != chain) {
      out->push_back({node, i, term});
    } else if (it->second.first != node) {
      it->second.shared = true;
    }
  }
}

void ChainLogs::ForgetUnrecorded(int node, Term durable_term) {
  for (const std::pair<uint64_t, uint64_t>& key : unrecorded_[node]) {
    if (key.second <= durable_term.value()) continue;
    const auto it = registry_.find(key);
    if (it != registry_.end() && it->second.first == node &&
        !it->second.shared) {
      registry_.erase(it);
    }
  }
  unrecorded_[node].clear();
}

std::optional<uint64_t> ChainLogs::ChainAt(int node, LogIndex index) const {
  if (node < 0 || static_cast<size_t>(node) >= mirrors_.size()) {
    return std::nullopt;
  }
  const Mirror& m = mirrors_[node];
  if (!m.valid || index < m.base || index > m.last()) return std::nullopt;
  return m.slots[index - m.base].chain;
}

}  // namespace raftsim::checkers
