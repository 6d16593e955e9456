// checkers/linearizability/unique_register.cc — see unique_register.h and
// docs/linearizability.md ("Unique-value registers").

#include "checkers/linearizability/unique_register.h"

#include <algorithm>
#include <limits>
#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"

namespace raftsim::checkers::internal {
namespace {

// Times widened so that the virtual initial write can return strictly
// before any real call, and an unknown put strictly after any real call,
// whatever int64 values the history uses.
using Wide = __int128;
constexpr Wide kBeforeAll = Wide{std::numeric_limits<int64_t>::min()} - 1;
constexpr Wide kAfterAll = Wide{std::numeric_limits<int64_t>::max()} + 1;
constexpr size_t kNone = static_cast<size_t>(-1);

Wide ReturnOf(const Operation& op) {
  return op.return_ns ? Wide{*op.return_ns} : kAfterAll;
}

// A write and the reads of its value. f: the earliest return, s: the
// latest call, with the ops that attain them (kNone for the virtual write).
struct Block {
  size_t writer = kNone;
  Wide f = kAfterAll;
  size_t f_op = kNone;
  Wide s = kBeforeAll;
  size_t s_op = kNone;
  bool read = false;

  void Add(const Operation& op, size_t i) {
    if (ReturnOf(op) < f) {
      f = ReturnOf(op);
      f_op = i;
    }
    if (Wide{op.call_ns} > s) {
      s = op.call_ns;
      s_op = i;
    }
  }
};

UniqueRegisterResult Violation(std::vector<size_t> witness, int64_t steps) {
  witness.erase(std::remove(witness.begin(), witness.end(), kNone),
                witness.end());
  std::sort(witness.begin(), witness.end());
  witness.erase(std::unique(witness.begin(), witness.end()), witness.end());
  return {false, std::move(witness), steps};
}

}  // namespace

std::optional<UniqueRegisterResult> CheckUniqueRegister(
    const std::vector<const Operation*>& ops) {
  // Block 0 is the virtual initial write of "": it returns before all.
  std::vector<Block> blocks(1);
  blocks[0].f = kBeforeAll;
  absl::flat_hash_map<std::string, size_t> block_of;  // Lookups only.
  for (size_t i = 0; i < ops.size(); ++i) {
    const Operation& op = *ops[i];
    if (op.kind == OpKind::kAppend || op.kind == OpKind::kCas) {
      return std::nullopt;
    }
    if (op.kind != OpKind::kPut) continue;
    if (op.value->empty()) return std::nullopt;
    if (!block_of.try_emplace(*op.value, blocks.size()).second) {
      return std::nullopt;
    }
    blocks.emplace_back().writer = i;
  }
  int64_t steps = static_cast<int64_t>(ops.size());
  for (size_t i = 0; i < ops.size(); ++i) {
    const Operation& op = *ops[i];
    if (op.kind != OpKind::kGet || !op.completed()) continue;
    const std::string& v = std::get<std::string>(op.output);
    size_t b = 0;
    if (!v.empty()) {
      const auto it = block_of.find(v);
      // (1) A read of a value nobody wrote is a violation on its own.
      if (it == block_of.end()) return Violation({i}, steps);
      b = it->second;
    }
    Block& block = blocks[b];
    // (2) The read returned before its writer was called.
    if (b != 0 && ReturnOf(op) < Wide{ops[block.writer]->call_ns}) {
      return Violation({block.writer, i}, steps);
    }
    block.read = true;
    block.Add(op, i);
  }
  // Writers join their blocks; an unknown put nobody read is dropped.
  std::vector<size_t> live;
  for (size_t b = 0; b < blocks.size(); ++b) {
    Block& block = blocks[b];
    if (b == 0) {
      if (block.read) live.push_back(b);
      continue;
    }
    const Operation& writer = *ops[block.writer];
    if (!writer.completed() && !block.read) continue;
    block.Add(writer, block.writer);
    live.push_back(b);
  }
  steps += static_cast<int64_t>(live.size());
  // (3) Blocks sorted by f; for each block D, the largest s among blocks
  // C != D with f(C) < s(D) decides whether some C also has f(D) < s(C).
  std::sort(live.begin(), live.end(), [&](size_t a, size_t b) {
    return std::make_pair(blocks[a].f, a) < std::make_pair(blocks[b].f, b);
  });
  // best[k], second[k]: the blocks of largest s among live[0..k], distinct.
  std::vector<size_t> best(live.size()), second(live.size(), kNone);
  for (size_t k = 0; k < live.size(); ++k) {
    const size_t c = live[k];
    if (k == 0) {
      best[k] = c;
      continue;
    }
    best[k] = best[k - 1];
    second[k] = second[k - 1];
    if (blocks[c].s > blocks[best[k]].s) {
      second[k] = best[k];
      best[k] = c;
    } else if (second[k] == kNone || blocks[c].s > blocks[second[k]].s) {
      second[k] = c;
    }
  }
  for (size_t d : live) {
    const Block& bd = blocks[d];
    // Blocks live[0..n) have f < s(D).
    const size_t n = static_cast<size_t>(
        std::lower_bound(live.begin(), live.end(), bd.s,
                         [&](size_t c, Wide s) { return blocks[c].f < s; }) -
        live.begin());
    if (n == 0) continue;
    size_t c = best[n - 1];
    if (c == d) c = second[n - 1];
    if (c == kNone || !(bd.f < blocks[c].s)) continue;
    const Block& bc = blocks[c];
    return Violation({bc.writer, bc.f_op, bc.s_op, bd.writer, bd.f_op, bd.s_op},
                     steps);
  }
  return UniqueRegisterResult{true, {}, steps};
}

}  // namespace raftsim::checkers::internal
