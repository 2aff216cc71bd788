#include "cli/paths.h"

#include <gtest/gtest.h>

#include "cli/temp_dir_for_test.h"

namespace envelope::cli {
namespace {

using testing::TempDir;

TEST(OutputName, EncryptAppendsTheSuffix) {
  EXPECT_EQ(OutputName("a.txt", Mode::kEncrypt, ".encrypted"), "a.txt.encrypted");
}

TEST(OutputName, DecryptStripsTheSuffix) {
  EXPECT_EQ(OutputName("a.txt.encrypted", Mode::kDecrypt, ".encrypted"), "a.txt");
}

TEST(OutputName, DecryptAppendsDecryptedWhenTheSuffixIsAbsent) {
  EXPECT_EQ(OutputName("a.bin", Mode::kDecrypt, ".encrypted"), "a.bin.decrypted");
}

TEST(OutputName, DecryptOfANameThatIsOnlyTheSuffixAppendsDecrypted) {
  EXPECT_EQ(OutputName(".encrypted", Mode::kDecrypt, ".encrypted"), ".encrypted.decrypted");
}

TEST(OutputName, CustomSuffixIsUsedBothWays) {
  EXPECT_EQ(OutputName("x", Mode::kEncrypt, ".env"), "x.env");
  EXPECT_EQ(OutputName("x.env", Mode::kDecrypt, ".env"), "x");
}

TEST(PlanJobs, FileToFileIsOneJob) {
  TempDir dir;
  auto jobs = PlanJobs({dir.Write("a", "x"), dir.File("b"), false, Mode::kEncrypt});
  ASSERT_TRUE(jobs.ok());
  ASSERT_EQ(jobs->size(), 1u);
  EXPECT_EQ((*jobs)[0].output, dir.File("b"));
}

TEST(PlanJobs, FileIntoDirectoryIsNamedBySuffix) {
  TempDir dir;
  std::filesystem::create_directory(dir.File("out"));
  auto jobs = PlanJobs({dir.Write("a", "x"), dir.File("out"), false, Mode::kEncrypt});
  ASSERT_TRUE(jobs.ok());
  EXPECT_EQ((*jobs)[0].output, dir.File("out/a.encrypted"));
}

TEST(PlanJobs, DirectoryWithoutRecursiveIsRejected) {
  TempDir dir;
  dir.Write("in/a", "x");
  auto jobs = PlanJobs({dir.File("in"), dir.File("out"), false, Mode::kEncrypt});
  ASSERT_FALSE(jobs.ok());
  EXPECT_EQ(jobs.status().code(), Code::kInvalidArgument);
}

TEST(PlanJobs, RecursiveMirrorsTheTreeAndCreatesTheOutputDirectory) {
  TempDir dir;
  dir.Write("in/a", "x");
  dir.Write("in/sub/b", "y");
  auto jobs = PlanJobs({dir.File("in"), dir.File("out"), true, Mode::kEncrypt});
  ASSERT_TRUE(jobs.ok()) << jobs.status().ToString();
  ASSERT_EQ(jobs->size(), 2u);
  EXPECT_EQ((*jobs)[0].output, dir.File("out/a.encrypted"));
  EXPECT_EQ((*jobs)[1].output, dir.File("out/sub/b.encrypted"));
  EXPECT_TRUE(std::filesystem::is_directory(dir.File("out")));
  EXPECT_TRUE((*jobs)[1].make_parent);
}

TEST(PlanJobs, SingleFileJobNeverCreatesDirectories) {
  TempDir dir;
  auto jobs = PlanJobs({dir.Write("a", "x"), dir.File("missing/b"), false, Mode::kEncrypt});
  ASSERT_TRUE(jobs.ok());
  EXPECT_FALSE((*jobs)[0].make_parent);
}

TEST(PlanJobs, RecursiveSkipsAnOutputDirectoryInsideTheInput) {
  TempDir dir;
  dir.Write("in/a", "x");
  dir.Write("in/out/old.encrypted", "y");
  auto jobs = PlanJobs({dir.File("in"), dir.File("in/out"), true, Mode::kEncrypt});
  ASSERT_TRUE(jobs.ok());
  ASSERT_EQ(jobs->size(), 1u);
  EXPECT_EQ((*jobs)[0].input, dir.File("in/a"));
}

TEST(PlanJobs, RecursiveDecryptStripsTheSuffix) {
  TempDir dir;
  dir.Write("in/a.encrypted", "x");
  auto jobs = PlanJobs({dir.File("in"), dir.File("out"), true, Mode::kDecrypt});
  ASSERT_TRUE(jobs.ok());
  EXPECT_EQ((*jobs)[0].output, dir.File("out/a"));
}

TEST(PlanJobs, DirectoryToStdoutIsRejected) {
  TempDir dir;
  dir.Write("in/a", "x");
  EXPECT_FALSE(PlanJobs({dir.File("in"), "-", true, Mode::kEncrypt}).ok());
}

TEST(PlanJobs, StdinToDirectoryIsRejected) {
  TempDir dir;
  EXPECT_FALSE(PlanJobs({"-", dir.path().string(), false, Mode::kEncrypt}).ok());
}

TEST(PlanJobs, OutputThatIsTheInputIsRefused) {
  TempDir dir;
  const std::string a = dir.Write("a", "x");
  auto jobs = PlanJobs({a, a, false, Mode::kEncrypt});
  ASSERT_FALSE(jobs.ok());
  EXPECT_NE(jobs.status().message().find("overwrite the input"), std::string::npos);
}

}  // namespace
}  // namespace envelope::cli
