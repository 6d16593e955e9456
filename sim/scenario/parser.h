// sim/scenario/parser.h — internal to //sim/scenario (sim/scenario/scenario.h
// is the API). The parser of the scenario language: the text is split into
// lines, each line tokenised on its own (LineLexer, sim/scenario/lexer.h) and
// parsed as one statement. There is no recursive descent: every statement
// is a fixed shape, so each is one function reading tokens left to right.
//
// Statements and expectations: sim/scenario/parser.cc. Actions and their
// operands (nodes, sets, links, values): sim/scenario/actions.cc.
//
// One Parser per parse; single-threaded.

#ifndef RAFTSIM_SIM_SCENARIO_PARSER_H_
#define RAFTSIM_SIM_SCENARIO_PARSER_H_

#include <cstdint>
#include <optional>
#include <set>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "sim/scenario/lexer.h"
#include "sim/scenario/scenario.h"

namespace raftsim::sim::scenario_internal {

// Returns from the enclosing function if `expr` (an absl::Status) fails.
#define SCN_TRY(expr)                        \
  do {                                       \
    absl::Status scn_status = (expr);        \
    if (!scn_status.ok()) return scn_status; \
  } while (0)

class Parser : public LineLexer {
 public:
  explicit Parser(absl::string_view filename) : LineLexer(filename) {}

  // REQUIRES: called once.
  absl::StatusOr<Scenario> Run(absl::string_view text);

 private:
  // Statements (parser.cc); each starts at the keyword.
  absl::Status Statement();
  absl::Status NodesLine();
  absl::Status SeedLine();
  absl::Status OptionLine();
  absl::Status OptionValue(const OptionSpec& spec, int64_t* value);
  absl::Status AtLine();
  // A time (`what`) no earlier than the last action's; `why` explains the
  // bound in the error.
  absl::Status TimeNotBeforeLast(absl::string_view what, absl::string_view why,
                                 int64_t* t);
  absl::Status EndLine();
  absl::Status HealPhaseLine();
  absl::Status ExpectLine();
  absl::Status ExpectViolation(size_t kind_at);
  absl::Status ExpectResult(size_t kind_at);
  // Fails at the expectation's kind (at `kind_at`): it contradicts `other`.
  absl::Status Conflict(size_t kind_at, absl::string_view other);

  // Actions (actions.cc); each starts after the action's name.
  absl::Status ParseAction(Action* out);
  absl::Status ParsePartition(Action* out);
  absl::Status ParsePause(Action* out);
  absl::Status ParseClientOp(ClientOp* op);
  // Membership (after the action's name).
  absl::Status ParseJoint(ChangeMode mode, Action* out);
  absl::Status ParseBootstrap(Action* out);
  // An optional trailing `via N`.
  absl::Status Via(std::optional<NodeId>* out);

  // Operands (actions.cc).
  absl::Status Node(NodeId* out);
  absl::Status Set(std::set<uint64_t>* taken, NodeSet* out);
  absl::Status Endpoint(NodeId* out);
  absl::Status ParseLink(Link* out);
  absl::Status Duration(absl::string_view what, int64_t* us);
  absl::Status Probability(int64_t* ppm);
  absl::Status Value(absl::string_view what, std::string* out);
  absl::Status CoverAll(const std::set<uint64_t>& taken);
  // A node id in 1..nodes, expecting `what` if there is none.
  absl::Status NodeIdWord(absl::string_view what, NodeId* out);

  Scenario s_;
  bool have_nodes_ = false;
  std::set<std::string> seen_;  // Statements allowed once ("seed", ...).
};

}  // namespace raftsim::sim::scenario_internal

#endif  // RAFTSIM_SIM_SCENARIO_PARSER_H_
