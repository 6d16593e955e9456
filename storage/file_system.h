// storage/file_system.h — the few file-system calls the write-ahead log
// makes, as an interface.
//
// Two implementations: PosixFileSystem (storage/posix_file_system.h, the
// real disk) and sim::SimFileSystem (sim/world/sim_fs.h: a deterministic
// page-cache model that loses, tears and reorders unsynced writes on a
// simulated crash, fails syncs and fills up on demand). Every call returns
// absl::Status / StatusOr: a failing disk is an error, never a CHECK.
//
// Paths are plain strings; JoinPath builds "dir/name". Directories are one
// level deep as far as the WAL is concerned (it keeps all its files in one
// directory).
//
// Threading: a FileSystem and its Files are used from one thread at a time
// (the WAL's I/O context); implementations need not be thread-safe.

#ifndef RAFTSIM_STORAGE_FILE_SYSTEM_H_
#define RAFTSIM_STORAGE_FILE_SYSTEM_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace raftsim::storage {

// An open file. Closing is destruction.
class File {
 public:
  virtual ~File() = default;

  // pwrite: writes all of `data` at `offset` (extending the file).
  virtual absl::Status Write(uint64_t offset, absl::string_view data) = 0;
  // pread: up to `n` bytes at `offset`; fewer at the end of the file.
  virtual absl::StatusOr<std::string> Read(uint64_t offset, size_t n) = 0;
  virtual absl::StatusOr<uint64_t> Size() = 0;
  // fdatasync: the file's data written so far is durable once this returns
  // OK. Not its name: that takes SyncDir of its directory.
  virtual absl::Status Sync() = 0;
  // ftruncate to `size` bytes (not durable until Sync).
  virtual absl::Status Truncate(uint64_t size) = 0;
};

enum class OpenMode {
  kCreateNew,     // O_CREAT | O_EXCL: fails with AlreadyExists if present.
  kOpenExisting,  // Fails with NotFound if absent.
};

class FileSystem {
 public:
  virtual ~FileSystem() = default;

  virtual absl::StatusOr<std::unique_ptr<File>> Open(const std::string& path,
                                                     OpenMode mode) = 0;
  // rename(2): atomically replaces `to` if it exists. Durable after SyncDir.
  virtual absl::Status Rename(const std::string& from,
                              const std::string& to) = 0;
  virtual absl::Status Unlink(const std::string& path) = 0;
  // The names (not paths) in `dir`, sorted; no "." or "..".
  virtual absl::StatusOr<std::vector<std::string>> List(
      const std::string& dir) = 0;
  // fsync of the directory: makes creations, renames and unlinks in it
  // durable.
  virtual absl::Status SyncDir(const std::string& dir) = 0;
  // mkdir -p; OK when it exists.
  virtual absl::Status CreateDir(const std::string& dir) = 0;
};

inline std::string JoinPath(absl::string_view dir, absl::string_view name) {
  std::string path(dir);
  if (!path.empty() && path.back() != '/') path.push_back('/');
  path.append(name.data(), name.size());
  return path;
}

}  // namespace raftsim::storage

#endif  // RAFTSIM_STORAGE_FILE_SYSTEM_H_
