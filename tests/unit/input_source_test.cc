// Tests for opening inputs (src/input/): plain files, stdin, errors, and
// decompression chosen by magic bytes, including truncated and corrupt
// compressed files.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "input/compression.h"
#include "input/decompress.h"
#include "input/fd_source.h"
#include "input/memory_source.h"
#include "input/open_input.h"
#include "input/utf16_source.h"
#include "input/zstd_frame_tracker.h"
#include "lines/line_reader.h"

namespace sshlogwhy {
namespace {

namespace fs = std::filesystem;
using namespace std::string_literals;

// A fresh directory per test, removed afterwards.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "sshlogwhy-input-XXXXXX").string();
    char* made = ::mkdtemp(tmpl.data());
    EXPECT_NE(made, nullptr);
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  fs::path path_;
};

void write_file(const std::string& path, const std::string& data) {
  std::ofstream f(path, std::ios::binary);
  f.write(data.data(), static_cast<std::streamsize>(data.size()));
}

std::string read_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

bool have_tool(const std::string& tool) {
  return std::system(("command -v " + tool + " >/dev/null 2>&1").c_str()) == 0;
}

// Compresses `src` into `dst` with the command-line tool.
void compress(const std::string& tool, const std::string& src, const std::string& dst,
              const std::string& flags = "") {
  std::string cmd = tool + " -c " + flags + " < '" + src + "' > '" + dst + "'";
  if (tool == "zstd") cmd = "zstd -q -c " + flags + " < '" + src + "' > '" + dst + "'";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
}

std::string log_text(int lines, int first = 1) {
  std::string s;
  for (int i = first; i < first + lines; ++i) {
    s += "Nov 23 18:12:27 bastion sshd[" + std::to_string(i) + "]: Failed password for root from 203.0.113." +
         std::to_string(i % 250) + " port " + std::to_string(40000 + i % 20000) + " ssh2\n";
  }
  return s;
}

struct ReadAll {
  std::vector<std::string> lines;
  std::optional<Error> error;
};

ReadAll read_lines(std::unique_ptr<ByteSource> src) {
  LineReader reader(std::move(src));
  ReadAll out;
  Line line;
  for (;;) {
    Result<bool> more = reader.next(line);
    if (!more.ok()) {
      out.error = more.error();
      break;
    }
    if (!more.value()) break;
    out.lines.push_back(line.text);
  }
  return out;
}

std::vector<std::string> split_lines(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < s.size()) {
    size_t nl = s.find('\n', start);
    out.push_back(s.substr(start, nl - start));
    start = nl + 1;
  }
  return out;
}

std::string read_raw(ByteSource& src, std::optional<Error>* error = nullptr) {
  std::string out;
  char buf[4096];
  for (;;) {
    Result<size_t> n = src.read(buf, sizeof buf);
    if (!n.ok()) {
      if (error) *error = n.error();
      break;
    }
    if (n.value() == 0) break;
    out.append(buf, n.value());
  }
  return out;
}

// ------------------------------------------------------------ detection

TEST(DetectCompression, MagicBytes) {
  EXPECT_EQ(detect_compression("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03"s), Compression::kGzip);
  EXPECT_EQ(detect_compression("\xfd" "7zXZ\x00\x00\x04\xe6\xd6"s), Compression::kXz);
  EXPECT_EQ(detect_compression("\x28\xb5\x2f\xfd\x04\x58"s), Compression::kZstd);
  EXPECT_EQ(detect_compression("\x50\x2a\x4d\x18\x04\x00\x00\x00"s), Compression::kZstd);  // skippable
  EXPECT_EQ(detect_compression("BZh91AY&SY"s), Compression::kBzip2);
  EXPECT_EQ(detect_compression("BZh9\x17\x72\x45\x38\x50\x90"s), Compression::kBzip2);  // empty stream
}

TEST(DetectCompression, TextThatLooksAlmostCompressedIsPlain) {
  EXPECT_EQ(detect_compression(""), Compression::kNone);
  EXPECT_EQ(detect_compression("BZh9 is what bzip2 files start with"), Compression::kNone);
  EXPECT_EQ(detect_compression("\x1f\x8b"s), Compression::kNone);           // too short
  EXPECT_EQ(detect_compression("\x1f\x8b\x07\x00"s), Compression::kNone);   // not deflate
  EXPECT_EQ(detect_compression("Nov 23 18:12:27 host sshd[1]: x"), Compression::kNone);
  EXPECT_EQ(detect_compression("\xfd" "7zXY\x00"s), Compression::kNone);
}

TEST(DetectCompression, Names) {
  EXPECT_EQ(compression_name(Compression::kGzip), "gzip");
  EXPECT_EQ(compression_name(Compression::kBzip2), "bzip2");
  EXPECT_EQ(compression_name(Compression::kXz), "xz");
  EXPECT_EQ(compression_name(Compression::kZstd), "zstd");
  EXPECT_EQ(compression_name(Compression::kNone), "plain");
}

// ------------------------------------------------------------ plain files

TEST(OpenInput, PlainFile) {
  TempDir dir;
  std::string text = "line one\nline two\r\nlast";
  write_file(dir.file("auth.log"), text);
  InputFormat format;
  format.compression = Compression::kGzip;
  Result<std::unique_ptr<ByteSource>> src = open_input(dir.file("auth.log"), {}, &format);
  ASSERT_TRUE(src.ok()) << src.error().to_string();
  EXPECT_EQ(format.compression, Compression::kNone);
  EXPECT_EQ(format.encoding, TextEncoding::kAsIs);
  EXPECT_EQ(src.value()->name(), dir.file("auth.log"));
  EXPECT_EQ(read_raw(*src.value()), text);
}

TEST(OpenInput, ShortAndEmptyFiles) {
  TempDir dir;
  for (std::string text : {""s, "x"s, "\x1f"s, "\x1f\x8b"s, "BZh"s}) {
    write_file(dir.file("f"), text);
    Result<std::unique_ptr<ByteSource>> src = open_input(dir.file("f"));
    ASSERT_TRUE(src.ok());
    EXPECT_EQ(read_raw(*src.value()), text);
  }
}

TEST(OpenInput, MissingFileNamesThePathAndTheReason) {
  TempDir dir;
  std::string path = dir.file("no-such-auth.log");
  Result<std::unique_ptr<ByteSource>> src = open_input(path);
  ASSERT_FALSE(src.ok());
  EXPECT_EQ(src.error().file, path);
  EXPECT_EQ(src.error().line, 0u);
  EXPECT_EQ(src.error().message, "cannot open: No such file or directory");
  EXPECT_EQ(src.error().to_string(), path + ": cannot open: No such file or directory");
}

TEST(OpenInput, DirectoryIsAnError) {
  TempDir dir;
  std::string path = dir.file("logs");
  fs::create_directory(path);
  Result<std::unique_ptr<ByteSource>> src = open_input(path);
  ASSERT_FALSE(src.ok());
  EXPECT_EQ(src.error().file, path);
  EXPECT_EQ(src.error().message, "cannot read: Is a directory");
}

TEST(OpenInput, UnreadableFile) {
  if (::geteuid() == 0) GTEST_SKIP() << "root can read any file";
  TempDir dir;
  std::string path = dir.file("secret.log");
  write_file(path, "x\n");
  ::chmod(path.c_str(), 0);
  Result<std::unique_ptr<ByteSource>> src = open_input(path);
  ASSERT_FALSE(src.ok());
  EXPECT_EQ(src.error().message, "cannot open: Permission denied");
}

// Points fd 0 at a file for the life of the object.
class StdinFrom {
 public:
  explicit StdinFrom(const std::string& path) {
    saved_ = ::dup(0);
    int fd = ::open(path.c_str(), O_RDONLY);
    EXPECT_GE(fd, 0);
    ::dup2(fd, 0);
    ::close(fd);
  }
  ~StdinFrom() {
    ::dup2(saved_, 0);
    ::close(saved_);
  }

 private:
  int saved_;
};

TEST(OpenInput, DashIsStandardInput) {
  TempDir dir;
  std::string text = log_text(50);
  write_file(dir.file("in.log"), text);
  StdinFrom redirect(dir.file("in.log"));
  Result<std::unique_ptr<ByteSource>> src = open_input("-");
  ASSERT_TRUE(src.ok());
  EXPECT_EQ(src.value()->name(), "<stdin>");
  EXPECT_EQ(read_raw(*src.value()), text);
}

TEST(OpenInput, CompressedStandardInput) {
  if (!have_tool("gzip")) GTEST_SKIP() << "gzip not installed";
  TempDir dir;
  std::string text = log_text(500);
  write_file(dir.file("in.log"), text);
  compress("gzip", dir.file("in.log"), dir.file("in.gz"));
  StdinFrom redirect(dir.file("in.gz"));
  InputFormat format;
  Result<std::unique_ptr<ByteSource>> src = open_input("-", {}, &format);
  ASSERT_TRUE(src.ok());
  EXPECT_EQ(format.compression, Compression::kGzip);
  EXPECT_EQ(read_raw(*src.value()), text);
}

TEST(FdSource, PeekDoesNotConsume) {
  TempDir dir;
  write_file(dir.file("f"), "abcdefgh");
  Result<std::unique_ptr<FdSource>> src = FdSource::open_file(dir.file("f"));
  ASSERT_TRUE(src.ok());
  Result<std::string_view> head = src.value()->peek(3);
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head.value(), "abc");
  char buf[2];
  Result<size_t> n = src.value()->read(buf, 2);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(std::string(buf, n.value()), "ab");
  Result<std::string_view> more = src.value()->peek(100);
  ASSERT_TRUE(more.ok());
  EXPECT_EQ(more.value(), "cdefgh");
  EXPECT_EQ(read_raw(*src.value()), "cdefgh");
}

TEST(MemorySource, ChunksAndEnd) {
  MemorySource src("mem", "hello world", 4);
  EXPECT_EQ(src.name(), "mem");
  char buf[100];
  Result<size_t> n = src.read(buf, sizeof buf);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n.value(), 4u);
  EXPECT_EQ(read_raw(src), "o world");
}

// ------------------------------------------------------------- round trips

struct Format {
  const char* tool;
  Compression compression;
};
const Format kFormats[] = {
    {"gzip", Compression::kGzip},
    {"bzip2", Compression::kBzip2},
    {"xz", Compression::kXz},
    {"zstd", Compression::kZstd},
};

TEST(Decompression, RoundTripEachFormatByContentNotName) {
  TempDir dir;
  const std::string text = log_text(30000);  // ~2.8 MB, several buffers
  write_file(dir.file("plain"), text);
  for (const Format& f : kFormats) {
    if (!have_tool(f.tool)) {
      ADD_FAILURE() << f.tool << " not installed";
      continue;
    }
    // A misleading name: the format must come from the bytes.
    std::string path = dir.file(std::string("auth.log.") + f.tool + ".txt");
    compress(f.tool, dir.file("plain"), path);
    InputFormat format;
    Result<std::unique_ptr<ByteSource>> src = open_input(path, {}, &format);
    ASSERT_TRUE(src.ok()) << src.error().to_string();
    EXPECT_EQ(format.compression, f.compression) << f.tool;
    EXPECT_EQ(src.value()->name(), path);
    ReadAll r = read_lines(std::move(src.value()));
    EXPECT_FALSE(r.error.has_value()) << f.tool << ": " << r.error->to_string();
    EXPECT_EQ(r.lines, split_lines(text)) << f.tool;
  }
}

TEST(Decompression, EmptyCompressedInput) {
  TempDir dir;
  write_file(dir.file("empty"), "");
  for (const Format& f : kFormats) {
    if (!have_tool(f.tool)) continue;
    std::string path = dir.file(std::string("empty.") + f.tool);
    compress(f.tool, dir.file("empty"), path);
    Result<std::unique_ptr<ByteSource>> src = open_input(path);
    ASSERT_TRUE(src.ok());
    ReadAll r = read_lines(std::move(src.value()));
    EXPECT_FALSE(r.error.has_value()) << f.tool << ": " << r.error->to_string();
    EXPECT_TRUE(r.lines.empty()) << f.tool;
  }
}

TEST(Decompression, ConcatenatedStreamsReadAsOne) {
  // `cat auth.log.2.gz auth.log.3.gz > both.gz`, pbzip2, multi-frame zstd.
  TempDir dir;
  std::string a = log_text(2000, 1), b = log_text(10, 5000);
  write_file(dir.file("a"), a);
  write_file(dir.file("b"), b);
  for (const Format& f : kFormats) {
    if (!have_tool(f.tool)) continue;
    std::string ca = dir.file(std::string("a.") + f.tool), cb = dir.file(std::string("b.") + f.tool);
    compress(f.tool, dir.file("a"), ca);
    compress(f.tool, dir.file("b"), cb);
    std::string both = dir.file(std::string("both.") + f.tool);
    write_file(both, read_file(ca) + read_file(cb));
    Result<std::unique_ptr<ByteSource>> src = open_input(both);
    ASSERT_TRUE(src.ok());
    ReadAll r = read_lines(std::move(src.value()));
    EXPECT_FALSE(r.error.has_value()) << f.tool << ": " << r.error->to_string();
    EXPECT_EQ(r.lines, split_lines(a + b)) << f.tool;
  }
}

TEST(Decompression, ZstdVariants) {
  if (!have_tool("zstd")) GTEST_SKIP() << "zstd not installed";
  TempDir dir;
  std::string text = log_text(5000);
  write_file(dir.file("plain"), text);
  for (std::string flags : {"--no-check", "-19", "--content-size", "--no-content-size -1", "--long=27"}) {
    std::string path = dir.file("v.zst");
    compress("zstd", dir.file("plain"), path, flags);
    Result<std::unique_ptr<ByteSource>> src = open_input(path);
    ASSERT_TRUE(src.ok());
    ReadAll r = read_lines(std::move(src.value()));
    EXPECT_FALSE(r.error.has_value()) << flags << ": " << r.error->to_string();
    EXPECT_EQ(r.lines, split_lines(text)) << flags;
  }
  // A skippable frame before the data frame.
  std::string path = dir.file("skip.zst");
  compress("zstd", dir.file("plain"), path);
  std::string skippable = "\x50\x2a\x4d\x18\x05\x00\x00\x00hello"s;
  write_file(path, skippable + read_file(path));
  Result<std::unique_ptr<ByteSource>> src = open_input(path);
  ASSERT_TRUE(src.ok());
  ReadAll r = read_lines(std::move(src.value()));
  EXPECT_FALSE(r.error.has_value()) << r.error->to_string();
  EXPECT_EQ(r.lines, split_lines(text));
}

TEST(Decompression, DisabledPassesCompressedBytesThrough) {
  if (!have_tool("gzip")) GTEST_SKIP();
  TempDir dir;
  write_file(dir.file("plain"), log_text(10));
  compress("gzip", dir.file("plain"), dir.file("x.gz"));
  InputOptions o;
  o.decompress = false;
  Result<std::unique_ptr<ByteSource>> src = open_input(dir.file("x.gz"), o);
  ASSERT_TRUE(src.ok());
  EXPECT_EQ(read_raw(*src.value()), read_file(dir.file("x.gz")));
}

// ----------------------------------------------------- damaged compression

// Reads a damaged compressed file and checks: at least `min_good_lines`
// lines come out and match the start of the original, then an Error naming
// the file and the format. When `exact` (truncation), every line that came
// out is an original line. Corruption cannot promise that: bzip2 and xz
// check their CRC only at the end of a block, after its bytes streamed out.
void check_damaged(const Format& f, const std::string& name, const std::string& damaged_bytes,
                   const std::string& text, const TempDir& dir, size_t min_good_lines, bool exact) {
  std::string path = dir.file(name);
  write_file(path, damaged_bytes);
  Result<std::unique_ptr<ByteSource>> src = open_input(path);
  ASSERT_TRUE(src.ok());
  ReadAll r = read_lines(std::move(src.value()));
  ASSERT_TRUE(r.error.has_value()) << f.tool << " " << name << ": damaged data was accepted";
  EXPECT_EQ(r.error->file, path);
  EXPECT_NE(r.error->message.find("truncated or corrupt " + std::string(compression_name(f.compression)) +
                                  " data"),
            std::string::npos)
      << r.error->message;
  EXPECT_EQ(r.error->line, r.lines.size() + 1) << f.tool << " " << name;
  std::vector<std::string> all = split_lines(text);
  EXPECT_GE(r.lines.size(), min_good_lines) << f.tool << " " << name;
  if (std::getenv("SSHLOGWHY_TEST_VERBOSE")) {
    std::printf("%s: %zu of %zu lines before the error\n", name.c_str(), r.lines.size(), split_lines(text).size());
  }
  size_t check = exact ? r.lines.size() : std::min(r.lines.size(), min_good_lines);
  ASSERT_LE(check, all.size());
  for (size_t i = 0; i < check; ++i) ASSERT_EQ(r.lines[i], all[i]) << f.tool << " line " << i;
}

// -1 everywhere: fast, and bzip2 -1 has 100 kB blocks, so a cut file
// still holds complete blocks (bzip2 decodes a block all or nothing).
TEST(Decompression, TruncatedFileGivesAnErrorAfterTheGoodLines) {
  TempDir dir;
  const std::string text = log_text(30000);  // ~2.8 MB
  write_file(dir.file("plain"), text);
  for (const Format& f : kFormats) {
    if (!have_tool(f.tool)) {
      ADD_FAILURE() << f.tool << " not installed";
      continue;
    }
    std::string full_path = dir.file(std::string("full.") + f.tool);
    compress(f.tool, dir.file("plain"), full_path, "-1");
    const std::string full = read_file(full_path);
    // Half the file: a good part of the lines must come out.
    check_damaged(f, std::string("half.") + f.tool, full.substr(0, full.size() / 2), text, dir, 10000,
                  /*exact=*/true);
    // Only the trailer missing (gzip CRC/size, zstd checksum, xz index):
    // nearly all lines come out.
    check_damaged(f, std::string("short.") + f.tool, full.substr(0, full.size() - 3), text, dir, 25000,
                  /*exact=*/true);
  }
}

TEST(Decompression, CorruptDataGivesAnError) {
  TempDir dir;
  const std::string text = log_text(30000);
  write_file(dir.file("plain"), text);
  for (const Format& f : kFormats) {
    if (!have_tool(f.tool)) continue;
    std::string full_path = dir.file(std::string("full.") + f.tool);
    compress(f.tool, dir.file("plain"), full_path, "-1");
    std::string bytes = read_file(full_path);
    for (size_t i = 0; i < 64; ++i) bytes[bytes.size() / 2 + i] = static_cast<char>(bytes[bytes.size() / 2 + i] ^ 0x5a);
    check_damaged(f, std::string("corrupt.") + f.tool, bytes, text, dir, 1000, /*exact=*/false);
  }
}

TEST(Decompression, TrailingGarbageAfterZstdIsAnError) {
  if (!have_tool("zstd")) GTEST_SKIP();
  TempDir dir;
  std::string text = log_text(100);
  write_file(dir.file("plain"), text);
  compress("zstd", dir.file("plain"), dir.file("x.zst"));
  std::string path = dir.file("garbage.zst");
  write_file(path, read_file(dir.file("x.zst")) + "\x28\xb5\x2f\xfd"s);  // a frame that never comes
  Result<std::unique_ptr<ByteSource>> src = open_input(path);
  ASSERT_TRUE(src.ok());
  ReadAll r = read_lines(std::move(src.value()));
  ASSERT_TRUE(r.error.has_value());
  EXPECT_NE(r.error->message.find("truncated or corrupt zstd data"), std::string::npos);
}

// An I/O error of the compressed file is reported as itself, not as
// corrupt data.
class ErrorAfter final : public ByteSource {
 public:
  ErrorAfter(std::string data) : ByteSource("disk.gz"), data_(std::move(data)) {}
  Result<size_t> read(char* buf, size_t cap) override {
    if (pos_ == data_.size()) return Error{"disk.gz", 0, "cannot read: Input/output error"};
    size_t n = std::min(cap, data_.size() - pos_);
    std::memcpy(buf, data_.data() + pos_, n);
    pos_ += n;
    return n;
  }

 private:
  std::string data_;
  size_t pos_ = 0;
};

TEST(Decompression, UnderlyingReadErrorIsPassedThrough) {
  if (!have_tool("gzip")) GTEST_SKIP();
  TempDir dir;
  write_file(dir.file("plain"), log_text(20000));
  compress("gzip", dir.file("plain"), dir.file("x.gz"));
  std::string gz = read_file(dir.file("x.gz"));
  std::unique_ptr<ByteSource> src =
      make_decompressing_source(std::make_unique<ErrorAfter>(gz.substr(0, gz.size() / 2)), Compression::kGzip);
  EXPECT_EQ(src->name(), "disk.gz");
  std::optional<Error> error;
  std::string got = read_raw(*src, &error);
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->message, "cannot read: Input/output error");
  EXPECT_GT(got.size(), 0u);
  // The error is sticky.
  char buf[16];
  Result<size_t> again = src->read(buf, sizeof buf);
  EXPECT_FALSE(again.ok());
}

// ----------------------------------------------------------------- UTF-16

std::string to_utf16(const std::u16string& s, bool big_endian, bool bom) {
  std::string out;
  auto put = [&](char16_t u) {
    char hi = static_cast<char>(u >> 8), lo = static_cast<char>(u & 0xff);
    out += big_endian ? hi : lo;
    out += big_endian ? lo : hi;
  };
  if (bom) put(0xFEFF);
  for (char16_t u : s) put(u);
  return out;
}

TEST(Utf16, PowerShellRedirectIsReadAsUtf8) {
  TempDir dir;
  // Windows OpenSSH trace as PowerShell 5.1 writes it: UTF-16LE, BOM, CRLF;
  // a non-ASCII user name and a character outside the BMP (surrogates).
  std::u16string trace =
      u"OpenSSH_for_Windows_9.5p1, LibreSSL 3.8.2\r\n"
      u"debug1: Reading configuration data C:\\\\Users\\\\J\u00f6rg/.ssh/config\r\n"
      u"debug1: banner \U0001F512 locked\r\n";
  const std::vector<std::string> want = {
      "OpenSSH_for_Windows_9.5p1, LibreSSL 3.8.2",
      "debug1: Reading configuration data C:\\\\Users\\\\J\xc3\xb6rg/.ssh/config",
      "debug1: banner \xf0\x9f\x94\x92 locked",
  };
  for (bool be : {false, true}) {
    std::string path = dir.file(be ? "be.txt" : "le.txt");
    write_file(path, to_utf16(trace, be, /*bom=*/true));
    InputFormat format;
    Result<std::unique_ptr<ByteSource>> src = open_input(path, {}, &format);
    ASSERT_TRUE(src.ok());
    EXPECT_EQ(format.encoding, be ? TextEncoding::kUtf16Be : TextEncoding::kUtf16Le);
    ReadAll r = read_lines(std::move(src.value()));
    EXPECT_FALSE(r.error.has_value());
    EXPECT_EQ(r.lines, want);
  }
}

TEST(Utf16, OddSizesAndBadSurrogatesBecomeReplacementCharacters) {
  // A lone low surrogate, a high surrogate followed by a letter, and a
  // dangling odd byte at the end.
  const char16_t units[] = {u'a', 0xDC00, u'b', 0xD800, u'c'};
  std::string bytes = to_utf16(std::u16string(units, std::size(units)), false, false) + "\x41";
  for (size_t chunk : {1u, 2u, 3u, 1000u}) {
    Utf16Source src(std::make_unique<MemorySource>("u16", bytes, chunk), false);
    EXPECT_EQ(read_raw(src), "a\xef\xbf\xbd" "b\xef\xbf\xbd" "c\xef\xbf\xbd") << "chunk " << chunk;
  }
}

// --------------------------------------------------------- zstd framing

TEST(ZstdFrameTracker, CompleteOnlyAtFrameBoundaries) {
  if (!have_tool("zstd")) GTEST_SKIP();
  TempDir dir;
  write_file(dir.file("plain"), log_text(3000));
  for (std::string flags : {"", "--no-check", "-19 --content-size", "--no-content-size"}) {
    compress("zstd", dir.file("plain"), dir.file("x.zst"), flags);
    std::string z = read_file(dir.file("x.zst"));
    detail::ZstdFrameTracker whole;
    EXPECT_FALSE(whole.complete());
    whole.consume(z.data(), z.size());
    EXPECT_TRUE(whole.complete()) << flags;
    // Byte by byte, it is complete only at the very end.
    detail::ZstdFrameTracker bytewise;
    for (size_t i = 0; i < z.size(); ++i) {
      bytewise.consume(z.data() + i, 1);
      if (i + 1 < z.size()) {
        ASSERT_FALSE(bytewise.complete()) << flags << " at " << i;
      }
    }
    EXPECT_TRUE(bytewise.complete());
    // Two frames back to back.
    detail::ZstdFrameTracker twice;
    twice.consume(z.data(), z.size());
    twice.consume(z.data(), z.size() - 1);
    EXPECT_FALSE(twice.complete());
    twice.consume(z.data() + z.size() - 1, 1);
    EXPECT_TRUE(twice.complete());
  }
  detail::ZstdFrameTracker garbage;
  garbage.consume("not zstd at all", 15);
  EXPECT_FALSE(garbage.complete());
}

}  // namespace
}  // namespace sshlogwhy
