// raft/server/transport.h — how a raft::Server sends messages to its peers.
//
// Delivery is unreliable and unordered: messages may be lost, duplicated,
// delayed or reordered, and Raft tolerates all of it. Incoming messages are
// handed to Server::Receive on the server's runtime.
//
// Threading: called from the Server's runtime only.

#ifndef RAFTSIM_RAFT_SERVER_TRANSPORT_H_
#define RAFTSIM_RAFT_SERVER_TRANSPORT_H_

#include "raft/message.h"

namespace raftsim::raft {

class Transport {
 public:
  virtual ~Transport() = default;
  // Sends `message` to message.to. Never blocks; may drop.
  virtual void Send(Message message) = 0;
};

}  // namespace raftsim::raft

#endif  // RAFTSIM_RAFT_SERVER_TRANSPORT_H_
