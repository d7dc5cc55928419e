// gzip decompression throughput: ISA-L (isal_gzip_source) vs zlib through
// Boost.Iostreams (decompress.cc), in uncompressed bytes per second.
//
//   build-bench/bench/bench_gzip                       # 32 MiB generated log
//   SSHLOGWHY_BENCH_LOG=/tmp/auth-64M.log build-bench/bench/bench_gzip
//
// Input: the authlog text compressed once with zlib level 6 (what `gzip`
// and logrotate write), held in memory, so the numbers are inflate cost, not
// I/O. Each run checks the output size against the original before timing.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <boost/iostreams/device/back_inserter.hpp>
#include <boost/iostreams/filter/gzip.hpp>
#include <boost/iostreams/filtering_stream.hpp>

#include "input/decompress.h"
#include "input/isal_gzip_source.h"
#include "input/memory_source.h"

namespace sshlogwhy {
namespace {

struct Input {
  std::string text;
  std::string gz;
};

const Input& input() {
  static const Input in = [] {
    Input i;
    if (const char* path = std::getenv("SSHLOGWHY_BENCH_LOG")) {
      std::ifstream f(path, std::ios::binary);
      std::stringstream ss;
      ss << f.rdbuf();
      i.text = ss.str();
    } else {
      unsigned n = 0;
      while (i.text.size() < (32u << 20)) {
        i.text += "Nov 23 18:12:27 bastion sshd[" + std::to_string(1000 + n % 50000) +
                  "]: Failed password for root from 203.0.113." + std::to_string(n % 250) + " port " +
                  std::to_string(40000 + n * 7 % 20000) + " ssh2\n";
        ++n;
      }
    }
    namespace bio = boost::iostreams;
    bio::filtering_ostream os;
    os.push(bio::gzip_compressor(bio::gzip_params(6)));
    os.push(bio::back_inserter(i.gz));
    os.write(i.text.data(), static_cast<std::streamsize>(i.text.size()));
    os.reset();
    return i;
  }();
  return in;
}

template <typename Make>
void run(benchmark::State& state, Make make) {
  const Input& in = input();
  std::vector<char> buf(static_cast<size_t>(state.range(0)));
  for (auto _ : state) {
    std::unique_ptr<ByteSource> src = make(std::make_unique<MemorySource>("bench.gz", in.gz));
    size_t total = 0;
    for (;;) {
      Result<size_t> n = src->read(buf.data(), buf.size());
      if (!n.ok()) {
        state.SkipWithError(n.error().to_string().c_str());
        return;
      }
      if (n.value() == 0) break;
      total += n.value();
    }
    if (total != in.text.size()) {
      state.SkipWithError("decompressed size differs from the original");
      return;
    }
    benchmark::DoNotOptimize(buf.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(in.text.size()));
}

void BM_GzipZlibBoost(benchmark::State& state) {
  run(state, [](std::unique_ptr<ByteSource> c) { return make_decompressing_source(std::move(c), Compression::kGzip); });
}
BENCHMARK(BM_GzipZlibBoost)->Arg(64 << 10)->Arg(1 << 20)->Unit(benchmark::kMillisecond);

#if defined(SSHLOGWHY_HAVE_ISAL)
void BM_GzipIsal(benchmark::State& state) {
  run(state, [](std::unique_ptr<ByteSource> c) { return make_isal_gzip_source(std::move(c)); });
}
BENCHMARK(BM_GzipIsal)->Arg(4 << 10)->Arg(64 << 10)->Arg(1 << 20)->Unit(benchmark::kMillisecond);
#endif

}  // namespace
}  // namespace sshlogwhy

BENCHMARK_MAIN();
