#!/usr/bin/env python3
"""Validates a raftsim Chrome trace-event JSON file (sim/trace/chrome_trace.h).

Usage: chrome_trace_check.py FILE.json [--expect_violation=CHECKER]

Checks what Perfetto and chrome://tracing rely on, and what raftsim
promises on top:
  - the JSON Object Format: traceEvents (a list), displayTimeUnit "ms",
    metadata with seed, options and result;
  - every event has the fields its phase requires (name, ph, pid, tid; ts
    unless metadata; dur >= 0 for X; s in g/p/t for instants; id and cat
    for flows, bp "e" for flow ends; numeric args for counters);
  - events are sorted by ts (so monotonic on every track);
  - a thread_name for every track used, n1..nN for the N nodes;
  - complete slices on one track never partially overlap (they nest),
    state slices never overlap each other, client operations never
    overlap, and every step slice lies inside its node's state slice;
  - every flow start "s" has exactly one finish "f" with its id, cat and
    name, no earlier than the start, and both ends lie inside a slice of
    their track (what the flow binds to);
  - with --expect_violation, a global instant "VIOLATION <checker>".
Prints a one-line summary; exits 1 with the first problems found.
"""

import collections
import json
import sys

PHASES = {"X", "i", "s", "f", "C", "M"}


class Problems:
    def __init__(self):
        self.items = []

    def add(self, text):
        self.items.append(text)

    def check(self, cond, text):
        if not cond:
            self.add(text)
        return cond


def validate(doc, expect_violation):
    p = Problems()
    if not p.check(isinstance(doc, dict), "top level is not an object"):
        return p, {}
    events = doc.get("traceEvents")
    if not p.check(isinstance(events, list), "traceEvents is not a list"):
        return p, {}
    p.check(doc.get("displayTimeUnit") == "ms", "displayTimeUnit is not ms")
    meta = doc.get("metadata", {})
    for key in ("seed", "options", "result"):
        p.check(key in meta, "metadata lacks " + key)
    nodes = meta.get("options", {}).get("nodes")
    p.check(isinstance(nodes, int) and nodes > 0, "metadata.options.nodes")

    names = {}  # tid -> thread name
    slices = collections.defaultdict(list)  # tid -> [(ts, end, cat, name)]
    flows = collections.defaultdict(list)  # id -> [event]
    last_ts = None
    counts = collections.Counter()
    violations = []
    for n, e in enumerate(events):
        where = "traceEvents[%d]" % n
        if not p.check(isinstance(e, dict), where + " is not an object"):
            continue
        ph = e.get("ph")
        counts[ph] += 1
        if not p.check(ph in PHASES, "%s: unknown ph %r" % (where, ph)):
            continue
        for key in ("name", "pid", "tid"):
            p.check(key in e, "%s: ph %s without %s" % (where, ph, key))
        p.check(isinstance(e.get("name"), str), where + ": name not a string")
        tid = e.get("tid")
        if ph == "M":
            if e.get("name") == "thread_name":
                names[tid] = e.get("args", {}).get("name")
            continue
        ts = e.get("ts")
        if not p.check(isinstance(ts, (int, float)), where + ": no numeric ts"):
            continue
        if last_ts is not None:
            p.check(ts >= last_ts, "%s: ts %s before %s" % (where, ts, last_ts))
        last_ts = ts
        if ph == "X":
            dur = e.get("dur")
            if p.check(isinstance(dur, (int, float)) and dur >= 0,
                       where + ": X without dur >= 0"):
                slices[tid].append((ts, ts + dur, e.get("cat"), e["name"]))
        elif ph == "i":
            p.check(e.get("s") in ("g", "p", "t"), where + ": instant scope")
            if e.get("cat") == "violation" and e.get("s") == "g":
                violations.append(e)
        elif ph in ("s", "f"):
            p.check("id" in e and "cat" in e, where + ": flow without id/cat")
            if ph == "f":
                p.check(e.get("bp") == "e", where + ": flow end without bp e")
            flows[e.get("id")].append(e)
        elif ph == "C":
            args = e.get("args", {})
            p.check(args and all(isinstance(v, (int, float))
                                 for v in args.values()),
                    where + ": counter without numeric args")

    used = set(slices) | {e["tid"] for f in flows.values() for e in f}
    for tid in sorted(used):
        p.check(tid in names, "track %s has no thread_name" % tid)
    node_names = sorted(v for v in names.values() if v and v[0] == "n")
    if isinstance(nodes, int):
        p.check(set(node_names) == {"n%d" % i for i in range(1, nodes + 1)},
                "node tracks %s for %s nodes" % (node_names, nodes))

    # Slices nest: sorted by (start, -end), each is inside or after the
    # enclosing ones.
    for tid, ss in slices.items():
        ordered = sorted(ss, key=lambda s: (s[0], -s[1]))
        stack = []
        for s in ordered:
            while stack and stack[-1][1] <= s[0] and not (
                    stack[-1][0] == stack[-1][1] == s[0]):
                stack.pop()
            if stack and s[1] > stack[-1][1]:
                p.add("track %s (%s): %r partially overlaps %r"
                      % (tid, names.get(tid), s, stack[-1]))
            stack.append(s)
        for cat in ("state", "client", "step"):
            same = sorted(s for s in ss if s[2] == cat)
            for a, b in zip(same, same[1:]):
                p.check(a[1] <= b[0], "track %s: %s slices overlap: %r %r"
                        % (names.get(tid), cat, a, b))
        states = [s for s in ss if s[2] == "state"]
        for s in ss:
            if s[2] == "step" and states:
                p.check(any(t[0] <= s[0] and s[1] <= t[1] for t in states),
                        "track %s: step %r outside every state slice"
                        % (names.get(tid), s))

    def inside_slice(e):
        return any(a <= e["ts"] < b or a == b == e["ts"]
                   for a, b, _, _ in slices.get(e["tid"], []))

    for fid, ends in flows.items():
        starts = [e for e in ends if e["ph"] == "s"]
        finishes = [e for e in ends if e["ph"] == "f"]
        if not p.check(len(starts) == 1 and len(finishes) == 1,
                       "flow %s: %d starts, %d finishes"
                       % (fid, len(starts), len(finishes))):
            continue
        s, f = starts[0], finishes[0]
        p.check(s["name"] == f["name"] and s["cat"] == f["cat"],
                "flow %s: name/cat differ" % fid)
        p.check(f["ts"] >= s["ts"], "flow %s ends before it starts" % fid)
        p.check(inside_slice(s) and inside_slice(f),
                "flow %s: an end outside every slice of its track" % fid)

    if expect_violation:
        want = "VIOLATION " + expect_violation
        p.check(any(v["name"] == want for v in violations),
                "no global instant %r (have %r)"
                % (want, [v["name"] for v in violations]))
        result = meta.get("result", {})
        p.check(result.get("kind") == "safety", "metadata result is not safety")
        p.check(result.get("checker") == expect_violation,
                "metadata result.checker is %r" % result.get("checker"))
    summary = {
        "events": len(events), "tracks": len(names),
        "slices": sum(len(v) for v in slices.values()), "flows": len(flows),
        "instants": counts["i"], "counters": counts["C"],
        "violations": len(violations),
    }
    return p, summary


def main(argv):
    if len(argv) < 2:
        print(__doc__)
        return 2
    expect = None
    for arg in argv[2:]:
        if arg.startswith("--expect_violation="):
            expect = arg.split("=", 1)[1]
    with open(argv[1], encoding="utf-8") as f:
        doc = json.load(f)
    problems, summary = validate(doc, expect)
    if problems.items:
        for item in problems.items[:20]:
            print("FAIL: " + item)
        print("%d problems" % len(problems.items))
        return 1
    print("ok: " + " ".join("%s=%s" % kv for kv in sorted(summary.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
