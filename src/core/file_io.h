// Whole-file reads and crash-safe writes. Every failure is a gt::Error that
// names the path and the system's reason (strerror), never a silent short read.
#pragma once
#include <cstddef>
#include <string>

namespace gt {

// Returns the file's bytes. gt::Error "cannot open <path>: <reason>" (also
// for a directory), "cannot read <path>: <reason>".
std::string read_file(const std::string& path);

// True if something (file or directory) exists at path.
bool path_exists(const std::string& path);

// Writes bytes so that a reader (or a crash) sees either the old file or the
// complete new one: writes <path>.tmp.<pid>, fsyncs it, renames it over
// path, then fsyncs the directory so the rename itself survives a crash.
// The parent directory must exist. On failure the temporary file is removed
// and a gt::Error names path and the reason. Two threads of one process must
// not write the same path at the same time (they would share the temp name).
void write_file_atomic(const std::string& path, const std::string& bytes);

// Streaming form of write_file_atomic for large outputs (checkpoints):
//   AtomicFileWriter w(path); w.write(p, n); ...; w.commit();
// If commit() is never reached (an exception, an early return), the
// destructor removes the temporary file and path is left untouched.
class AtomicFileWriter {
 public:
  explicit AtomicFileWriter(const std::string& path);  // creates the temp file
  ~AtomicFileWriter();
  AtomicFileWriter(const AtomicFileWriter&) = delete;
  AtomicFileWriter& operator=(const AtomicFileWriter&) = delete;

  void write(const void* data, size_t size);
  void write(const std::string& bytes) { write(bytes.data(), bytes.size()); }
  // fsync, rename over the target, fsync the directory. Call once.
  void commit();

 private:
  std::string path_, tmp_path_;
  int fd_ = -1;
  bool committed_ = false;
  void abandon() noexcept;  // close and unlink the temp file
};

// Creates path and any missing parents (like `mkdir -p`); an existing
// directory is fine. gt::Error "cannot create directory <dir>: <reason>",
// e.g. when a component is a regular file.
void make_dirs(const std::string& path);

// The directory part of path: "a/b/c.txt" -> "a/b", "c.txt" -> ".", "/x" -> "/".
std::string parent_dir(const std::string& path);

}  // namespace gt
