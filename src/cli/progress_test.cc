#include "cli/progress.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "cli/exit_codes.h"

namespace envelope::cli {
namespace {

// Yields `size` bytes in reads of at most `chunk`, then optionally fails.
class FakeInput final : public InputStream {
 public:
  FakeInput(std::size_t size, std::size_t chunk, bool fail_at_end)
      : left_(size), chunk_(chunk), fail_at_end_(fail_at_end) {}
  Result<std::size_t> Read(std::span<std::uint8_t> buffer) override {
    if (left_ == 0 && fail_at_end_) {
      return IoError("in: read failed");
    }
    const std::size_t n = std::min({left_, chunk_, buffer.size()});
    left_ -= n;
    return n;
  }

 private:
  std::size_t left_;
  std::size_t chunk_;
  bool fail_at_end_;
};

class FailingOutput final : public OutputStream {
 public:
  Status Write(std::span<const std::uint8_t>) override { return IoError("out: disk full"); }
};

class NullOutput final : public OutputStream {
 public:
  Status Write(std::span<const std::uint8_t>) override { return OkStatus(); }
};

TEST(CountingInputStream, CountsEveryByteRead) {
  FakeInput inner(10000, 3000, false);
  CountingInputStream in(inner, std::nullopt);
  std::vector<std::uint8_t> buf(4096);
  while (*in.Read(buf) > 0) {
  }
  EXPECT_EQ(in.bytes(), 10000u);
  EXPECT_TRUE(in.error().ok());
}

TEST(CountingInputStream, RemembersTheInnerError) {
  FakeInput inner(10, 10, true);
  CountingInputStream in(inner, std::nullopt);
  std::vector<std::uint8_t> buf(16);
  ASSERT_TRUE(in.Read(buf).ok());
  EXPECT_FALSE(in.Read(buf).ok());
  EXPECT_TRUE(IsIoError(in.error()));
}

TEST(CountingOutputStream, CountsBytesWritten) {
  NullOutput inner;
  CountingOutputStream out(inner);
  std::vector<std::uint8_t> data(123);
  ASSERT_TRUE(out.Write(data).ok());
  ASSERT_TRUE(out.Write(data).ok());
  EXPECT_EQ(out.bytes(), 246u);
}

TEST(CountingOutputStream, RemembersTheInnerError) {
  FailingOutput inner;
  CountingOutputStream out(inner);
  std::vector<std::uint8_t> data(1);
  EXPECT_FALSE(out.Write(data).ok());
  EXPECT_TRUE(IsIoError(out.error()));
  EXPECT_EQ(out.bytes(), 0u);
}

TEST(WantProgress, IsOffWhenQuietOrSmallOrSizeUnknown) {
  EXPECT_FALSE(WantProgress(true, kProgressThresholdBytes * 2));
  EXPECT_FALSE(WantProgress(false, kProgressThresholdBytes));
  EXPECT_FALSE(WantProgress(false, std::nullopt));
}

}  // namespace
}  // namespace envelope::cli
