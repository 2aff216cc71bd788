#include "core/random.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <set>
#include <thread>
#include <vector>

#include "core/bytes.h"

namespace envelope {
namespace {

Bytes Draw(std::size_t n) {
  Bytes out(n);
  EXPECT_TRUE(SystemRandom().Fill(out).ok());
  return out;
}

TEST(SecureRandom, SmallDrawsAreAllDifferent) {
  std::set<Bytes> seen;
  for (int i = 0; i < 200; ++i) seen.insert(Draw(32));  // crosses several pool refills
  EXPECT_EQ(seen.size(), 200u);
}

TEST(SecureRandom, DrawsOfEverySizeAroundTheBufferLimitSucceed) {
  for (std::size_t n : {1u, 12u, 63u, 64u, 65u, 4096u}) {
    const Bytes a = Draw(n);
    const Bytes b = Draw(n);
    EXPECT_EQ(a.size(), n);
    if (n >= 12) EXPECT_NE(a, b) << n;
  }
}

TEST(SecureRandom, ThreadsGetDifferentBytes) {
  std::vector<Bytes> drawn(4);
  std::vector<std::thread> threads;
  for (auto& d : drawn) threads.emplace_back([&d] { d = Draw(32); });
  for (auto& t : threads) t.join();
  EXPECT_EQ(std::set<Bytes>(drawn.begin(), drawn.end()).size(), drawn.size());
}

// The buffer is copied into a forked child; the child must not hand out what the parent will.
TEST(SecureRandom, ForkedChildNeverRepeatsTheParentsNextBytes) {
  Draw(16);  // the pool of this thread now holds unused bytes
  int pipe_fds[2];
  ASSERT_EQ(pipe(pipe_fds), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    const Bytes mine = Draw(32);
    const bool written = write(pipe_fds[1], mine.data(), mine.size()) == 32;
    _exit(written ? 0 : 1);
  }
  const Bytes parents = Draw(32);
  Bytes childs(32);
  ASSERT_EQ(read(pipe_fds[0], childs.data(), childs.size()), 32);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  EXPECT_EQ(WEXITSTATUS(status), 0);
  close(pipe_fds[0]);
  close(pipe_fds[1]);
  EXPECT_NE(parents, childs);
}

TEST(SecureRandom, UniformDoubleIsInTheUnitInterval) {
  for (int i = 0; i < 1000; ++i) {
    const double d = SystemRandom().UniformDouble();
    EXPECT_GE(d, 0.0);
    EXPECT_LT(d, 1.0);
  }
}

}  // namespace
}  // namespace envelope
