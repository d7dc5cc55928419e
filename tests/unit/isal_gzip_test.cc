// Tests for the ISA-L gzip source (src/input/isal_gzip_source.h): output
// byte-identical to the zlib/Boost path on corpus files and large inputs at
// many read and delivery sizes, concatenated members, empty members, and
// truncated, corrupt or padded files giving an error, never a crash or hang.
//
// The gzip data is made here (Boost's zlib compressor, ISA-L's own
// compressor, gzip(1) when installed), so no binary fixtures are needed.
#include <gtest/gtest.h>

#if defined(SSHLOGWHY_HAVE_ISAL)

#include <isa-l/igzip_lib.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <memory>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <boost/iostreams/device/back_inserter.hpp>
#include <boost/iostreams/filter/gzip.hpp>
#include <boost/iostreams/filtering_stream.hpp>

#include "input/compression.h"
#include "input/decompress.h"
#include "input/isal_gzip_source.h"
#include "input/memory_source.h"
#include "input/open_input.h"
#include "test_paths.h"

namespace sshlogwhy {
namespace {

namespace bio = boost::iostreams;
namespace fs = std::filesystem;
using namespace std::string_literals;

// ------------------------------------------------------------- helpers

// One gzip member made by zlib (through Boost), with optional FNAME and
// FCOMMENT header fields. Level 0 gives stored blocks.
std::string zlib_gzip(const std::string& data, int level = 6, const std::string& name = "",
                      const std::string& comment = "") {
  std::string out;
  bio::gzip_params params(level);
  params.file_name = name;
  params.comment = comment;
  {
    bio::filtering_ostream os;
    os.push(bio::gzip_compressor(params));
    os.push(bio::back_inserter(out));
    os.write(data.data(), static_cast<std::streamsize>(data.size()));
  }
  return out;
}

// One gzip member made by ISA-L's own compressor (other block layouts and
// Huffman tables than zlib's).
std::string isal_gzip(const std::string& data, int level) {
  isal_zstream s;
  isal_deflate_init(&s);
  std::vector<uint8_t> level_buf(ISAL_DEF_LVL1_DEFAULT);
  s.level = static_cast<uint32_t>(level);
  if (level > 0) {
    s.level_buf = level_buf.data();
    s.level_buf_size = static_cast<uint32_t>(level_buf.size());
  }
  s.gzip_flag = IGZIP_GZIP;
  s.end_of_stream = 1;
  s.flush = NO_FLUSH;
  std::string in = data;
  s.next_in = reinterpret_cast<uint8_t*>(in.data());
  s.avail_in = static_cast<uint32_t>(in.size());
  std::string out;
  std::vector<uint8_t> chunk(1 << 16);
  do {
    s.next_out = chunk.data();
    s.avail_out = static_cast<uint32_t>(chunk.size());
    EXPECT_EQ(isal_deflate(&s), COMP_OK);
    out.append(reinterpret_cast<char*>(chunk.data()), chunk.size() - s.avail_out);
  } while (s.internal_state.state != ZSTATE_END);
  return out;
}

struct Drained {
  std::string bytes;
  std::optional<Error> error;
};

// Reads `src` to its end or first error, `read_size` bytes per call. Gives
// up (as a test failure) after far more calls than the data could need, so
// a source that spins shows up as a failure, not a hung test.
Drained drain(ByteSource& src, size_t read_size, size_t max_calls = 50'000'000) {
  Drained out;
  std::vector<char> buf(read_size);
  for (size_t calls = 0;; ++calls) {
    if (calls == max_calls) {
      ADD_FAILURE() << "no end after " << max_calls << " reads";
      break;
    }
    Result<size_t> n = src.read(buf.data(), buf.size());
    if (!n.ok()) {
      out.error = n.error();
      // Errors are sticky.
      Result<size_t> again = src.read(buf.data(), buf.size());
      EXPECT_FALSE(again.ok());
      if (!again.ok()) {
        EXPECT_EQ(again.error().message, n.error().message);
      }
      break;
    }
    if (n.value() == 0) {
      Result<size_t> again = src.read(buf.data(), buf.size());  // the end is sticky too
      EXPECT_TRUE(again.ok() && again.value() == 0);
      break;
    }
    EXPECT_LE(n.value(), read_size);
    out.bytes.append(buf.data(), n.value());
  }
  return out;
}

// The ISA-L source over `gz`, delivered `chunk` compressed bytes at a time.
Drained isal_read(const std::string& gz, size_t read_size = 65536,
                  size_t chunk = std::numeric_limits<size_t>::max(), const std::string& name = "x.gz") {
  std::unique_ptr<ByteSource> src = make_isal_gzip_source(std::make_unique<MemorySource>(name, gz, chunk));
  EXPECT_EQ(src->name(), name);
  return drain(*src, read_size);
}

// The reference: zlib through the Boost.Iostreams path of decompress.cc.
Drained boost_read(const std::string& gz) {
  std::unique_ptr<ByteSource> src =
      make_decompressing_source(std::make_unique<MemorySource>("x.gz", gz), Compression::kGzip);
  return drain(*src, 65536);
}

std::string log_text(size_t bytes, uint32_t seed = 1) {
  std::mt19937 rng(seed);
  auto next = [&rng](unsigned mod) { return static_cast<unsigned>(rng() % mod); };
  static const char* kMessages[] = {
      "Failed password for root from 203.0.113.%u port %u ssh2",
      "Invalid user admin from 198.51.100.%u port %u",
      "Accepted publickey for alice from 192.0.2.%u port %u ssh2: ED25519 SHA256:abc",
      "Connection closed by authenticating user root 203.0.113.%u port %u [preauth]",
      "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=%u.%u",
  };
  std::string s;
  char line[256];
  while (s.size() < bytes) {
    unsigned pid = 1000 + next(60000);
    int n = std::snprintf(line, sizeof line, "Nov 23 18:%02u:%02u bastion sshd[%u]: ", next(60), next(60), pid);
    s.append(line, static_cast<size_t>(n));
    n = std::snprintf(line, sizeof line, kMessages[next(5)], next(256), 1024 + next(60000));
    s.append(line, static_cast<size_t>(n));
    s += '\n';
  }
  s.resize(bytes);
  return s;
}

std::string random_bytes(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::string s(n, '\0');
  for (char& c : s) c = static_cast<char>(rng());
  return s;
}

std::string read_file(const fs::path& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

bool have_tool(const std::string& tool) {
  return std::system(("command -v " + tool + " >/dev/null 2>&1").c_str()) == 0;
}

std::vector<fs::path> corpus_files() {
  std::vector<fs::path> out;
  for (const fs::directory_entry& e : fs::recursive_directory_iterator(fs::path(testing::source_dir()) / "corpus")) {
    if (e.is_regular_file()) out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

bool is_prefix(const std::string& prefix, const std::string& of) {
  return prefix.size() <= of.size() && of.compare(0, prefix.size(), prefix) == 0;
}

void expect_gzip_error(const Drained& d, const std::string& reason_part, const std::string& name = "x.gz") {
  ASSERT_TRUE(d.error.has_value()) << "damaged data was accepted";
  EXPECT_EQ(d.error->file, name);
  EXPECT_EQ(d.error->line, 0u);
  EXPECT_EQ(d.error->message.rfind("truncated or corrupt gzip data", 0), 0u) << d.error->message;
  EXPECT_NE(d.error->message.find(reason_part), std::string::npos) << d.error->message;
}

// ------------------------------------------------ identical to the zlib path

TEST(IsalGzip, CorpusFilesByteIdenticalToZlib) {
  std::vector<fs::path> files = corpus_files();
  ASSERT_GT(files.size(), 10u);
  std::string all;
  for (const fs::path& f : files) {
    std::string text = read_file(f);
    all += text;
    std::string gz = zlib_gzip(text);
    Drained isal = isal_read(gz);
    Drained boost = boost_read(gz);
    ASSERT_FALSE(isal.error.has_value()) << f << ": " << isal.error->to_string();
    ASSERT_FALSE(boost.error.has_value()) << f;
    ASSERT_EQ(isal.bytes, boost.bytes) << f;
    ASSERT_EQ(isal.bytes, text) << f;
  }
  // The whole corpus as one member, at several compression levels and
  // compressors, read and delivered in awkward sizes.
  std::vector<std::string> members = {zlib_gzip(all, 1), zlib_gzip(all, 9), zlib_gzip(all, 0), isal_gzip(all, 0),
                                      isal_gzip(all, 1)};
  for (size_t m = 0; m < members.size(); ++m) {
    ASSERT_EQ(boost_read(members[m]).bytes, all) << "member " << m;
    for (size_t read_size : {size_t{13}, size_t{4096}, size_t{1} << 20}) {
      for (size_t chunk : {size_t{7}, size_t{65536}, std::numeric_limits<size_t>::max()}) {
        Drained d = isal_read(members[m], read_size, chunk);
        ASSERT_FALSE(d.error.has_value()) << d.error->to_string();
        ASSERT_EQ(d.bytes, all) << "member " << m << " read " << read_size << " chunk " << chunk;
      }
    }
  }
}

TEST(IsalGzip, LargeInputSmallAndLargeReads) {
  // A few MB of log text with a stretch of random bytes in the middle, so
  // both Huffman-coded and stored blocks occur.
  const std::string text = log_text(3 << 20, 7) + random_bytes(300000, 8) + log_text(2 << 20, 9);
  const std::string gz = zlib_gzip(text, 6);
  ASSERT_EQ(boost_read(gz).bytes, text);
  for (size_t read_size : {size_t{1000}, size_t{32768}, size_t{1} << 20, size_t{16} << 20}) {
    Drained d = isal_read(gz, read_size);
    ASSERT_FALSE(d.error.has_value()) << d.error->to_string();
    ASSERT_TRUE(d.bytes == text) << "read size " << read_size;
  }
  // One byte at a time, on both sides, over the first 600 KiB.
  const std::string head = text.substr(0, 600 * 1024);
  Drained d = isal_read(zlib_gzip(head), 1, 1);
  ASSERT_FALSE(d.error.has_value());
  ASSERT_TRUE(d.bytes == head);
}

TEST(IsalGzip, GzipToolOutputIncludingStoredName) {
  if (!have_tool("gzip")) GTEST_SKIP() << "gzip not installed";
  fs::path dir = fs::temp_directory_path() / ("sshlogwhy-isal-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string text = log_text(500000, 3);
  { std::ofstream(dir / "auth.log", std::ios::binary) << text; }
  for (const char* flags : {"-1", "-9", "-N"}) {
    std::string cmd =
        "gzip -c "s + flags + " '" + (dir / "auth.log").string() + "' > '" + (dir / "out.gz").string() + "'";
    ASSERT_EQ(std::system(cmd.c_str()), 0);
    Drained d = isal_read(read_file(dir / "out.gz"));
    EXPECT_FALSE(d.error.has_value()) << flags;
    EXPECT_TRUE(d.bytes == text) << flags;
  }
  fs::remove_all(dir);
}

// ------------------------------------------------------------ members

TEST(IsalGzip, ConcatenatedMembersReadAsOne) {
  // Sizes around the points where a member could end: empty, one byte,
  // a buffer's worth, and members of every compressor, with header fields.
  std::vector<std::string> parts = {log_text(100000, 1), "", "x", log_text(300000, 2), log_text(65536, 3), "",
                                    random_bytes(70000, 4), log_text(1, 5)};
  std::string want, gz;
  for (size_t i = 0; i < parts.size(); ++i) {
    want += parts[i];
    switch (i % 3) {
      case 0:
        gz += zlib_gzip(parts[i], 6, "auth.log." + std::to_string(i), "rotated by logrotate");
        break;
      case 1:
        gz += isal_gzip(parts[i], 1);
        break;
      default:
        gz += zlib_gzip(parts[i], 1);
        break;
    }
  }
  ASSERT_EQ(boost_read(gz).bytes, want);
  for (size_t chunk : {size_t{1}, size_t{5}, size_t{4096}, std::numeric_limits<size_t>::max()}) {
    for (size_t read_size : {size_t{17}, size_t{65536}, size_t{4} << 20}) {
      if (chunk == 1 && read_size != 65536) continue;  // slow, and covered once
      Drained d = isal_read(gz, read_size, chunk);
      ASSERT_FALSE(d.error.has_value()) << d.error->to_string() << " chunk " << chunk;
      ASSERT_TRUE(d.bytes == want) << "chunk " << chunk << " read " << read_size;
    }
  }
}

TEST(IsalGzip, ManySmallMembersLikePigzOrBgzip) {
  std::string want, gz;
  for (int i = 0; i < 500; ++i) {
    std::string part = log_text(static_cast<size_t>(i * 37 % 2000), static_cast<uint32_t>(i));
    want += part;
    gz += (i % 2) ? zlib_gzip(part, 1) : isal_gzip(part, 0);
  }
  Drained d = isal_read(gz, 4096, 333);
  ASSERT_FALSE(d.error.has_value()) << d.error->to_string();
  EXPECT_TRUE(d.bytes == want);
}

TEST(IsalGzip, EmptyGzip) {
  for (const std::string& gz : {zlib_gzip(""), isal_gzip("", 0), isal_gzip("", 1), zlib_gzip("") + zlib_gzip("")}) {
    Drained d = isal_read(gz);
    EXPECT_FALSE(d.error.has_value()) << d.error->to_string();
    EXPECT_EQ(d.bytes, "");
  }
}

// ------------------------------------------------------- damaged input

TEST(IsalGzip, TruncatedAtManyOffsetsGivesAnError) {
  const std::string text = log_text(200000, 11);
  for (const std::string& gz : {zlib_gzip(text, 6), isal_gzip(text, 1), zlib_gzip(text, 0)}) {
    std::vector<size_t> cuts;
    for (size_t i = 0; i < 40; ++i) cuts.push_back(i);  // inside the header, the first block
    for (size_t i = 1; i < 64; ++i) cuts.push_back(gz.size() * i / 64);
    for (size_t i = 1; i <= 12; ++i) cuts.push_back(gz.size() - i);  // trailer, last block
    for (size_t cut : cuts) {
      for (size_t chunk : {size_t{3}, std::numeric_limits<size_t>::max()}) {
        Drained d = isal_read(gz.substr(0, cut), 8192, chunk);
        SCOPED_TRACE("cut at " + std::to_string(cut) + " of " + std::to_string(gz.size()));
        expect_gzip_error(d, "unexpected end of file");
        // Everything returned is the start of the original.
        EXPECT_TRUE(is_prefix(d.bytes, text)) << d.bytes.size();
      }
    }
    // Only the trailer missing: all the data, then the error.
    Drained d = isal_read(gz.substr(0, gz.size() - 8));
    expect_gzip_error(d, "unexpected end of file");
    EXPECT_TRUE(d.bytes == text);
  }
}

TEST(IsalGzip, TruncatedSecondMemberGivesAnErrorAfterTheFirst) {
  const std::string a = log_text(100000, 1), b = log_text(100000, 2);
  const std::string gb = zlib_gzip(b);
  for (size_t cut : {size_t{1}, size_t{2}, size_t{10}, gb.size() / 2, gb.size() - 1}) {
    Drained d = isal_read(zlib_gzip(a) + gb.substr(0, cut), 4096);
    expect_gzip_error(d, "unexpected end of file");
    EXPECT_TRUE(is_prefix(a, d.bytes)) << "cut " << cut;
    EXPECT_TRUE(is_prefix(d.bytes, a + b)) << "cut " << cut;
  }
}

TEST(IsalGzip, CorruptCrcOrLengthGivesAnError) {
  const std::string text = log_text(300000, 5);
  const std::string gz = zlib_gzip(text);
  for (size_t from_end : {size_t{8}, size_t{5}, size_t{4}, size_t{1}}) {  // CRC-32, then ISIZE
    std::string bad = gz;
    bad[bad.size() - from_end] = static_cast<char>(bad[bad.size() - from_end] ^ 0x01);
    Drained d = isal_read(bad);
    SCOPED_TRACE(from_end);
    expect_gzip_error(d, "checksum mismatch");
    EXPECT_TRUE(is_prefix(d.bytes, text));
    // zlib through Boost agrees about the CRC; it does not check ISIZE
    // (a flipped length byte passes there), ISA-L does.
    if (from_end > 4) {
      EXPECT_TRUE(boost_read(bad).error.has_value());
    }
  }
  // A bad CRC in the first of two members stops there.
  std::string two = zlib_gzip(text);
  two[two.size() - 8] = static_cast<char>(two[two.size() - 8] ^ 0x40);
  two += zlib_gzip("second member\n");
  Drained d = isal_read(two);
  expect_gzip_error(d, "checksum mismatch");
  EXPECT_EQ(d.bytes.find("second member"), std::string::npos);
}

TEST(IsalGzip, CorruptDeflateDataGivesAnErrorNeverACrash) {
  // Random damage anywhere: the result is an error, or (a flip in a field
  // nobody checks, such as MTIME or OS) exactly the original.
  const std::string text = log_text(100000, 21);
  const std::string gz = zlib_gzip(text, 6);
  std::mt19937 rng(42);
  int errors = 0;
  for (int trial = 0; trial < 300; ++trial) {
    std::string bad = gz;
    const int flips = 1 + static_cast<int>(rng() % 16);
    for (int i = 0; i < flips; ++i) bad[rng() % bad.size()] ^= static_cast<char>(1 + rng() % 255);
    Drained d = isal_read(bad, trial % 2 ? 4096 : 65536, trial % 3 ? 1000 : std::numeric_limits<size_t>::max());
    if (d.error) {
      ++errors;
      EXPECT_EQ(d.error->message.rfind("truncated or corrupt gzip data", 0), 0u) << d.error->message;
    } else {
      EXPECT_TRUE(d.bytes == text) << "trial " << trial << ": damaged data decoded to something else";
    }
  }
  EXPECT_GT(errors, 250);
  // The middle overwritten, as tests/cli/exit_codes.sh does.
  std::string mid = gz;
  for (size_t i = 0; i < 64; ++i) mid[mid.size() / 2 + i] = static_cast<char>(mid[mid.size() / 2 + i] ^ 0x5a);
  expect_gzip_error(isal_read(mid), "");
}

TEST(IsalGzip, NotGzipAtAllGivesAnError) {
  expect_gzip_error(isal_read("plain text, not gzip\n"), "bad gzip header");
  expect_gzip_error(isal_read("\x1f\x8b\x07\x00\x00\x00\x00\x00\x00\x03rest"s), "unsupported compression method");
  expect_gzip_error(isal_read(""), "unexpected end of file");
}

// What follows the last member. Decision (documented in
// isal_gzip_source.h): NUL padding is ignored as gzip(1) does; any other
// bytes must form another valid member, otherwise read() fails after all
// the good data. (The Boost path rejects NUL padding too.)
TEST(IsalGzip, TrailingBytesAfterTheLastMember) {
  const std::string text = log_text(50000, 31);
  const std::string gz = zlib_gzip(text);

  for (size_t zeros : {size_t{1}, size_t{8}, size_t{100000}}) {
    Drained d = isal_read(gz + std::string(zeros, '\0'), 4096, 999);
    EXPECT_FALSE(d.error.has_value()) << zeros << ": " << d.error->to_string();
    EXPECT_TRUE(d.bytes == text);
  }
  struct Case {
    std::string tail;
    std::string reason;
  };
  const Case cases[] = {
      {"hello\n", "bytes after gzip member 1 are not gzip data"},
      {"\x1f"s, "unexpected end of file"},                   // a member that never comes
      {"\x1f\x8b"s, "unexpected end of file"},
      {"\x1f\x8bgarbage-garbage"s, "unsupported compression method"},  // CM is 'g', not 8
      {"\0\0\0junk"s, "bytes after the NUL padding"},
      {"\0\0\0"s + zlib_gzip("more\n"), "bytes after the NUL padding"},
  };
  for (const Case& c : cases) {
    Drained d = isal_read(gz + c.tail, 4096, 1000);
    SCOPED_TRACE(c.reason);
    expect_gzip_error(d, c.reason);
    EXPECT_TRUE(d.bytes == text) << "all the good data comes first";
  }
}

// --------------------------------------------------------- the wiring

// An I/O error of the compressed file is reported as itself.
class ErrorAfter final : public ByteSource {
 public:
  explicit ErrorAfter(std::string data) : ByteSource("disk.gz"), data_(std::move(data)) {}
  Result<size_t> read(char* buf, size_t cap) override {
    if (pos_ == data_.size()) return Error{"disk.gz", 0, "cannot read: Input/output error"};
    size_t n = std::min({cap, data_.size() - pos_, size_t{1000}});
    std::memcpy(buf, data_.data() + pos_, n);
    pos_ += n;
    return n;
  }

 private:
  std::string data_;
  size_t pos_ = 0;
};

TEST(IsalGzip, UnderlyingReadErrorIsPassedThrough) {
  const std::string text = log_text(200000, 41);
  const std::string gz = zlib_gzip(text);
  std::unique_ptr<ByteSource> src = make_isal_gzip_source(std::make_unique<ErrorAfter>(gz.substr(0, gz.size() / 2)));
  EXPECT_EQ(src->name(), "disk.gz");
  Drained d = drain(*src, 4096);
  ASSERT_TRUE(d.error.has_value());
  EXPECT_EQ(d.error->message, "cannot read: Input/output error");
  EXPECT_GT(d.bytes.size(), 0u);
  EXPECT_TRUE(is_prefix(d.bytes, text));
}

TEST(IsalGzip, OpenInputUsesIsalForGzip) {
  // NUL padding after the member is accepted by the ISA-L source only, so
  // this tells the two paths apart.
  fs::path path = fs::temp_directory_path() / ("sshlogwhy-isal-open-" + std::to_string(::getpid()) + ".txt");
  const std::string text = log_text(100000, 51);
  { std::ofstream(path, std::ios::binary) << zlib_gzip(text) + std::string(512, '\0'); }
  InputFormat format;
  Result<std::unique_ptr<ByteSource>> src = open_input(path.string(), {}, &format);
  ASSERT_TRUE(src.ok()) << src.error().to_string();
  EXPECT_EQ(format.compression, Compression::kGzip);
  EXPECT_EQ(src.value()->name(), path.string());
  Drained d = drain(*src.value(), 1 << 20);
  EXPECT_FALSE(d.error.has_value()) << d.error->to_string();
  EXPECT_TRUE(d.bytes == text);
  fs::remove(path);
}

}  // namespace
}  // namespace sshlogwhy

#else  // !SSHLOGWHY_HAVE_ISAL

TEST(IsalGzip, NotBuilt) { GTEST_SKIP() << "built without ISA-L (libisal-dev): gzip uses zlib via Boost"; }

#endif
