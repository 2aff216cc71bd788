#pragma once
// What to read and where to write: output naming by suffix and the plan of (input, output) pairs
// for a file, a stream or a directory tree.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "envelope/result.h"

namespace envelope::cli {

enum class Mode { kEncrypt, kDecrypt };

inline constexpr std::string_view kDefaultSuffix = ".encrypted";
inline constexpr std::string_view kDecryptedSuffix = ".decrypted";

// The output file name for `name` (a file name, not a path) inside an output directory.
// Encrypt appends `suffix`. Decrypt strips `suffix` when `name` ends with it (and something is
// left), else appends ".decrypted".
std::string OutputName(std::string_view name, Mode mode, std::string_view suffix);

struct Job {
  std::string input;   // a file path or "-"
  std::string output;  // a file path or "-"
  bool make_parent = false;  // a file inside a mirrored tree: create its directory first
};

struct PlanRequest {
  std::string input;
  std::string output;
  bool recursive = false;
  Mode mode = Mode::kEncrypt;
  std::string suffix{kDefaultSuffix};
};

// The jobs, in a stable (sorted) order:
// - "-" or a file to "-", a file path, or an existing directory (named by OutputName);
// - with `recursive`, a directory to a directory (created if absent), mirroring the tree of
//   regular files; the output directory itself is skipped when it lies inside the input.
// Creates the output directory for a recursive run, nothing else. kInvalidArgument for a
// directory without `recursive`, a directory to a file or to "-", "-" to a directory, or an
// output that is the input file; IoError when the tree cannot be read.
Result<std::vector<Job>> PlanJobs(const PlanRequest& request);

}  // namespace envelope::cli
