// examples/in_process_transport.cc — see in_process_transport.h.
//
// Single-threaded.

#include "examples/in_process_transport.h"

#include <utility>

#include "base/check.h"

namespace raftsim::examples {

class InProcessNetwork::Endpoint final : public raft::Transport {
 public:
  explicit Endpoint(InProcessNetwork* network) : network_(network) {}

  void Send(raft::Message message) override {
    // REQUIRES (documented on the class): the network is not destroyed
    // while the runtime may still run this task.
    InProcessNetwork* network = network_;
    auto deliver = [network, m = std::move(message)]() mutable {
      network->Deliver(std::move(m));
    };
    if (network->delay_us_ == 0) {
      network->runtime_->Post(std::move(deliver));
    } else {
      network->runtime_->After(network->delay_us_, std::move(deliver));
    }
  }

 private:
  InProcessNetwork* const network_;
};

InProcessNetwork::InProcessNetwork(raft::Runtime* runtime, int64_t delay_us)
    : runtime_(runtime), delay_us_(delay_us) {
  CHECK(runtime_ != nullptr);
  CHECK_GE(delay_us_, 0);
}

InProcessNetwork::~InProcessNetwork() = default;

raft::Transport* InProcessNetwork::transport(NodeId id) {
  std::unique_ptr<Endpoint>& e = endpoints_[id];
  if (e == nullptr) e = std::make_unique<Endpoint>(this);
  return e.get();
}

void InProcessNetwork::Attach(NodeId id, raft::Server* server) {
  CHECK(server != nullptr);
  servers_[id] = server;
}

void InProcessNetwork::Deliver(raft::Message message) {
  auto it = servers_.find(message.to);
  if (it == servers_.end()) {
    ++dropped_;
    return;
  }
  ++delivered_;
  it->second->Receive(std::move(message));
}

}  // namespace raftsim::examples
