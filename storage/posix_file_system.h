// storage/posix_file_system.h — FileSystem on the real disk (POSIX calls:
// open, pwrite, pread, fstat, fdatasync, ftruncate, rename, unlink,
// opendir, fsync of a directory, mkdir).
//
// Errors carry the call, the path and strerror(errno); ENOSPC comes back as
// ResourceExhausted, ENOENT as NotFound, EEXIST as AlreadyExists.
//
// Thread-compatible: distinct files may be used from distinct threads.

#ifndef RAFTSIM_STORAGE_POSIX_FILE_SYSTEM_H_
#define RAFTSIM_STORAGE_POSIX_FILE_SYSTEM_H_

#include <memory>
#include <string>
#include <vector>

#include "storage/file_system.h"

namespace raftsim::storage {

class PosixFileSystem final : public FileSystem {
 public:
  absl::StatusOr<std::unique_ptr<File>> Open(const std::string& path,
                                             OpenMode mode) override;
  absl::Status Rename(const std::string& from, const std::string& to) override;
  absl::Status Unlink(const std::string& path) override;
  absl::StatusOr<std::vector<std::string>> List(
      const std::string& dir) override;
  absl::Status SyncDir(const std::string& dir) override;
  absl::Status CreateDir(const std::string& dir) override;
};

}  // namespace raftsim::storage

#endif  // RAFTSIM_STORAGE_POSIX_FILE_SYSTEM_H_
