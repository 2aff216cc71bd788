#include "cli/file_io.h"

#include <sys/stat.h>

#include <gtest/gtest.h>

#include "cli/exit_codes.h"
#include "cli/temp_dir_for_test.h"
#include "core/bytes.h"

namespace envelope::cli {
namespace {

using testing::ReadAll;
using testing::TempDir;

TEST(AtomicOutputFile, CommitPutsTheBytesUnderTheTargetName) {
  TempDir dir;
  auto file = AtomicOutputFile::Create(dir.File("out"));
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  ASSERT_TRUE((*file)->Write(AsBytes("hello")).ok());
  ASSERT_TRUE((*file)->Commit().ok());
  EXPECT_EQ(ReadAll(dir.File("out")), "hello");
  EXPECT_EQ(dir.EntryCount(), 1u);
}

TEST(AtomicOutputFile, TargetDoesNotExistBeforeCommit) {
  TempDir dir;
  auto file = AtomicOutputFile::Create(dir.File("out"));
  ASSERT_TRUE(file.ok());
  ASSERT_TRUE((*file)->Write(AsBytes("partial")).ok());
  EXPECT_FALSE(std::filesystem::exists(dir.File("out")));
}

TEST(AtomicOutputFile, DestroyingWithoutCommitLeavesNoFile) {
  TempDir dir;
  {
    auto file = AtomicOutputFile::Create(dir.File("out"));
    ASSERT_TRUE(file.ok());
    ASSERT_TRUE((*file)->Write(AsBytes("partial")).ok());
  }
  EXPECT_EQ(dir.EntryCount(), 0u);
}

TEST(AtomicOutputFile, AbandonKeepsAnExistingTargetUntouched) {
  TempDir dir;
  dir.Write("out", "old");
  auto file = AtomicOutputFile::Create(dir.File("out"));
  ASSERT_TRUE(file.ok());
  ASSERT_TRUE((*file)->Write(AsBytes("new")).ok());
  (*file)->Abandon();
  EXPECT_EQ(ReadAll(dir.File("out")), "old");
  EXPECT_EQ(dir.EntryCount(), 1u);
}

TEST(AtomicOutputFile, CommitAppliesTheRequestedMode) {
  TempDir dir;
  auto file = AtomicOutputFile::Create(dir.File("key"), 0600);
  ASSERT_TRUE(file.ok());
  ASSERT_TRUE((*file)->Commit().ok());
  struct stat st {};
  ASSERT_EQ(::stat(dir.File("key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST(AtomicOutputFile, CreateInMissingDirectoryIsIoError) {
  TempDir dir;
  auto file = AtomicOutputFile::Create(dir.File("nope/out"));
  ASSERT_FALSE(file.ok());
  EXPECT_TRUE(IsIoError(file.status()));
}

TEST(FdInputStream, ReadsAFileToTheEnd) {
  TempDir dir;
  auto in = FdInputStream::Open(dir.Write("in", "abcdef"));
  ASSERT_TRUE(in.ok());
  EXPECT_EQ((*in)->size(), 6u);
  std::uint8_t buf[4];
  EXPECT_EQ(*(*in)->Read(buf), 4u);
  EXPECT_EQ(*(*in)->Read(buf), 2u);
  EXPECT_EQ(*(*in)->Read(buf), 0u);
}

TEST(FdInputStream, MissingFileIsIoErrorNamingThePath) {
  TempDir dir;
  auto in = FdInputStream::Open(dir.File("missing"));
  ASSERT_FALSE(in.ok());
  EXPECT_TRUE(IsIoError(in.status()));
  EXPECT_NE(in.status().message().find("missing"), std::string::npos);
}

TEST(FdInputStream, DirectoryIsIoError) {
  TempDir dir;
  auto in = FdInputStream::Open(dir.path().string());
  ASSERT_FALSE(in.ok());
  EXPECT_TRUE(IsIoError(in.status()));
}

TEST(ReadSecretFile, ReadsTheWholeFile) {
  TempDir dir;
  auto key = ReadSecretFile(dir.Write("k", std::string(32, 'x')), 1024);
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(key->size(), 32u);
}

TEST(ReadSecretFile, FileOverTheLimitIsIoError) {
  TempDir dir;
  auto key = ReadSecretFile(dir.Write("k", std::string(100, 'x')), 64);
  ASSERT_FALSE(key.ok());
  EXPECT_TRUE(IsIoError(key.status()));
}

TEST(SameFile, HardLinkAndPathAreTheSameFile) {
  TempDir dir;
  dir.Write("a", "x");
  std::filesystem::create_hard_link(dir.File("a"), dir.File("b"));
  EXPECT_TRUE(SameFile(dir.File("a"), dir.File("b")));
  EXPECT_FALSE(SameFile(dir.File("a"), dir.File("missing")));
}

}  // namespace
}  // namespace envelope::cli
