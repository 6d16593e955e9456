// raft/confchange/conf_change.cc — ConfChange names, Describe and codec.

#include "raft/confchange/conf_change.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "base/check.h"

namespace raftsim::raft::confchange {
namespace {

constexpr size_t kHeaderBytes = 4;
constexpr size_t kChangeBytes = 9;

void PutU64(std::string& out, uint64_t v) {
  for (int i = 0; i < 8; ++i) {
    out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  }
}

uint64_t GetU64(std::string_view in) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) {
    v |= uint64_t{static_cast<uint8_t>(in[static_cast<size_t>(i)])} << (8 * i);
  }
  return v;
}

}  // namespace

std::string_view ChangeTypeName(ChangeType type) {
  switch (type) {
    case ChangeType::kAddVoter:
      return "add-voter";
    case ChangeType::kAddLearner:
      return "add-learner";
    case ChangeType::kPromote:
      return "promote";
    case ChangeType::kDemote:
      return "demote";
    case ChangeType::kRemove:
      return "remove";
  }
  return "unknown-change";
}

std::string_view TransitionName(Transition transition) {
  switch (transition) {
    case Transition::kAuto:
      return "auto";
    case Transition::kSimple:
      return "simple";
    case Transition::kJointAutoLeave:
      return "joint-autoleave";
    case Transition::kJointExplicit:
      return "joint-explicit";
    case Transition::kBootstrap:
      return "bootstrap";
  }
  return "unknown-transition";
}

std::string ChangeSingle::Describe() const {
  return absl::StrCat(std::string(ChangeTypeName(type)), "(", node.Describe(),
                      ")");
}

std::string ConfChange::Describe() const {
  if (IsLeaveJoint()) return "leave-joint";
  std::string out = absl::StrCat(std::string(TransitionName(transition)), " [");
  for (size_t i = 0; i < changes.size(); ++i) {
    absl::StrAppend(&out, i == 0 ? "" : " ", changes[i].Describe());
  }
  out += "]";
  return out;
}

std::string EncodeConfChange(const ConfChange& change) {
  CHECK_LE(change.changes.size(), kMaxChanges);
  std::string out;
  out.reserve(kHeaderBytes + kChangeBytes * change.changes.size());
  out.push_back(static_cast<char>(kEncodingVersion));
  out.push_back(static_cast<char>(change.transition));
  const auto count = static_cast<uint16_t>(change.changes.size());
  out.push_back(static_cast<char>(count & 0xff));
  out.push_back(static_cast<char>(count >> 8));
  for (const ChangeSingle& c : change.changes) {
    out.push_back(static_cast<char>(c.type));
    PutU64(out, c.node.value());
  }
  return out;
}

absl::StatusOr<ConfChange> DecodeConfChange(std::string_view bytes) {
  if (bytes.size() < kHeaderBytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        "conf change: ", bytes.size(), " bytes, shorter than the header"));
  }
  const auto version = static_cast<uint8_t>(bytes[0]);
  if (version != kEncodingVersion) {
    return absl::InvalidArgumentError(
        absl::StrCat("conf change: unknown encoding version ", version));
  }
  const auto transition = static_cast<uint8_t>(bytes[1]);
  if (transition >= kTransitionCount) {
    return absl::InvalidArgumentError(
        absl::StrCat("conf change: unknown transition ", transition));
  }
  const size_t count = static_cast<uint8_t>(bytes[2]) |
                       (size_t{static_cast<uint8_t>(bytes[3])} << 8);
  if (count > kMaxChanges) {
    return absl::InvalidArgumentError(absl::StrCat(
        "conf change: ", count, " changes, more than ", kMaxChanges));
  }
  if (bytes.size() != kHeaderBytes + kChangeBytes * count) {
    return absl::InvalidArgumentError(absl::StrCat(
        "conf change: ", bytes.size(), " bytes for ", count,
        " changes (expected ", kHeaderBytes + kChangeBytes * count, ")"));
  }
  ConfChange change;
  change.transition = static_cast<Transition>(transition);
  change.changes.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    const std::string_view rec = bytes.substr(kHeaderBytes + kChangeBytes * i);
    const auto type = static_cast<uint8_t>(rec[0]);
    if (type >= kChangeTypeCount) {
      return absl::InvalidArgumentError(
          absl::StrCat("conf change ", i, ": unknown change type ", type));
    }
    const uint64_t node = GetU64(rec.substr(1));
    if (node == 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("conf change ", i, ": node id 0"));
    }
    change.changes.push_back({static_cast<ChangeType>(type), NodeId(node)});
  }
  if (change.changes.empty() && change.transition != Transition::kAuto) {
    return absl::InvalidArgumentError(
        absl::StrCat("conf change: no changes with transition ",
                     std::string(TransitionName(change.transition))));
  }
  return change;
}

}  // namespace raftsim::raft::confchange
