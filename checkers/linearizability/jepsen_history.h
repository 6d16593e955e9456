// checkers/linearizability/jepsen_history.h — Jepsen EDN histories of the
// `register` and `cas-register` models, converted to a History (history.h).
//
// Input: a sequence of operation maps (edn.h), one per line or spread over
// lines, optionally wrapped in one top-level vector or list:
//   {:type :invoke, :f :cas, :value [1 2], :process 0, :time 123, :index 5}
// Keys read: :type (:invoke :ok :fail :info), :f (:read :write :cas),
// :value, :process, :time; any other key is ignored. An operation whose
// :process is a keyword (the :nemesis) is not a client operation and is
// skipped whole.
//
// Values, plain form (one register, the key ""):
//   write  invoke :value v           ok :value v (not checked)
//   read   invoke :value nil         ok :value v, the value read
//   cas    invoke :value [old new]   ok :value [old new] (not checked)
// jepsen.independent form (one register per key): every :value is a tuple
// [key plain-value], e.g. {:f :cas, :value [3 [1 2]]}; an ok read's key must
// be its invoke's. The file's first client operation picks the form; every
// later one must use it. Keys and values are integers or strings (a key may
// also be a keyword) and become their decimal / string text; nil, the
// model's initial value, becomes "", the initial value of history.h's model.
// (So the integer 3 and the string "3" are the same value, and a write of ""
// is indistinguishable from the initial value.)
//
// Each completion is paired with its process's pending invoke:
//   :ok    the operation happened: write -> put, read -> get with the read
//          value as output, cas -> cas with output true.
//   :fail  the operation definitely did not happen: it is dropped from the
//          history. A failed cas is dropped too rather than kept as a cas
//          that returned false: Jepsen clients also report :fail for
//          requests refused before they ran (not leader, rejected), which
//          say nothing about the register's value, and Knossos drops them
//          likewise; reading "did not swap" into them would invent
//          violations.
//   :info  the outcome is unknown: return is null (history.h).
// An invoke still pending at the end of the history is unknown as well.
//
// Times: if the first client operation has :time, every client operation
// must, and call / return are those nanoseconds; if it has none, none may,
// and an operation's time is its position in the sequence (0, 1, 2, ...) —
// so precedence follows history order either way.
//
// Errors are "FILE:LINE:COL: expected ..., found ...": a completion with no
// pending invoke, a second invoke while one is pending, a completion whose
// :f differs from its invoke's, an unknown :type or :f, a missing key, a
// value of the wrong shape, a completion earlier than its invoke.
//
// Single-threaded; not thread-safe.

#ifndef RAFTSIM_CHECKERS_LINEARIZABILITY_JEPSEN_HISTORY_H_
#define RAFTSIM_CHECKERS_LINEARIZABILITY_JEPSEN_HISTORY_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "checkers/linearizability/history.h"

namespace raftsim::checkers {

// Parses and converts a Jepsen EDN history. `filename` prefixes errors.
absl::StatusOr<History> ParseJepsenEdnHistory(absl::string_view text,
                                              absl::string_view filename);

}  // namespace raftsim::checkers

#endif  // RAFTSIM_CHECKERS_LINEARIZABILITY_JEPSEN_HISTORY_H_
