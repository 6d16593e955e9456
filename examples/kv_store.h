// examples/kv_store.h — KvStore, the tiny key-value raft::StateMachine of
// the kv_cluster example.
//
// Text encoding (keys and values are single words without spaces, '=' or
// newlines):
//   command  "put K V"  -> result "ok"   (anything else -> "error: ...";
//                                          a bad command is applied as a
//                                          no-op, identically everywhere)
//   query    "get K"    -> the value, "" when unset
//   snapshot "K=V\n" per key, in key order (std::map: deterministic bytes)
//
// Single-threaded: called from the Server's runtime thread only.

#ifndef RAFTSIM_EXAMPLES_KV_STORE_H_
#define RAFTSIM_EXAMPLES_KV_STORE_H_

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/types/span.h"
#include "raft/server/state_machine.h"

namespace raftsim::examples {

class KvStore final : public raft::StateMachine {
 public:
  // Encodes a put command.
  static std::string Put(std::string_view key, std::string_view value);
  // Encodes a get query.
  static std::string Get(std::string_view key);

  // raft::StateMachine.
  void Apply(absl::Span<const raft::Entry> entries,
             std::vector<std::string>* results) override;
  std::string Query(std::string_view query) const override;
  std::string TakeSnapshot() const override;
  absl::Status Restore(std::string_view data) override;

  const std::map<std::string, std::string>& data() const { return data_; }

 private:
  std::string ApplyOne(std::string_view command);

  std::map<std::string, std::string> data_;
};

}  // namespace raftsim::examples

#endif  // RAFTSIM_EXAMPLES_KV_STORE_H_
