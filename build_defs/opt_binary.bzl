"""An executable built with -c opt whatever the command line asks for.

Tests that run hundreds of simulated seeds (the canary sweep) spend most of
their time in the simulator and the checkers; built unoptimised they take
four times as long. `opt_binary(name, binary)` compiles `binary` and all of
its dependencies in the opt configuration (a configuration transition, so
the rest of the build is untouched) and exposes it as an executable that
tests can take as `data`.

Under a sanitizer configuration (a `-fsanitize=` copt, as --config=asan and
--config=ubsan add) the transition keeps the command line's compilation
mode: those configurations already compile with -O1, and a second, opt
copy of the whole tree under the sanitizers would double the CI's
compile time for no extra checking.
"""

def _opt_transition_impl(settings, attr):
    for copt in settings["//command_line_option:copt"]:
        if copt.startswith("-fsanitize="):
            return {
                "//command_line_option:compilation_mode": settings["//command_line_option:compilation_mode"],
            }
    return {"//command_line_option:compilation_mode": "opt"}

_opt_transition = transition(
    implementation = _opt_transition_impl,
    inputs = [
        "//command_line_option:compilation_mode",
        "//command_line_option:copt",
    ],
    outputs = ["//command_line_option:compilation_mode"],
)

def _opt_binary_impl(ctx):
    src = ctx.attr.binary[0][DefaultInfo].files_to_run.executable
    out = ctx.actions.declare_file(ctx.label.name)
    ctx.actions.symlink(output = out, target_file = src, is_executable = True)
    return [DefaultInfo(
        executable = out,
        files = depset([out]),
        runfiles = ctx.runfiles(files = [src]).merge(
            ctx.attr.binary[0][DefaultInfo].default_runfiles,
        ),
    )]

opt_binary = rule(
    implementation = _opt_binary_impl,
    attrs = {
        "binary": attr.label(
            cfg = _opt_transition,
            executable = True,
            mandatory = True,
        ),
        "_allowlist_function_transition": attr.label(
            default = "@bazel_tools//tools/allowlists/function_transition_allowlist",
        ),
    },
    executable = True,
)
