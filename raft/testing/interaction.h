// raft/testing/interaction.h — interaction scripts for the Raft core, in
// the style of etcd's datadriven tests: a script is a sequence of cases,
//
//   # comment lines and blank lines are kept as they are
//   campaign 1
//   ----
//   n1 precandidate t0 vote=none ...
//
// each a command line, a `----` line, and the expected output (no blank
// lines inside; a blank line ends the case). Running a script executes the
// commands in order against one in-process Cluster and compares each output;
// rewrite mode regenerates the expected outputs instead.
//
// The commands are a table (name, usage line, handler) in interaction.cc;
// Interaction::Usage() lists them. A command that is not in the table, or
// whose arguments do not parse, is a script error: RunScript reports it as
// "file:line: ..." with the closest command name or the usage line, in
// rewrite mode too.
//
// Commands (node ids are numbers; `*` matches any node in link filters):
//   cluster [voters=3] [pre_vote=true] [check_quorum=true]
//           [sync_persist=true] [election=10] [heartbeat=1] [seed=1]
//           [max_inflight=256] [max_msg_bytes=1048576]
//                                   new cluster (must come first)
//   campaign <id>                   Node::Campaign; prints the node
//   elect <id>                      campaign + stabilize, quietly; prints
//                                   every node (setup for focused scripts)
//   propose <id> <value>...         one Propose batch; prints the indexes
//   tick <id|all> [n]               n ticks (default 1); prints the nodes
//   process-ready [id...]           takes and carries out each node's Ready
//                                   (default: all); prints Ready::Describe
//                                   and its read states ("read: ctx=7
//                                   index=i1")
//   deliver [<from>-><to>]          delivers the matching queued messages
//                                   (messages they cause stay queued)
//   drop [<from>-><to>]             drops the matching queued messages
//   queue                           lists the queued messages
//   persist <id|all>                reports one pending write durable (all:
//                                   every pending write of every node);
//                                   prints the messages it releases
//   stabilize                       process-ready / persist / deliver until
//                                   nothing is left; prints all of it
//   isolate <id> | cut <from>-><to> | heal     network partitions
//   crash <id> | restart <id>       crash loses volatile state and messages
//                                   awaiting persistence
//   compact <id> [keep]             snapshot at the applied index
//   read-index <id> <context>       Node::ReadIndex
//   status                          Node::Describe of every node
//   log <id>                        the node's log entries and applied ones
//   progress <id>                   the leader's view of every peer
//                                   (probe / replicate / snapshot, window)
//
// Single-threaded; test-only.

#ifndef RAFTSIM_RAFT_TESTING_INTERACTION_H_
#define RAFTSIM_RAFT_TESTING_INTERACTION_H_

#include <memory>
#include <string>
#include <vector>

namespace raftsim::raft::testing {

// Executes interaction commands against one cluster.
class Interaction {
 public:
  Interaction();
  ~Interaction();

  // Runs one command line and returns its output: one or more lines, no
  // trailing newline, never empty ("ok" when there is nothing to say).
  // Errors (unknown command, bad arguments, no cluster yet) are returned as
  // "error: ..." and change nothing.
  std::string Run(const std::string& line);

  // "name usage" for every command, in table order.
  static std::vector<std::string> Usage();

  // The state the command handlers work on (defined in interaction.cc).
  struct State;

 private:
  std::unique_ptr<State> state_;
};

// The valid command name closest to `name` (edit distance; ties go to the
// first in table order).
std::string ClosestCommand(const std::string& name);

// One case of a script as parsed: the command at `line` (1-based) and its
// expected output.
struct ScriptCase {
  int line = 0;
  std::string command;
  std::string expected;
};

// The result of running a script. `failures` describes every problem:
// a mismatch ("name:line: command `c`" with expected and actual output) or
// a script error. `errors` holds the script errors alone ("name:line:
// unknown command ..." / "name:line: <command>: ..."): a malformed script
// (a command without `----`), an unknown command, a bad argument. They are
// mistakes in the script, reported in rewrite mode too. `rewritten` is the
// script with every expected output replaced by the actual one.
struct ScriptResult {
  std::vector<std::string> failures;
  std::vector<std::string> errors;
  std::string rewritten;
};

// Runs the script `text` (named `name` in failure messages).
ScriptResult RunScript(const std::string& name, const std::string& text);

}  // namespace raftsim::raft::testing

#endif  // RAFTSIM_RAFT_TESTING_INTERACTION_H_
