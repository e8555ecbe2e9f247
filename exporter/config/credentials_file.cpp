#include "exporter/config/credentials_file.h"

#include <sys/stat.h>

#include <cerrno>
#include <fstream>
#include <system_error>

#include "exporter/config/credentials.h"

namespace tcorg::config {

namespace {

// Far above any real credentials file; guards against pointing it at a log or /dev/zero.
constexpr std::streamsize kMaxFileSize = 64 * 1024;

Error file_error(const std::string& path, const std::string& what) {
  return Error{"credentials file " + path + ": " + what};
}

}  // namespace

Result<CredentialsSource::FileStamp> stat_credentials_file(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    return file_error(path, std::error_code(errno, std::generic_category()).message());
  }
  if (!S_ISREG(st.st_mode)) return file_error(path, "not a regular file");
  CredentialsSource::FileStamp stamp;
  stamp.device = st.st_dev;
  stamp.inode = st.st_ino;
  stamp.size = st.st_size;
  stamp.mtime_ns = st.st_mtim.tv_sec * 1'000'000'000LL + st.st_mtim.tv_nsec;
  stamp.ctime_ns = st.st_ctim.tv_sec * 1'000'000'000LL + st.st_ctim.tv_nsec;
  return stamp;
}

Result<api::Credentials> read_credentials_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return file_error(path, "cannot open for reading");
  std::string text(kMaxFileSize + 1, '\0');
  in.read(text.data(), kMaxFileSize + 1);
  if (in.bad()) return file_error(path, "read failed");
  if (in.gcount() > kMaxFileSize) return file_error(path, "larger than 64 KiB");
  text.resize(static_cast<std::size_t>(in.gcount()));
  return parse_credentials_ini(text, path);
}

}  // namespace tcorg::config
