// Message throughput and small-message rates, with the settings of the esdk-js peer's bench.cjs
// (raw AES-256 keyring with key bytes 00..1f, namespace "bench-namespace", name "bench-key",
// frame 4096, context purpose=bench), so the two compare. MB = 10^6 bytes of plaintext.
#include <benchmark/benchmark.h>

#include <cstring>

#include "envelope/envelope.h"
#include "envelope/keyrings.h"
#include "message/stream_io.h"

namespace envelope {
namespace {

CmmPtr BenchCmm() {
  std::uint8_t key[32];
  for (int i = 0; i < 32; ++i) key[i] = static_cast<std::uint8_t>(i);
  auto keyring = MakeRawAesKeyring("bench-namespace", "bench-key", SecretBytes(key));
  return MakeDefaultCmm(*keyring);
}

EncryptOptions BenchOptions(AlgorithmSuite suite) {
  EncryptOptions o;
  o.suite = suite;
  o.frame_length = 4096;
  o.encryption_context = {{"purpose", "bench"}};
  return o;
}

AlgorithmSuite SuiteArg(std::int64_t v) { return static_cast<AlgorithmSuite>(v); }

// Produces `size` bytes by repeating a 64 KiB pattern, in constant memory.
class PatternInput final : public InputStream {
 public:
  explicit PatternInput(std::uint64_t size) : left_(size), chunk_(64 * 1024) {
    for (std::size_t i = 0; i < chunk_.size(); ++i) chunk_[i] = static_cast<std::uint8_t>(i * 131);
  }
  Result<std::size_t> Read(std::span<std::uint8_t> buffer) override {
    std::size_t done = 0;
    while (done < buffer.size() && left_ > 0) {
      const std::size_t n = std::min<std::uint64_t>({buffer.size() - done, chunk_.size(), left_});
      std::memcpy(buffer.data() + done, chunk_.data(), n);
      done += n;
      left_ -= n;
    }
    return done;
  }

 private:
  std::uint64_t left_;
  Bytes chunk_;
};

class CountingOutput final : public OutputStream {
 public:
  Status Write(std::span<const std::uint8_t> data) override {
    bytes += data.size();
    return OkStatus();
  }
  std::uint64_t bytes = 0;
};

constexpr std::uint64_t kStreamBytes = 256ull * 1024 * 1024;

void BM_StreamEncrypt(benchmark::State& state) {
  CmmPtr cmm = BenchCmm();
  const EncryptOptions options = BenchOptions(SuiteArg(state.range(0)));
  for (auto _ : state) {
    PatternInput input(kStreamBytes);
    CountingOutput output;
    auto info = Encrypt(*cmm, options, input, output);
    if (!info.ok()) state.SkipWithError(info.status().ToString().c_str());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kStreamBytes));
}

void BM_StreamDecrypt(benchmark::State& state) {
  CmmPtr cmm = BenchCmm();
  const EncryptOptions options = BenchOptions(SuiteArg(state.range(0)));
  Bytes ciphertext;
  {
    PatternInput input(kStreamBytes);
    message::VectorOutputStream output(ciphertext);
    if (!Encrypt(*cmm, options, input, output).ok()) state.SkipWithError("encrypt failed");
  }
  for (auto _ : state) {
    message::MemoryInputStream input(ciphertext);
    CountingOutput output;
    auto info = Decrypt(*cmm, DecryptOptions{}, input, output);
    if (!info.ok()) state.SkipWithError(info.status().ToString().c_str());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kStreamBytes));
}

void BM_SmallEncrypt(benchmark::State& state) {
  static CmmPtr cmm = BenchCmm();
  const EncryptOptions options = BenchOptions(SuiteArg(state.range(0)));
  const Bytes plaintext(1024, 0x5a);
  for (auto _ : state) {
    auto ct = EncryptBuffer(*cmm, options, plaintext);
    if (!ct.ok()) state.SkipWithError(ct.status().ToString().c_str());
    benchmark::DoNotOptimize(ct);
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_SmallDecrypt(benchmark::State& state) {
  static CmmPtr cmm = BenchCmm();
  const Bytes plaintext(1024, 0x5a);
  auto ciphertext = EncryptBuffer(*cmm, BenchOptions(SuiteArg(state.range(0))), plaintext);
  for (auto _ : state) {
    auto pt = DecryptBuffer(*cmm, DecryptOptions{}, *ciphertext);
    if (!pt.ok()) state.SkipWithError(pt.status().ToString().c_str());
    benchmark::DoNotOptimize(pt);
  }
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK(BM_StreamEncrypt)->Arg(0x0478)->Arg(0x0578)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(2);
BENCHMARK(BM_StreamDecrypt)->Arg(0x0478)->Arg(0x0578)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(2);
BENCHMARK(BM_SmallEncrypt)->Arg(0x0478)->Threads(1)->UseRealTime()->MinTime(2);
BENCHMARK(BM_SmallDecrypt)->Arg(0x0478)->Threads(1)->UseRealTime()->MinTime(2);
BENCHMARK(BM_SmallEncrypt)->Arg(0x0578)->Threads(2)->UseRealTime()->MinTime(2);
BENCHMARK(BM_SmallDecrypt)->Arg(0x0578)->Threads(2)->UseRealTime()->MinTime(2);

}  // namespace
}  // namespace envelope

BENCHMARK_MAIN();
