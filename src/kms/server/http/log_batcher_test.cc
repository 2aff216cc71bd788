#include "kms/server/http/log_batcher.h"

#include <gtest/gtest.h>

#include <future>
#include <string>

#include "core/log.h"

namespace envelope::kms::server {
namespace {

class LogBatcherTest : public ::testing::Test {
 protected:
  void SetUp() override { SetLogLevel(LogLevel::kInfo); }
  void TearDown() override { SetLogLevel(LogLevel::kWarn); }
};

TEST_F(LogBatcherTest, LinesArriveWholeAndInOrderByDestruction) {
  std::string written;  // the writer thread is joined before `written` is read
  {
    LogBatcher batcher(std::chrono::hours(1), 1 << 20,
                       [&](std::string_view text) { written.append(text); });
    Log(LogLevel::kInfo, "kms op=A");
    Log(LogLevel::kInfo, "kms op=B");
    Log(LogLevel::kWarn, "kms op=C");
  }
  EXPECT_EQ(written, "kms op=A\nkms op=B\nkms op=C\n");
}

TEST_F(LogBatcherTest, FullBufferIsWrittenWithoutWaitingForTheInterval) {
  std::promise<std::string> first;
  bool fulfilled = false;
  LogBatcher batcher(std::chrono::hours(1), 16, [&](std::string_view text) {
    if (!fulfilled) first.set_value(std::string(text));
    fulfilled = true;
  });
  Log(LogLevel::kInfo, "0123456789abcdefXYZ");
  auto got = first.get_future();
  ASSERT_EQ(got.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  EXPECT_EQ(got.get(), "0123456789abcdefXYZ\n");
}

TEST_F(LogBatcherTest, DefaultSinkIsRestoredAfterDestruction) {
  std::string written;
  { LogBatcher batcher(std::chrono::hours(1), 1 << 20, [&](std::string_view t) { written += t; }); }
  Log(LogLevel::kInfo, "after");  // goes to stderr, not to the destroyed batcher
  EXPECT_EQ(written, "");
}

}  // namespace
}  // namespace envelope::kms::server
