// sim/world/network.cc — see network.h. Single-threaded.

#include "sim/world/network.h"

#include <utility>

#include "base/check.h"

namespace raftsim::sim {

Network::Network(int nodes, EventQueue* queue, Tracer* tracer, Prng prng,
                 NetworkOptions options, MessageReceiver* receiver)
    : nodes_(nodes),
      queue_(queue),
      tracer_(tracer),
      prng_(prng),
      options_(options),
      receiver_(receiver),
      connectivity_(nodes),
      rules_(nodes),
      base_us_(static_cast<size_t>(nodes * nodes), 0),
      clogged_until_us_(static_cast<size_t>(nodes * nodes), 0) {
  CHECK_LE(options.latency_us_min, options.latency_us_max);
  for (int64_t& us : base_us_) {
    us = prng_.Range(options.latency_us_min, options.latency_us_max);
  }
}

void Network::Send(raft::Message m) {
  const HostIndex from = HostIndex::Of(m.from);
  const HostIndex to = HostIndex::Of(m.to);
  CHECK(from.value() >= 0 && from.value() < nodes_ && to.value() >= 0 &&
        to.value() < nodes_ && from != to)
      << m.Describe();
  ++sent_;
  tracer_->RecordMessage(from, TraceKind::kSend, m);
  if (!connectivity_.Reaches(from, to)) {
    tracer_->RecordDrop(from, m, DropReason::kPartition);
    ++cut_;
    return;
  }
  const LinkRule* rule = rules_.any() ? &rules_.Get(from, to) : nullptr;
  if (rule != nullptr && rule->drop_ppm > 0 &&
      (rule->drop_ppm >= 1'000'000 ||
       prng_.Ratio(static_cast<uint64_t>(rule->drop_ppm), 1'000'000))) {
    tracer_->RecordDrop(from, m, DropReason::kRule);
    return;
  }
  if (options_.loss_ppm > 0 &&
      prng_.Ratio(static_cast<uint64_t>(options_.loss_ppm), 1'000'000)) {
    tracer_->RecordDrop(from, m, DropReason::kLoss);
    ++lost_;
    return;
  }
  if (options_.dup_ppm > 0 &&
      prng_.Ratio(static_cast<uint64_t>(options_.dup_ppm), 1'000'000)) {
    tracer_->RecordMessage(from, TraceKind::kDuplicate, m);
    ++duplicated_;
    Schedule(to, m);
  }
  if (rule != nullptr && rule->dup_ppm > 0 &&
      prng_.Ratio(static_cast<uint64_t>(rule->dup_ppm), 1'000'000)) {
    tracer_->RecordMessage(from, TraceKind::kDuplicate, m);
    ++duplicated_;
    Schedule(to, m);
  }
  Schedule(to, std::move(m));
}

void Network::Schedule(HostIndex to, raft::Message m) {
  const HostIndex from = HostIndex::Of(m.from);
  int64_t delay_us = base_latency_us(from, to);
  if (options_.jitter_us > 0) delay_us += prng_.Range(0, options_.jitter_us);
  if (options_.delay_ppm > 0 &&
      prng_.Ratio(static_cast<uint64_t>(options_.delay_ppm), 1'000'000)) {
    delay_us += prng_.Range(0, options_.delay_us_max);
  }
  if (rules_.any()) delay_us += rules_.Get(from, to).delay_us;
  const int64_t clog_us = clogged_until_us_[LinkSlot(from, to)];
  if (clog_us > queue_->now_us()) {
    ++clogged_;
    delay_us =
        std::max(delay_us, clog_us - queue_->now_us() + prng_.Range(0, 50));
  }
  // The message waits in a pooled slot; the event carries only its index,
  // so the closure fits the queue's inline storage (no heap allocation).
  uint32_t slot;
  if (!free_in_flight_.empty()) {
    slot = free_in_flight_.back();
    free_in_flight_.pop_back();
    in_flight_[slot] = std::move(m);
  } else {
    slot = static_cast<uint32_t>(in_flight_.size());
    in_flight_.push_back(std::move(m));
  }
  queue_->After(delay_us, to, EventKind::kDeliver, /*crash_scoped=*/false,
                [this, to, slot] { Arrive(to, slot); });
}

void Network::Arrive(HostIndex to, uint32_t slot) {
  raft::Message m = std::move(in_flight_[slot]);
  free_in_flight_.push_back(slot);
  if (!receiver_->Up(to)) {
    tracer_->RecordDrop(to, m, DropReason::kDown);
    return;
  }
  tracer_->RecordMessage(to, TraceKind::kDeliver, m);
  receiver_->Deliver(to, std::move(m));
}

}  // namespace raftsim::sim
