// tools/cli/explore.h — `raftsim explore`: a coverage-guided search over
// seeds and swarm options (sim/explore/explorer.h), each candidate run in a
// child process (tools/cli/children.h) with every checker, until a run
// fails or the budget is spent.
//
// The explorer makes candidates in batches of eight and hears their
// results in candidate order, so the search — which runs it makes, which
// failure it finds first — depends on --explorer_seed and --budget only,
// never on --jobs or on timing. A failing run prints its result, detail
// and replay command (--seed and the --set overrides that make the
// candidate), like a sweep's failures; the summary line says at which run
// the first failure came ("first failure at run K"), which
// tools/explore_compare.sh reads to compare guided with random search.
//
// Exit code: the worst of the runs', as sweep (0 when all passed).
//
// Single-threaded (each child is single-threaded too).

#ifndef RAFTSIM_TOOLS_CLI_EXPLORE_H_
#define RAFTSIM_TOOLS_CLI_EXPLORE_H_

#include "tools/cli/cli_options.h"

namespace raftsim::tools {

int RunExploreCommand(const CommonOptions& common,
                      const ExploreOptions& explore);

}  // namespace raftsim::tools

#endif  // RAFTSIM_TOOLS_CLI_EXPLORE_H_
