// sim/scenario/scenario.h — scenario files (scenarios/*.scn): a cluster, its
// options and an exact, timed schedule of faults and operations, plus what the
// run is expected to show.
//
// The language is documented in scenarios/README.md (grammar, every action
// and option, examples). In short:
//
//   nodes 5                          # first line: cluster size, 1..9
//   seed 42                          # optional
//   option pre_vote=off              # typed options (see ScenarioOptions())
//   at 150ms partition {1,2} {3,4,5}
//   at 1s    heal
//   end 3s
//   heal-phase 2s
//   expect no-violation
//
// This unit is pure parsing and printing: it depends on base/, Abseil and
// the option table (sim/world/options.h) only, never on raft/ or the rest
// of sim/, so the simulator, the shrinker and the CLI can all use it. Parse
// errors are statuses, never CHECKs:
// "file:line:col: expected <what>, found <what>" (line and column 1-based,
// the column counted in bytes), one line, no newline.
//
// Canonical form: FormatScenario prints a Scenario so that
// ParseScenario(FormatScenario(s)) == s (RapidCheck-tested), which lets the
// shrinker write the scenarios it minimises.
//
// Value types and free functions; thread-compatible.

#ifndef RAFTSIM_SIM_SCENARIO_SCENARIO_H_
#define RAFTSIM_SIM_SCENARIO_SCENARIO_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "base/strong_id.h"

namespace raftsim::sim {

// Limits on what a file may say. Everything is bounded (docs/design.md, "Bound
// everything").
inline constexpr int kScenarioMaxNodes = 9;     // Matches SimOptions.
inline constexpr int kScenarioMaxClients = 64;  // Client ids 1..64.
inline constexpr int64_t kScenarioMaxTimeUs = int64_t{1'000'000} * 1'000'000;
inline constexpr size_t kScenarioMaxBytes = size_t{1} << 20;  // File size.
inline constexpr size_t kScenarioMaxValueBytes = 4096;        // Key, value.
inline constexpr size_t kScenarioMaxActions = 100'000;
inline constexpr int64_t kPpmPerUnit = 1'000'000;  // Probability 1.0.

// A set of nodes as written, sorted ascending, no duplicates.
using NodeSet = std::vector<NodeId>;

// ---- Actions (one per `at` line). Node ids are as written, 1..nodes. ----

// Symmetric partition: no message crosses between two different groups.
// Invariant: >= 2 non-empty, pairwise disjoint groups covering every node
// (a file may list one group; the parser adds "the rest" as the second).
struct Partition {
  std::vector<NodeSet> groups;
  bool operator==(const Partition&) const = default;
};
// Asymmetric partition: messages from `from` to `to` are dropped; messages
// from `to` to `from` still arrive. Links outside from x to are untouched.
// Invariant: both non-empty and disjoint.
struct PartitionOneWay {
  NodeSet from;
  NodeSet to;
  bool operator==(const PartitionOneWay&) const = default;
};
// `node` is cut off from everyone, both directions.
struct Isolate {
  NodeId node;
  bool operator==(const Isolate&) const = default;
};
// `left` and `right` are cut from each other; `bridge` talks to both.
// Invariant: {bridge}, left, right are non-empty, disjoint and cover all.
struct Bridge {
  NodeId bridge;
  NodeSet left;
  NodeSet right;
  bool operator==(const Bridge&) const = default;
};
// Full connectivity again, and every per-link rule removed.
struct Heal {
  bool operator==(const Heal&) const = default;
};
// Stops the node; everything not yet durable on its disk is lost.
struct Crash {
  NodeId node;
  bool operator==(const Crash&) const = default;
};
// Starts a crashed node again from its durable state.
struct Restart {
  NodeId node;
  bool operator==(const Restart&) const = default;
};
// Freezes the node (a GC-like stall): its timers and deliveries wait.
// With `for_us`, it resumes by itself that long after the pause.
struct Pause {
  NodeId node;
  std::optional<int64_t> for_us;
  bool operator==(const Pause&) const = default;
};
struct Resume {
  NodeId node;
  bool operator==(const Resume&) const = default;
};
// A directed link; kNoNode on either side is the wildcard `*` (any node).
struct Link {
  NodeId from;
  NodeId to;
  bool operator==(const Link&) const = default;
};
// Per-link rules; a later rule for the same link replaces an earlier one,
// and a zero value removes it.
struct Drop {  // Each message on the link is dropped with probability ppm/1e6.
  Link link;
  int64_t ppm = 0;
  bool operator==(const Drop&) const = default;
};
struct Delay {  // Each message on the link takes `us` longer.
  Link link;
  int64_t us = 0;
  bool operator==(const Delay&) const = default;
};
struct Duplicate {  // Each message is delivered twice with probability ppm/1e6.
  Link link;
  int64_t ppm = 0;
  bool operator==(const Duplicate&) const = default;
};
// The link holds every message sent on it for `us` from now, then delivers
// them together; replaces an earlier clog of the link, and 0 lifts it.
struct Clog {
  Link link;
  int64_t us = 0;
  bool operator==(const Clog&) const = default;
};
// A client operation against the key-value state machine. Client ids are
// 1..kScenarioMaxClients, independent of node ids.
enum class ClientOpKind : uint8_t { kGet, kPut, kAppend, kCas };
struct ClientOp {
  int client = 1;
  ClientOpKind kind = ClientOpKind::kGet;
  std::string key;
  std::string value;     // put/append: the value; cas: the new value.
  std::string expected;  // cas only: the value it must replace.
  bool operator==(const ClientOp&) const = default;
};
// Raw bytes proposed directly at `node` (bypassing the client layer).
struct Propose {
  NodeId node;
  std::string data;
  bool operator==(const Propose&) const = default;
};
// `node` starts an election now (as if its election timer fired).
struct Campaign {
  NodeId node;
  bool operator==(const Campaign&) const = default;
};
// Membership (docs/membership.md, "Driving membership from scenarios").
// Requests go to `via` when given, else to whoever leads when the action
// runs; a request nobody can take (no leader, `via` down, refused by the
// core) is skipped and noted in the trace, never a CHECK.
enum class MemberOp : uint8_t {
  kAddVoter,    // `add-voter N`
  kAddLearner,  // `add-learner N`
  kPromote,     // `promote N`: learner -> voter.
  kDemote,      // `demote N`: voter -> learner.
  kRemove,      // `remove N`: drops a voter or a learner.
};
struct MemberChange {
  MemberOp op = MemberOp::kAddVoter;
  NodeId node;
  bool operator==(const MemberChange&) const = default;
};
// How a ChangeMembership is applied.
enum class ChangeMode : uint8_t {
  kSingle,     // One single-server change: `add-voter 4`.
  kJoint,      // `joint add-voter 4, remove 1`: through ⟨C_old, C_new⟩,
               // left automatically once the joint entry commits.
  kEnterJoint  // `enter-joint ...`: joint, kept until `leave-joint`.
};
// Invariant: kSingle has exactly one change; the joint modes at least one,
// on pairwise different nodes (at most kScenarioMaxNodes).
struct ChangeMembership {
  ChangeMode mode = ChangeMode::kSingle;
  std::vector<MemberChange> changes;
  std::optional<NodeId> via;
  bool operator==(const ChangeMembership&) const = default;
};
// `leave-joint [via N]`: the explicit LeaveJoint change.
struct LeaveJoint {
  std::optional<NodeId> via;
  bool operator==(const LeaveJoint&) const = default;
};
// `transfer N [via M]`: leadership transfer to N (TimeoutNow).
struct TransferLeader {
  NodeId target;
  std::optional<NodeId> via;
  bool operator==(const TransferLeader&) const = default;
};
// `bootstrap N {voters} [learners {learners}]`: gives the uninitialised
// node N its first configuration. Invariant: voters non-empty; learners
// disjoint from voters (possibly empty).
struct Bootstrap {
  NodeId node;
  NodeSet voters;
  NodeSet learners;
  bool operator==(const Bootstrap&) const = default;
};

using Action =
    std::variant<Partition, PartitionOneWay, Isolate, Bridge, Heal, Crash,
                 Restart, Pause, Resume, Drop, Delay, Duplicate, Clog, ClientOp,
                 Propose, Campaign, ChangeMembership, LeaveJoint,
                 TransferLeader, Bootstrap>;

// The scenario's name of a MemberOp ("add-voter", ...).
const char* MemberOpName(MemberOp op);

// The canonical text of one action, without `at <time>`, e.g.
// "partition {1,2} {3,4,5}". Deterministic; used by traces and logs.
std::string DescribeAction(const Action& action);

struct TimedAction {
  int64_t at_us = 0;
  Action action;
  // The line it came from (0 when built in code), so the simulator can
  // point at the file when it rejects an action. Not part of equality.
  int line = 0;

  bool operator==(const TimedAction& o) const {
    return at_us == o.at_us && action == o.action;
  }
};

// What a run of the scenario is expected to show.
enum class ExpectedResult : uint8_t { kOk, kSafety, kLiveness, kHang };
struct Expectations {
  bool no_violation = false;             // `expect no-violation`
  std::optional<std::string> violation;  // `expect violation <checker>`
  std::optional<int64_t> leader_by_us;   // `expect leader by <time>`
  std::optional<ExpectedResult> result;  // `expect result ok|safety|liveness`
  bool operator==(const Expectations&) const = default;
};

struct Scenario {
  int nodes = 3;                 // Node ids are 1..nodes.
  std::optional<uint64_t> seed;  // `seed N`; --seed overrides it.
  // Option name -> value, in the units of sim/world/options.h (booleans 0/1,
  // probabilities in ppm, durations in the unit the name ends with).
  // Names are canonical (aliases resolved); see ScenarioOptions().
  std::map<std::string, int64_t> options;
  // Sorted by time; actions at the same time keep their file order.
  std::vector<TimedAction> schedule;
  std::optional<int64_t> end_us;         // `end <time>`: fault phase ends.
  std::optional<int64_t> heal_phase_us;  // `heal-phase <duration>`.
  Expectations expect;

  bool operator==(const Scenario&) const = default;

  // One deterministic line, e.g. "5 nodes, seed 42, 2 options, 7 actions
  // over 0s..3s, end 3s, heal-phase 2s, expect no-violation".
  std::string Describe() const;
};

// The options a scenario may set (`option name=value`): built from the
// simulator's option table (OptionTable(), sim/world/options.h) minus
// `nodes` (which is the `nodes` line), plus aliases.
enum class OptionType : uint8_t {
  kBool,         // on|off|true|false|1|0 -> 1/0; printed on|off.
  kInt,          // A decimal integer in [min, max].
  kProbability,  // An alias taking 0..1 (up to 6 decimals), stored as ppm.
};
struct OptionSpec {
  const char* name;       // As written in the file.
  const char* canonical;  // The name stored (differs for aliases).
  OptionType type;
  int64_t min;
  int64_t max;
};
// Every known option (aliases last), in documentation order.
const std::vector<OptionSpec>& ScenarioOptions();

// Parses a scenario. `filename` only labels error messages.
absl::StatusOr<Scenario> ParseScenario(absl::string_view text,
                                       absl::string_view filename);

// Reads and parses the file at `path`. NotFound if it cannot be read.
absl::StatusOr<Scenario> ReadScenarioFile(const std::string& path);

// The canonical text of `s` (ends in a newline).
// REQUIRES: s satisfies the invariants the parser enforces.
std::string FormatScenario(const Scenario& s);

// "150ms", "2s", "1500us": the largest unit that divides `us` exactly.
std::string FormatDuration(int64_t us);

}  // namespace raftsim::sim

#endif  // RAFTSIM_SIM_SCENARIO_SCENARIO_H_
