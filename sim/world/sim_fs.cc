// sim/world/sim_fs.cc — the simulated page cache and its crash model.

#include "sim/world/sim_fs.h"

#include <algorithm>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "base/check.h"

namespace raftsim::sim {
namespace {

// Splits "a/b/c" into ("a/b", "c"); a bare name lives in "".
std::pair<std::string, std::string> SplitPath(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return {"", path};
  return {path.substr(0, slash), path.substr(slash + 1)};
}

// One pending write or truncation of a file.
struct PendingWrite {
  bool truncate = false;
  uint64_t offset = 0;  // Or the new size, for a truncation.
  std::string data;
};

void ApplyWrite(const PendingWrite& w, size_t bytes, std::string* to) {
  if (w.truncate) {
    to->resize(w.offset);
    return;
  }
  const uint64_t end = w.offset + bytes;
  if (to->size() < end) to->resize(end);
  to->replace(w.offset, bytes, w.data, 0, bytes);
}

// One pending name operation of a directory.
struct NameOp {
  enum Kind { kLink, kUnlink, kRename } kind;
  std::string name;
  std::string to;                               // kRename only.
  std::shared_ptr<SimFileSystem::Inode> inode;  // kLink only.
};

void ApplyNameOp(
    const NameOp& op,
    std::map<std::string, std::shared_ptr<SimFileSystem::Inode>>* names) {
  switch (op.kind) {
    case NameOp::kLink:
      (*names)[op.name] = op.inode;
      return;
    case NameOp::kUnlink:
      names->erase(op.name);
      return;
    case NameOp::kRename: {
      auto it = names->find(op.name);
      if (it == names->end()) return;
      std::shared_ptr<SimFileSystem::Inode> inode = it->second;
      names->erase(it);
      (*names)[op.to] = std::move(inode);
      return;
    }
  }
}

}  // namespace

struct SimFileSystem::Inode {
  std::string durable;
  std::string current;
  std::vector<PendingWrite> pending;  // Since the last Sync, in order.
};

struct SimFileSystem::Dir {
  std::map<std::string, std::shared_ptr<Inode>> durable;
  std::map<std::string, std::shared_ptr<Inode>> current;
  std::vector<NameOp> pending;  // Since the last SyncDir, in order.
};

class SimFileSystem::SimFile final : public storage::File {
 public:
  SimFile(SimFileSystem* fs, std::shared_ptr<Inode> inode, std::string path)
      : fs_(fs),
        inode_(std::move(inode)),
        path_(std::move(path)),
        epoch_(fs->epoch_) {}

  absl::Status Write(uint64_t offset, absl::string_view data) override {
    if (absl::Status s = Enter(true); !s.ok()) return s;
    const uint64_t end = offset + data.size();
    const uint64_t size = inode_->current.size();
    if (absl::Status s = fs_->Reserve(path_, end > size ? end - size : 0);
        !s.ok()) {
      return s;
    }
    PendingWrite w{
        .truncate = false, .offset = offset, .data = std::string(data)};
    ApplyWrite(w, w.data.size(), &inode_->current);
    inode_->pending.push_back(std::move(w));
    return absl::OkStatus();
  }

  absl::StatusOr<std::string> Read(uint64_t offset, size_t n) override {
    if (absl::Status s = Enter(false); !s.ok()) return s;
    if (offset >= inode_->current.size()) return std::string();
    return inode_->current.substr(offset, n);
  }

  absl::StatusOr<uint64_t> Size() override {
    if (absl::Status s = Enter(false); !s.ok()) return s;
    return inode_->current.size();
  }

  absl::Status Sync() override {
    if (absl::Status s = Enter(true); !s.ok()) return s;
    if (absl::Status s = fs_->MaybeFailSync(absl::StrCat("fdatasync ", path_));
        !s.ok()) {
      return s;
    }
    inode_->durable = inode_->current;
    inode_->pending.clear();
    return absl::OkStatus();
  }

  absl::Status Truncate(uint64_t size) override {
    if (absl::Status s = Enter(true); !s.ok()) return s;
    const uint64_t now = inode_->current.size();
    if (absl::Status s = fs_->Reserve(path_, size > now ? size - now : 0);
        !s.ok()) {
      return s;
    }
    PendingWrite w{.truncate = true, .offset = size, .data = ""};
    ApplyWrite(w, 0, &inode_->current);
    inode_->pending.push_back(std::move(w));
    return absl::OkStatus();
  }

 private:
  absl::Status Enter(bool mutating) {
    if (epoch_ != fs_->epoch_) {
      return absl::FailedPreconditionError(
          absl::StrCat(path_, ": stale file handle (the disk crashed)"));
    }
    return fs_->Enter(mutating);
  }

  SimFileSystem* const fs_;
  const std::shared_ptr<Inode> inode_;
  const std::string path_;
  const uint64_t epoch_;
};

SimFileSystem::SimFileSystem(Prng prng, SimFsOptions options)
    : prng_(std::move(prng)), options_(options) {
  dirs_[""] = std::make_unique<Dir>();
}

SimFileSystem::~SimFileSystem() = default;

absl::Status SimFileSystem::Enter(bool mutating) {
  if (dead_) {
    return absl::AbortedError("the process died (simulated crash pending)");
  }
  if (!mutating) return absl::OkStatus();
  ++ops_;
  if (ops_ == die_at_) {
    dead_ = true;
    return absl::AbortedError(
        absl::StrCat("the process died at file-system op ", ops_));
  }
  if (auto it = fail_at_.find(ops_); it != fail_at_.end()) {
    absl::Status s = std::move(it->second);
    fail_at_.erase(it);
    return s;
  }
  return absl::OkStatus();
}

void SimFileSystem::FailOp(uint64_t op, absl::Status status) {
  CHECK(!status.ok());
  fail_at_[op] = std::move(status);
}

absl::Status SimFileSystem::MaybeFailSync(const std::string& what) {
  if (options_.sync_fail_ppm == 0 ||
      !prng_.Ratio(options_.sync_fail_ppm, 1'000'000)) {
    return absl::OkStatus();
  }
  return absl::InternalError(
      absl::StrCat(what, ": input/output error (EIO, injected)"));
}

uint64_t SimFileSystem::used_bytes() const {
  std::set<const Inode*> seen;  // Membership only; never iterated.
  uint64_t total = 0;
  for (const auto& [path, dir] : dirs_) {
    for (const auto& [name, inode] : dir->current) {
      if (seen.insert(inode.get()).second) total += inode->current.size();
    }
  }
  return total;
}

absl::Status SimFileSystem::Reserve(const std::string& path,
                                    uint64_t grow_bytes) {
  if (grow_bytes == 0) return absl::OkStatus();
  const uint64_t used = used_bytes();
  if (used > options_.capacity_bytes ||
      grow_bytes > options_.capacity_bytes - used) {
    return absl::ResourceExhaustedError(
        absl::StrCat("write ", path, ": no space left on device (ENOSPC)"));
  }
  return absl::OkStatus();
}

SimFileSystem::Dir* SimFileSystem::FindDir(const std::string& dir) {
  auto it = dirs_.find(dir);
  return it == dirs_.end() ? nullptr : it->second.get();
}

const SimFileSystem::Dir* SimFileSystem::FindDir(const std::string& dir) const {
  auto it = dirs_.find(dir);
  return it == dirs_.end() ? nullptr : it->second.get();
}

std::shared_ptr<SimFileSystem::Inode> SimFileSystem::Lookup(
    const std::string& path) const {
  const auto [dir, name] = SplitPath(path);
  const Dir* d = FindDir(dir);
  if (d == nullptr) return nullptr;
  auto it = d->current.find(name);
  return it == d->current.end() ? nullptr : it->second;
}

absl::StatusOr<std::unique_ptr<storage::File>> SimFileSystem::Open(
    const std::string& path, storage::OpenMode mode) {
  const bool create = mode == storage::OpenMode::kCreateNew;
  if (absl::Status s = Enter(create); !s.ok()) return s;
  const auto [dir, name] = SplitPath(path);
  Dir* d = FindDir(dir);
  if (d == nullptr) {
    return absl::NotFoundError(absl::StrCat("open ", path, ": no directory"));
  }
  auto it = d->current.find(name);
  if (!create) {
    if (it == d->current.end()) {
      return absl::NotFoundError(absl::StrCat("open ", path, ": no such file"));
    }
    return std::unique_ptr<storage::File>(new SimFile(this, it->second, path));
  }
  if (it != d->current.end()) {
    return absl::AlreadyExistsError(absl::StrCat("open ", path, ": exists"));
  }
  auto inode = std::make_shared<Inode>();
  d->current[name] = inode;
  d->pending.push_back(
      NameOp{.kind = NameOp::kLink, .name = name, .to = "", .inode = inode});
  return std::unique_ptr<storage::File>(new SimFile(this, inode, path));
}

absl::Status SimFileSystem::Rename(const std::string& from,
                                   const std::string& to) {
  if (absl::Status s = Enter(true); !s.ok()) return s;
  const auto [dir, name] = SplitPath(from);
  const auto [to_dir, to_name] = SplitPath(to);
  if (dir != to_dir) {
    return absl::InvalidArgumentError(
        absl::StrCat("rename ", from, " -> ", to, ": across directories"));
  }
  Dir* d = FindDir(dir);
  if (d == nullptr || !d->current.contains(name)) {
    return absl::NotFoundError(absl::StrCat("rename ", from, ": no such file"));
  }
  NameOp op{
      .kind = NameOp::kRename, .name = name, .to = to_name, .inode = nullptr};
  ApplyNameOp(op, &d->current);
  d->pending.push_back(std::move(op));
  return absl::OkStatus();
}

absl::Status SimFileSystem::Unlink(const std::string& path) {
  if (absl::Status s = Enter(true); !s.ok()) return s;
  const auto [dir, name] = SplitPath(path);
  Dir* d = FindDir(dir);
  if (d == nullptr || !d->current.contains(name)) {
    return absl::NotFoundError(absl::StrCat("unlink ", path, ": no such file"));
  }
  NameOp op{.kind = NameOp::kUnlink, .name = name, .to = "", .inode = nullptr};
  ApplyNameOp(op, &d->current);
  d->pending.push_back(std::move(op));
  return absl::OkStatus();
}

absl::StatusOr<std::vector<std::string>> SimFileSystem::List(
    const std::string& dir) {
  if (absl::Status s = Enter(false); !s.ok()) return s;
  const Dir* d = FindDir(dir);
  if (d == nullptr) {
    return absl::NotFoundError(absl::StrCat("opendir ", dir, ": no such dir"));
  }
  std::vector<std::string> names;
  for (const auto& [name, inode] : d->current) names.push_back(name);
  return names;
}

absl::Status SimFileSystem::SyncDir(const std::string& dir) {
  if (absl::Status s = Enter(true); !s.ok()) return s;
  Dir* d = FindDir(dir);
  if (d == nullptr) {
    return absl::NotFoundError(absl::StrCat("fsync ", dir, ": no such dir"));
  }
  if (absl::Status s = MaybeFailSync(absl::StrCat("fsync ", dir)); !s.ok()) {
    return s;
  }
  d->durable = d->current;
  d->pending.clear();
  return absl::OkStatus();
}

absl::Status SimFileSystem::CreateDir(const std::string& dir) {
  if (absl::Status s = Enter(true); !s.ok()) return s;
  if (!dirs_.contains(dir)) dirs_[dir] = std::make_unique<Dir>();
  return absl::OkStatus();
}

void SimFileSystem::Crash() {
  // Names first: a prefix of each directory's pending operations.
  for (auto& [path, dir] : dirs_) {
    const size_t keep = prng_.Uniform(dir->pending.size() + 1);
    for (size_t i = 0; i < keep; ++i)
      ApplyNameOp(dir->pending[i], &dir->durable);
    dir->pending.clear();
    dir->current = dir->durable;
  }
  // Then data: each surviving file keeps a prefix of its pending writes,
  // the first lost one perhaps torn.
  std::set<const Inode*> seen;  // Membership only; never iterated.
  for (auto& [path, dir] : dirs_) {
    for (auto& [name, inode] : dir->durable) {
      if (!seen.insert(inode.get()).second) continue;
      const size_t n = inode->pending.size();
      const size_t keep = prng_.Uniform(n + 1);
      for (size_t i = 0; i < keep; ++i) {
        ApplyWrite(inode->pending[i], inode->pending[i].data.size(),
                   &inode->durable);
      }
      if (options_.torn_writes && keep < n && !inode->pending[keep].truncate) {
        const PendingWrite& torn = inode->pending[keep];
        ApplyWrite(torn, prng_.Uniform(torn.data.size() + 1), &inode->durable);
      }
      inode->pending.clear();
      inode->current = inode->durable;
    }
  }
  ++epoch_;
  dead_ = false;
  die_at_ = 0;
  fail_at_.clear();
}

std::optional<std::string> SimFileSystem::CurrentContents(
    const std::string& path) const {
  std::shared_ptr<Inode> inode = Lookup(path);
  if (inode == nullptr) return std::nullopt;
  return inode->current;
}

std::optional<std::string> SimFileSystem::DurableContents(
    const std::string& path) const {
  const auto [dir, name] = SplitPath(path);
  const Dir* d = FindDir(dir);
  if (d == nullptr) return std::nullopt;
  auto it = d->durable.find(name);
  if (it == d->durable.end()) return std::nullopt;
  return it->second->durable;
}

bool SimFileSystem::CorruptByte(const std::string& path, uint64_t offset,
                                uint8_t mask) {
  std::shared_ptr<Inode> inode = Lookup(path);
  if (inode == nullptr || offset >= inode->current.size()) return false;
  inode->current[offset] = static_cast<char>(inode->current[offset] ^ mask);
  if (offset < inode->durable.size()) {
    inode->durable[offset] = static_cast<char>(inode->durable[offset] ^ mask);
  }
  return true;
}

}  // namespace raftsim::sim
