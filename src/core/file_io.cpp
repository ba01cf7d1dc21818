// POSIX file I/O behind file_io.h. Raw file descriptors rather than iostreams
// so that every failure carries errno and fsync is available.
#include "core/file_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/error.h"

namespace gt {

namespace {

std::string reason(int err) { return std::strerror(err); }

// Closes fd on scope exit (read_file's early error returns).
struct FdGuard {
  int fd;
  ~FdGuard() {
    if (fd >= 0) ::close(fd);
  }
};

void fsync_dir(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;  // the rename is done; durability of the entry is best effort
  // Some file systems refuse fsync on directories (EINVAL); the data is still safe.
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

std::string read_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) fail("cannot open " + path + ": " + reason(errno));
  FdGuard guard{fd};
  struct stat st;
  if (::fstat(fd, &st) != 0) fail("cannot open " + path + ": " + reason(errno));
  if (S_ISDIR(st.st_mode)) fail("cannot open " + path + ": " + reason(EISDIR));
  std::string out;
  // st_size is a hint only (pipes, /proc files report 0); read until EOF.
  if (S_ISREG(st.st_mode) && st.st_size > 0) out.reserve(static_cast<size_t>(st.st_size));
  char buf[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail("cannot read " + path + ": " + reason(errno));
    }
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

bool path_exists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

std::string parent_dir(const std::string& path) {
  size_t end = path.size();
  while (end > 1 && path[end - 1] == '/') --end;  // "a/b/" names "a/b"
  const size_t slash = path.rfind('/', end - 1);
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

AtomicFileWriter::AtomicFileWriter(const std::string& path)
    : path_(path), tmp_path_(path + ".tmp." + std::to_string(::getpid())) {
  fd_ = ::open(tmp_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd_ < 0) fail("cannot write " + path_ + ": cannot create " + tmp_path_ + ": " + reason(errno));
}

AtomicFileWriter::~AtomicFileWriter() {
  if (!committed_) abandon();
}

void AtomicFileWriter::abandon() noexcept {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  ::unlink(tmp_path_.c_str());
}

void AtomicFileWriter::write(const void* data, size_t size) {
  if (fd_ < 0) fail("cannot write " + path_ + ": writer already committed or failed");
  const char* p = static_cast<const char*>(data);
  while (size > 0) {
    const ssize_t n = ::write(fd_, p, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      abandon();
      fail("cannot write " + path_ + ": " + reason(err));
    }
    p += n;
    size -= static_cast<size_t>(n);
  }
}

void AtomicFileWriter::commit() {
  if (fd_ < 0) fail("cannot write " + path_ + ": writer already committed or failed");
  // Data must be on disk before the rename publishes it, or a crash could
  // leave a complete-looking name pointing at missing blocks.
  if (::fsync(fd_) != 0) {
    const int err = errno;
    abandon();
    fail("cannot write " + path_ + ": fsync: " + reason(err));
  }
  const int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) {
    const int err = errno;
    abandon();
    fail("cannot write " + path_ + ": close: " + reason(err));
  }
  if (::rename(tmp_path_.c_str(), path_.c_str()) != 0) {
    const int err = errno;
    abandon();
    fail("cannot write " + path_ + ": rename: " + reason(err));
  }
  committed_ = true;
  fsync_dir(parent_dir(path_));
}

void write_file_atomic(const std::string& path, const std::string& bytes) {
  AtomicFileWriter w(path);
  w.write(bytes);
  w.commit();
}

void make_dirs(const std::string& path) {
  if (path.empty()) return;
  // Create each prefix ending before a '/', then the whole path.
  for (size_t pos = 1; pos <= path.size(); ++pos) {
    if (pos < path.size() && path[pos] != '/') continue;
    const std::string dir = path.substr(0, pos);
    if (::mkdir(dir.c_str(), 0755) == 0) continue;
    const int err = errno;
    struct stat st;
    // An existing directory is fine whatever mkdir said (EEXIST, or EACCES /
    // EROFS for a prefix like "/home" we may not write into); this also
    // covers a concurrent creator.
    if (::stat(dir.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) continue;
    fail("cannot create directory " + dir + ": " + reason(err == EEXIST ? ENOTDIR : err));
  }
}

}  // namespace gt
