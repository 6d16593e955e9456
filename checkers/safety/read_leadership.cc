// checkers/safety/read_leadership.cc — see read_leadership.h.

#include "checkers/safety/read_leadership.h"

#include <string>

#include "absl/strings/str_cat.h"

namespace raftsim::checkers {

void ReadLeadership::Observe(const ClusterView& view, const CheckerContext&,
                             std::vector<Violation>* out) {
  if (nodes_.size() < view.nodes.size()) nodes_.resize(view.nodes.size());
  // Leaderships seen in this event count from the next one: a read taken
  // up in the same event ran before or after them, and the check must not
  // guess.
  const Leadership before = newest_;
  bool reported = false;
  view.ForEachTouched([&](const int i) {
    const NodeView& node = *view.nodes[i];
    PerNode& mine = nodes_[static_cast<size_t>(i)];
    if (!node.up() || node.incarnation() != mine.incarnation) {
      // Crashed or restarted: its unconfirmed reads died with it.
      mine.issued.clear();
      mine.incarnation = node.up() ? node.incarnation() : 0;
      if (!node.up()) return;
    }
    for (const ReadIssued& r : node.reads_issued()) {
      mine.issued[r.context] = {r.term, before, view.event, view.time_us};
    }
    for (const ReadConfirmed& r : node.reads_confirmed()) {
      const auto it = mine.issued.find(r.context);
      if (it == mine.issued.end()) continue;
      const Issued& read = it->second;
      if (!reported && read.newest.term > read.term) {
        reported = true;
        out->push_back(Make(
            view, absl::StrCat("n", i + 1, " confirmed a read (index ",
                               r.index.Describe(), ") it took up as leader of ",
                               read.term.Describe(), " at event ", read.event,
                               " (t=", read.time_us, "us), when n",
                               read.newest.node + 1, " had been leading ",
                               read.newest.term.Describe(), " since event ",
                               read.newest.event, " (t=", read.newest.time_us,
                               "us)")));
      }
      mine.issued.erase(it);
    }
    // A read is confirmed only in the term it was taken up in.
    while (!mine.issued.empty() &&
           mine.issued.begin()->second.term < node.term()) {
      mine.issued.erase(mine.issued.begin());
    }
    if (node.role() == raft::Role::kLeader && node.term() > newest_.term) {
      newest_ = {node.term(), i, view.event, view.time_us};
    }
  });
}

}  // namespace raftsim::checkers
