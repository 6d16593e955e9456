// raft/testing/cluster.cc — see cluster.h.

#include "raft/testing/cluster.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "base/check.h"

namespace raftsim::raft::testing {

// One node and what its host owns: storage, writes not yet reported
// durable, and the messages waiting for them.
struct Cluster::Host {
  std::unique_ptr<MemoryStorage> storage;
  std::unique_ptr<Node> node;
  std::vector<Entry> applied;
  // Readys written but not yet reported durable, oldest first.
  struct Pending {
    bool has_writes = false;
    LogIndex index;
    Term term;
    std::vector<Message> after_persist;
  };
  std::deque<Pending> pending;
};

Cluster::Cluster(Options options) : options_(std::move(options)) {
  for (int i = 1; i <= options_.voters + options_.learners + options_.spares;
       ++i) {
    const NodeId id(static_cast<uint64_t>(i));
    ids_.push_back(id);
    if (i <= options_.voters) {
      voters_.push_back(id);
    } else if (i <= options_.voters + options_.learners) {
      learners_.push_back(id);
    }
  }
  for (const NodeId id : ids_) {
    auto h = std::make_unique<Host>();
    h->storage = std::make_unique<MemoryStorage>();
    auto node = Node::Create(MakeConfig(id), h->storage->Load());
    CHECK(node.ok()) << node.status();
    h->node = std::move(*node);
    hosts_[id] = std::move(h);
  }
}

Cluster::~Cluster() = default;

Config Cluster::MakeConfig(NodeId id) const {
  Config c;
  c.id = id;
  c.voters = voters_;
  c.learners = learners_;
  c.pre_vote = options_.pre_vote;
  c.check_quorum = options_.check_quorum;
  c.election_timeout_ticks = options_.election_timeout_ticks;
  c.heartbeat_ticks = options_.heartbeat_ticks;
  c.max_inflight_msgs = options_.max_inflight_msgs;
  c.max_msg_bytes = options_.max_msg_bytes;
  c.seed = options_.seed * 1000 + id.value();
  if (options_.adjust_config) options_.adjust_config(c);
  return c;
}

Cluster::Host& Cluster::host(NodeId id) {
  auto it = hosts_.find(id);
  CHECK(it != hosts_.end()) << id;
  return *it->second;
}
const Cluster::Host& Cluster::host(NodeId id) const {
  auto it = hosts_.find(id);
  CHECK(it != hosts_.end()) << id;
  return *it->second;
}

Node& Cluster::node(NodeId id) {
  CHECK(!down(id)) << id << " is down";
  return *host(id).node;
}
MemoryStorage& Cluster::storage(NodeId id) { return *host(id).storage; }
const std::vector<Entry>& Cluster::applied(NodeId id) const {
  return host(id).applied;
}

void Cluster::Send(Message m) {
  ++sent_;
  if (isolated_.count(m.from) != isolated_.count(m.to)) return;
  if (cut_.count({m.from, m.to})) return;
  queue_.push_back(std::move(m));
}

void Cluster::ProcessReady(Host& h) {
  Node& n = *h.node;
  if (!n.HasReady()) return;
  Ready rd = n.GetReady();
  if (options_.on_ready) options_.on_ready(n.id(), rd);
  for (Message& m : rd.messages) Send(std::move(m));
  Host::Pending p;
  if (rd.MustPersist()) {
    WriteBatch batch;
    batch.snapshot = std::move(rd.snapshot);
    batch.entries = std::move(rd.entries);
    batch.hard_state = rd.hard_state;
    h.storage->Write(std::move(batch), [](absl::Status s) { CHECK(s.ok()); });
    p.has_writes = true;
    p.index = rd.persist_index;
    p.term = rd.persist_term;
  }
  p.after_persist = std::move(rd.messages_after_persist);
  if (p.has_writes || !p.after_persist.empty())
    h.pending.push_back(std::move(p));
  for (Entry& e : rd.committed_entries) h.applied.push_back(std::move(e));
  n.Advance();
  if (options_.sync_persist) Complete(h);
}

// Reports every pending write durable, in order, releasing held messages.
void Cluster::Complete(Host& h) {
  while (!h.pending.empty()) {
    Host::Pending p = std::move(h.pending.front());
    h.pending.pop_front();
    if (p.has_writes) h.node->OnPersisted(p.index, p.term);
    for (Message& m : p.after_persist) Send(std::move(m));
  }
}

void Cluster::PersistAll() {
  for (const NodeId id : ids_) {
    if (!down(id)) Complete(host(id));
  }
}

bool Cluster::PersistOne(NodeId id) {
  Host& h = host(id);
  if (h.pending.empty()) return false;
  Host::Pending p = std::move(h.pending.front());
  h.pending.pop_front();
  if (p.has_writes) h.node->OnPersisted(p.index, p.term);
  for (Message& m : p.after_persist) Send(std::move(m));
  return true;
}

size_t Cluster::pending_persists(NodeId id) const {
  return host(id).pending.size();
}

bool Cluster::Compact(NodeId id, uint64_t keep_entries) {
  Host& h = host(id);
  CHECK(!down(id));
  Node& n = *h.node;
  Snapshot snap;
  snap.meta.index = n.applied_index();
  snap.meta.term = *n.log().TermAt(snap.meta.index);
  const tracker::Config& tc = n.tracker().config();
  const auto incoming = tc.voters.incoming.voters();
  const auto outgoing = tc.voters.outgoing.voters();
  snap.meta.conf.voters.assign(incoming.begin(), incoming.end());
  snap.meta.conf.voters_outgoing.assign(outgoing.begin(), outgoing.end());
  snap.meta.conf.learners = tc.learners;
  // The "state machine" is the apply log; the snapshot names its length.
  snap.data = Payload(absl::StrCat("applied=", snap.meta.index.value()));
  if (!n.Compact(snap, keep_entries).ok()) return false;
  // Applied entries are durable, hence written: storage holds the index.
  const absl::Status s = h.storage->Compact(std::move(snap));
  CHECK(s.ok()) << s;
  return true;
}

void Cluster::ProcessReadys() {
  for (const NodeId id : ids_) {
    if (!down(id)) ProcessReady(host(id));
  }
}

bool Cluster::ProcessReady(NodeId id) {
  if (down(id) || !host(id).node->HasReady()) return false;
  ProcessReady(host(id));
  return true;
}

// Steps `m` on its destination; a message to a crashed node is lost.
void Cluster::Step(Message m) {
  ++delivered_;
  if (down(m.to)) return;
  const absl::Status s = host(m.to).node->Step(std::move(m));
  CHECK(s.ok()) << s;
}

std::optional<Message> Cluster::DeliverOne() {
  if (queue_.empty()) return std::nullopt;
  return DeliverAt(0);
}

Message Cluster::DeliverAt(size_t i) {
  CHECK_LT(i, queue_.size());
  Message m = std::move(queue_[i]);
  queue_.erase(queue_.begin() + static_cast<std::ptrdiff_t>(i));
  Step(m);
  return m;
}

std::vector<Message> Cluster::Deliver(
    const std::function<bool(const Message&)>& filter) {
  std::deque<Message> now;
  now.swap(queue_);
  std::vector<Message> out;
  for (Message& m : now) {
    if (filter(m)) {
      out.push_back(m);
    } else {
      queue_.push_back(std::move(m));  // Keeps its order among the rest.
    }
  }
  // Messages the deliveries cause go behind the ones left queued.
  for (const Message& m : out) Step(m);
  return out;
}

std::vector<Message> Cluster::Drop(
    const std::function<bool(const Message&)>& filter) {
  std::vector<Message> dropped;
  std::deque<Message> kept;
  for (Message& m : queue_) {
    if (filter(m)) {
      dropped.push_back(std::move(m));
    } else {
      kept.push_back(std::move(m));
    }
  }
  queue_.swap(kept);
  return dropped;
}

void Cluster::DuplicateAt(size_t i) {
  CHECK_LT(i, queue_.size());
  queue_.push_back(queue_[i]);
}

int64_t Cluster::Stabilize(int max_rounds) {
  int64_t count = 0;
  for (int round = 0; round < max_rounds; ++round) {
    ProcessReadys();
    if (queue_.empty()) return count;
    std::deque<Message> batch;
    batch.swap(queue_);
    for (Message& m : batch) {
      ++count;
      Step(std::move(m));
    }
  }
  CHECK(false) << "cluster did not stabilize in " << max_rounds << " rounds";
  return count;
}

void Cluster::Tick(NodeId id) {
  if (!down(id)) node(id).Tick();
}

void Cluster::TickAll() {
  for (const NodeId id : ids_) Tick(id);
}

bool Cluster::Elect(NodeId id) {
  node(id).Campaign();
  Stabilize();
  return node(id).role() == Role::kLeader;
}

NodeId Cluster::Leader() const {
  NodeId best;
  Term best_term;
  for (const NodeId id : ids_) {
    if (down_.count(id)) continue;
    const Node& n = *host(id).node;
    if (n.role() == Role::kLeader && n.term() >= best_term) {
      best = id;
      best_term = n.term();
    }
  }
  return best;
}

void Cluster::Isolate(NodeId id) { isolated_.insert(id); }
void Cluster::Heal() {
  isolated_.clear();
  cut_.clear();
}
void Cluster::Cut(NodeId from, NodeId to) { cut_.insert({from, to}); }
void Cluster::DropAll() { queue_.clear(); }

void Cluster::Crash(NodeId id) {
  Host& h = host(id);
  // MemoryStorage writes are synchronous: everything written is durable.
  // Messages waiting for persistence are lost with the process.
  h.pending.clear();
  h.node.reset();
  h.applied.clear();
  down_.insert(id);
}

void Cluster::Restart(NodeId id) {
  Host& h = host(id);
  CHECK(down(id));
  auto node = Node::Create(MakeConfig(id), h.storage->Load());
  CHECK(node.ok()) << node.status();
  h.node = std::move(*node);
  // The state machine restarts from the snapshot; entries after it are
  // re-applied as they are committed again.
  h.applied.clear();
  down_.erase(id);
}

}  // namespace raftsim::raft::testing
