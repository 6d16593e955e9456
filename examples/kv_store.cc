// examples/kv_store.cc — see kv_store.h.
//
// Single-threaded.

#include "examples/kv_store.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"

namespace raftsim::examples {
namespace {

// Splits "verb a b" into words; empty words (double spaces) are dropped.
std::vector<std::string> Words(std::string_view text) {
  return absl::StrSplit(absl::string_view(text.data(), text.size()), ' ',
                        absl::SkipEmpty());
}

bool ValidWord(std::string_view w) {
  return !w.empty() && w.find_first_of(" =\n") == std::string_view::npos;
}

}  // namespace

std::string KvStore::Put(std::string_view key, std::string_view value) {
  return absl::StrCat("put ", std::string(key), " ", std::string(value));
}

std::string KvStore::Get(std::string_view key) {
  return absl::StrCat("get ", std::string(key));
}

void KvStore::Apply(absl::Span<const raft::Entry> entries,
                    std::vector<std::string>* results) {
  for (const raft::Entry& e : entries) {
    // No-op and configuration entries carry no command; their result is
    // never delivered (raft/server/state_machine.h).
    if (e.kind != raft::EntryKind::kNormal) {
      results->emplace_back();
      continue;
    }
    results->push_back(ApplyOne(e.payload.view()));
  }
}

std::string KvStore::ApplyOne(std::string_view command) {
  const std::vector<std::string> w = Words(command);
  if (w.size() != 3 || w[0] != "put" || !ValidWord(w[1]) || !ValidWord(w[2])) {
    return absl::StrCat("error: bad command \"", std::string(command), "\"");
  }
  data_[w[1]] = w[2];
  return "ok";
}

std::string KvStore::Query(std::string_view query) const {
  const std::vector<std::string> w = Words(query);
  if (w.size() != 2 || w[0] != "get") {
    return absl::StrCat("error: bad query \"", std::string(query), "\"");
  }
  auto it = data_.find(w[1]);
  return it == data_.end() ? "" : it->second;
}

std::string KvStore::TakeSnapshot() const {
  std::string out;
  for (const auto& [key, value] : data_)
    absl::StrAppend(&out, key, "=", value, "\n");
  return out;
}

absl::Status KvStore::Restore(std::string_view data) {
  // Decode fully before replacing anything: a bad snapshot (input from
  // another node) leaves the state untouched.
  std::map<std::string, std::string> decoded;
  for (absl::string_view line :
       absl::StrSplit(absl::string_view(data.data(), data.size()), '\n',
                      absl::SkipEmpty())) {
    const size_t eq = line.find('=');
    if (eq == absl::string_view::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat("KvStore snapshot: no '=' in line \"", line, "\""));
    }
    std::string key(line.substr(0, eq)), value(line.substr(eq + 1));
    if (!ValidWord(key) || !ValidWord(value)) {
      return absl::InvalidArgumentError(
          absl::StrCat("KvStore snapshot: bad line \"", line, "\""));
    }
    decoded[std::move(key)] = std::move(value);
  }
  data_ = std::move(decoded);
  return absl::OkStatus();
}

}  // namespace raftsim::examples
