#include "cli/paths.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "cli/exit_codes.h"
#include "cli/file_io.h"

namespace envelope::cli {
namespace {

namespace fs = std::filesystem;

bool IsDirectory(const std::string& path) {
  std::error_code ec;
  return path != "-" && fs::is_directory(path, ec);
}

bool IsInside(const fs::path& child, const fs::path& parent) {
  auto [p, c] = std::mismatch(parent.begin(), parent.end(), child.begin(), child.end());
  return p == parent.end();
}

Result<std::vector<Job>> PlanTree(const PlanRequest& req) {
  std::error_code ec;
  if (req.output == "-" || (fs::exists(req.output, ec) && !IsDirectory(req.output))) {
    return InvalidArgument(req.input + " is a directory, so --output must be a directory");
  }
  if (!fs::create_directories(req.output, ec) && ec) {
    return IoError(req.output + ": cannot create directory: " + ec.message());
  }
  const fs::path in_root = fs::canonical(req.input, ec);
  if (ec) {
    return IoError(req.input + ": " + ec.message());
  }
  const fs::path out_root = fs::canonical(req.output, ec);
  if (ec) {
    return IoError(req.output + ": " + ec.message());
  }
  if (in_root == out_root) {
    return InvalidArgument("--output must not be the input directory itself");
  }
  std::vector<Job> jobs;
  fs::recursive_directory_iterator it(in_root, fs::directory_options::none, ec);
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    const fs::directory_entry& entry = *it;
    if (entry.is_directory() && IsInside(entry.path(), out_root)) {
      it.disable_recursion_pending();  // never encrypt our own outputs
      continue;
    }
    if (!entry.is_regular_file() || entry.is_symlink()) {
      continue;
    }
    const fs::path rel = entry.path().lexically_relative(in_root);
    const fs::path out = fs::path(req.output) / rel.parent_path() /
                         OutputName(rel.filename().string(), req.mode, req.suffix);
    jobs.push_back({(fs::path(req.input) / rel).string(), out.string(),
                    /*make_parent=*/true});
  }
  if (ec) {
    return IoError(req.input + ": cannot read directory: " + ec.message());
  }
  std::sort(jobs.begin(), jobs.end(),
            [](const Job& a, const Job& b) { return a.input < b.input; });
  return jobs;
}

}  // namespace

std::string OutputName(std::string_view name, Mode mode, std::string_view suffix) {
  if (mode == Mode::kEncrypt) {
    return std::string(name) + std::string(suffix);
  }
  if (!suffix.empty() && name.size() > suffix.size() && name.ends_with(suffix)) {
    return std::string(name.substr(0, name.size() - suffix.size()));
  }
  return std::string(name) + std::string(kDecryptedSuffix);
}

Result<std::vector<Job>> PlanJobs(const PlanRequest& req) {
  std::vector<Job> jobs;
  if (IsDirectory(req.input)) {
    if (!req.recursive) {
      return InvalidArgument(req.input + " is a directory (use -r to process its files)");
    }
    ENVELOPE_ASSIGN_OR_RETURN(jobs, PlanTree(req));
  } else if (IsDirectory(req.output)) {
    if (req.input == "-") {
      return InvalidArgument("input '-' needs a file or '-' as --output, not a directory");
    }
    const std::string name = fs::path(req.input).filename().string();
    jobs.push_back({req.input, (fs::path(req.output) / OutputName(name, req.mode, req.suffix))
                                   .string()});
  } else {
    jobs.push_back({req.input, req.output});
  }
  for (const Job& job : jobs) {
    if (job.input != "-" && job.output != "-" && SameFile(job.input, job.output)) {
      return InvalidArgument(job.output + ": refusing to overwrite the input");
    }
  }
  return jobs;
}

}  // namespace envelope::cli
