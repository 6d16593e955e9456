"""Production and canary variants of the libraries that link the Raft core.

The canary bugs (raft/canary.h) are compiled only into //raft:node_canary.
Everything that links the core — the Server pipeline, the simulator, the
checker adapter, the raftsim binary — therefore exists twice: `name` over
the production core and `name_canary` over the canary core, so that a
production build contains no canary code and the canary binary links no
production copy of the core (which would be an ODR violation).
"""

def cc_library_with_canary(name, deps = [], canary_twins = [], canary_local_defines = [], **kwargs):
    """Declares cc_library `name` and its twin `name + "_canary"`.

    Args:
      name: the production library.
      deps: dependencies shared by both variants.
      canary_twins: full labels (e.g. "//raft:node") of dependencies that
        have a `_canary` twin; the canary variant depends on the twins.
      canary_local_defines: defines for the canary variant's own sources
        (RAFTSIM_ENABLE_CANARIES for a library that plants canaries itself,
        as //raft/server does).
      **kwargs: passed to both cc_library rules (srcs, hdrs, visibility...).
    """
    native.cc_library(
        name = name,
        deps = deps + canary_twins,
        **kwargs
    )
    native.cc_library(
        name = name + "_canary",
        deps = deps + [label + "_canary" for label in canary_twins],
        local_defines = canary_local_defines,
        **kwargs
    )

def cc_binary_with_canary(name, canary_name, deps = [], canary_twins = [], canary_local_defines = [], **kwargs):
    """Declares cc_binary `name` and its canary twin `canary_name`.

    Args:
      name: the production binary.
      canary_name: the binary linked against the canary twins.
      deps: dependencies shared by both binaries.
      canary_twins: as for cc_library_with_canary.
      canary_local_defines: defines for the canary binary's own sources
        (e.g. to enable its --canary flag).
      **kwargs: passed to both cc_binary rules.
    """
    native.cc_binary(
        name = name,
        deps = deps + canary_twins,
        **kwargs
    )
    native.cc_binary(
        name = canary_name,
        deps = deps + [label + "_canary" for label in canary_twins],
        local_defines = canary_local_defines,
        **kwargs
    )
