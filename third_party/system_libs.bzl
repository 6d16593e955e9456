"""Turns Debian's system C++ libraries into Bazel targets without downloads.

`pkg_config_repository` asks pkg-config for link flags, so the Abseil link
line is never a hand-kept list. Headers live in /usr/include, which the
auto-configured toolchain already treats as a system include directory.
"""

def _pkg_config(rctx, modules):
    result = rctx.execute(["pkg-config", "--libs"] + modules)
    if result.return_code != 0:
        fail("pkg-config failed for %s: %s\nRun tools/bootstrap first." % (modules, result.stderr))
    return [f for f in result.stdout.strip().split(" ") if f]

def _pkg_config_repository_impl(rctx):
    linkopts = []
    if rctx.attr.pkg_config_modules:
        linkopts += _pkg_config(rctx, rctx.attr.pkg_config_modules)
    linkopts += rctx.attr.extra_linkopts
    for header in rctx.attr.required_headers:
        if not rctx.path(header).exists:
            fail("%s is missing; run tools/bootstrap to install the system packages." % header)
    rctx.file("WORKSPACE", "workspace(name = \"%s\")\n" % rctx.name)
    rctx.file("BUILD.bazel", """package(default_visibility = ["//visibility:public"])

cc_library(
    name = "{name}",
    linkopts = {linkopts},
)
""".format(name = rctx.attr.target_name, linkopts = repr(linkopts)))

pkg_config_repository = repository_rule(
    implementation = _pkg_config_repository_impl,
    attrs = {
        "target_name": attr.string(mandatory = True),
        "pkg_config_modules": attr.string_list(),
        "extra_linkopts": attr.string_list(),
        "required_headers": attr.string_list(),
    },
    local = True,
)
