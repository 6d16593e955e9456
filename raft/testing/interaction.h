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
// Commands (node ids are numbers; `*` matches any node in filters):
//   cluster [voters=3] [pre_vote=true] [check_quorum=true]
//           [sync_persist=true] [election=10] [heartbeat=1] [seed=1]
//           [max_inflight=256] [max_msg_bytes=1048576]
//                                   new cluster (must come first)
//   campaign <id>                   Node::Campaign; prints the node
//   propose <id> <value>...         one Propose batch; prints the indexes
//   tick <id|all> [n]               n ticks (default 1); prints the nodes
//   process-ready [id...]           takes and carries out each node's Ready
//                                   (default: all); prints Ready::Describe
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
//
// Single-threaded; test-only.

#ifndef RAFTSIM_RAFT_TESTING_INTERACTION_H_
#define RAFTSIM_RAFT_TESTING_INTERACTION_H_

#include <memory>
#include <string>
#include <vector>

#include "raft/testing/cluster.h"

namespace raftsim::raft::testing {

// Executes interaction commands against one cluster.
class Interaction {
 public:
  Interaction();
  ~Interaction();

  // Runs one command line and returns its output: one or more lines, no
  // trailing newline, never empty ("ok" when there is nothing to say).
  // Errors (unknown command, bad arguments) are returned as "error: ...".
  std::string Run(const std::string& line);

 private:
  std::string RunCommand(const std::vector<std::string>& args);
  std::string NewCluster(const std::vector<std::string>& args);
  std::string ProcessReady(const std::vector<NodeId>& ids);
  std::string Persist(NodeId id);
  std::string Stabilize();
  std::string NodeLine(NodeId id);
  std::vector<NodeId> ParseIds(const std::vector<std::string>& args,
                               size_t from);

  std::unique_ptr<Cluster> cluster_;
  // Readys taken since the last command, as printed (filled by on_ready).
  std::vector<std::string> readys_;
};

// One case of a script as parsed: the command at `line` (1-based) and its
// expected output.
struct ScriptCase {
  int line = 0;
  std::string command;
  std::string expected;
};

// The result of running a script: a description of every mismatch
// ("name:line: command `c`" with expected and actual output), and the
// script with every expected output replaced by the actual one.
struct ScriptResult {
  std::vector<std::string> failures;
  std::string rewritten;
};

// Runs the script `text` (named `name` in failure messages). A malformed
// script (a command without `----`) is reported as a failure.
ScriptResult RunScript(const std::string& name, const std::string& text);

}  // namespace raftsim::raft::testing

#endif  // RAFTSIM_RAFT_TESTING_INTERACTION_H_
