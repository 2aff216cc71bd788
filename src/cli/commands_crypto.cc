// `envelope encrypt` and `envelope decrypt`: options to library calls, one job per file.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <system_error>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/file_io.h"
#include "cli/metadata.h"
#include "cli/paths.h"
#include "cli/progress.h"
#include "cli/wrapping_keys.h"
#include "envelope/envelope.h"
#include "envelope/keyrings.h"

namespace envelope::cli {
namespace {

// Everything a job needs besides its paths; built once per run.
struct Session {
  Mode mode;
  std::string prefix;  // "envelope encrypt" / "envelope decrypt"
  CmmPtr cmm;
  EncryptOptions encrypt;
  DecryptOptions decrypt;
  std::unique_ptr<MetadataWriter> metadata;
  bool quiet = false;
};

EncryptionContext BuildContext(const CryptoArgs& args, const std::string& prefix) {
  EncryptionContext context;
  for (const auto& [key, value] : args.encryption_context) {
    if (key.starts_with(kReservedContextPrefix)) {
      ThrowUsage(prefix, "--encryption-context: keys starting with '" +
                             std::string(kReservedContextPrefix) + "' are reserved");
    }
    context.emplace(key, value);
  }
  return context;
}

// The commitment policy decides which suites an encrypt may use; say so before doing any work.
void CheckSuiteAllowed(AlgorithmSuite suite, CommitmentPolicy policy, const std::string& prefix) {
  const bool committing = suite == AlgorithmSuite::kAes256GcmHkdfSha512CommitKey ||
                          suite == AlgorithmSuite::kAes256GcmHkdfSha512CommitKeyEcdsaP384;
  if (policy == CommitmentPolicy::kForbidEncryptAllowDecrypt && committing) {
    ThrowUsage(prefix, "--algorithm: a committing suite needs a require-encrypt-* "
                       "--commitment-policy");
  }
  if (policy != CommitmentPolicy::kForbidEncryptAllowDecrypt && !committing) {
    ThrowUsage(prefix, "--algorithm: a non-committing suite needs "
                       "--commitment-policy forbid-encrypt-allow-decrypt");
  }
}

// The keyring named by --wrapping-keys, or with none the embedded store's default key (which
// says so on stderr, once).
KeyringPtr BuildKeyring(const CryptoArgs& args, Mode mode, const std::string& prefix) {
  KeyContext context;
  context.use = mode == Mode::kEncrypt ? KeyUse::kEncrypt : KeyUse::kDecrypt;
  context.kms.client = args.kms;
  if (!args.wrapping_keys.empty()) {
    return Unwrap(MakeKeyringFromSpecs(args.wrapping_keys, context), prefix);
  }
  std::string notice;
  KeyringPtr keyring = Unwrap(MakeDefaultKeyring(context, notice), prefix);
  if (!notice.empty()) {
    std::fprintf(stderr, "%s: %s\n", prefix.c_str(), notice.c_str());
  }
  return keyring;
}

CmmPtr BuildCmm(const CryptoArgs& args, Mode mode, const std::string& prefix) {
  CmmPtr cmm = MakeDefaultCmm(BuildKeyring(args, mode, prefix));
  if (!args.caching) {
    return cmm;
  }
  CachingOptions options;
  options.capacity = args.caching->capacity;
  options.max_age = std::chrono::duration<double>(args.caching->max_age);
  if (args.caching->max_messages_encrypted) {
    options.max_messages_encrypted = *args.caching->max_messages_encrypted;
  }
  if (args.caching->max_bytes_encrypted) {
    options.max_bytes_encrypted = *args.caching->max_bytes_encrypted;
  }
  return Unwrap(MakeCachingCmm(std::move(cmm), std::move(options)), prefix);
}

Session BuildSession(const CryptoArgs& args, Mode mode) {
  Session s;
  s.mode = mode;
  s.prefix = mode == Mode::kEncrypt ? "envelope encrypt" : "envelope decrypt";
  s.quiet = args.quiet;
  CommitmentPolicy policy = CommitmentPolicy::kRequireEncryptRequireDecrypt;
  if (args.commitment_policy) {
    policy = Unwrap(ParseCommitmentPolicy(*args.commitment_policy), s.prefix);
  }
  const EncryptionContext context = BuildContext(args, s.prefix);
  if (mode == Mode::kEncrypt) {
    s.encrypt.commitment_policy = policy;
    s.encrypt.encryption_context = context;
    if (args.algorithm) {
      s.encrypt.suite = Unwrap(ParseAlgorithmSuite(*args.algorithm), s.prefix);
    }
    if (s.encrypt.suite) {
      CheckSuiteAllowed(*s.encrypt.suite, policy, s.prefix);
    }
    if (args.max_encrypted_data_keys && args.wrapping_keys.size() > *args.max_encrypted_data_keys) {
      ThrowUsage(s.prefix, "more --wrapping-keys than --max-encrypted-data-keys allows");
    }
    s.encrypt.frame_length = args.frame_length.value_or(kDefaultFrameLength);
    s.encrypt.max_encrypted_data_keys = args.max_encrypted_data_keys;
  } else {
    s.decrypt.commitment_policy = policy;
    s.decrypt.reproduced_encryption_context = context;
    s.decrypt.max_encrypted_data_keys = args.max_encrypted_data_keys;
    s.decrypt.unsigned_only = args.decrypt_unsigned;
    s.decrypt.release_after_verify = args.buffer;
  }
  s.cmm = BuildCmm(args, mode, s.prefix);
  if (args.metadata_output) {
    s.metadata = Unwrap(MetadataWriter::Open(*args.metadata_output), s.prefix);
  }
  return s;
}

// On decrypt, every -c pair must be in the message's context with the same value. The CMM
// checks this before releasing plaintext; this is the CLI's own guarantee of it.
Status CheckReproducedContext(const EncryptionContext& expected, const MessageInfo& info) {
  for (const auto& [key, value] : expected) {
    auto it = info.encryption_context.find(key);
    if (it == info.encryption_context.end()) {
      return FailedPrecondition("encryption context has no key '" + key + "'");
    }
    if (it->second != value) {
      return FailedPrecondition("encryption context value of '" + key + "' differs");
    }
  }
  return OkStatus();
}

// Prefers the error of our own streams (I/O, exit 3) over how the library reported it.
Status StreamError(const Status& library, const CountingInputStream& in,
                   const CountingOutputStream& out) {
  if (!in.error().ok()) {
    return in.error();
  }
  if (!out.error().ok()) {
    return out.error();
  }
  return library;
}

// A -c key absent from the header is treated (per the ESDK rules) as a required pair kept out of
// the header, so it changes what the keyrings authenticate and surfaces as "no key decrypted".
Status ExplainFailure(const Status& status, const Session& s) {
  if (s.mode == Mode::kDecrypt && status.code() == Code::kNotFound &&
      !s.decrypt.reproduced_encryption_context.empty()) {
    return Status(status.code(),
                  status.message() + " (or a -c pair is not in the message's encryption context)",
                  status.error_type());
  }
  return status;
}

Result<std::unique_ptr<AtomicOutputFile>> OpenOutput(const Job& job) {
  const std::string& path = job.output;
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  std::error_code ec;
  if (job.make_parent && !parent.empty()) {
    std::filesystem::create_directories(parent, ec);
    if (ec) {
      return IoError(parent.string() + ": cannot create directory: " + ec.message());
    }
  }
  return AtomicOutputFile::Create(path);
}

// Where a job's output goes: stdout, or an atomic file committed only on success.
struct Sink {
  std::unique_ptr<AtomicOutputFile> file;
  std::unique_ptr<FdOutputStream> stdout_stream;
  OutputStream& stream() {
    return file ? static_cast<OutputStream&>(*file) : *stdout_stream;
  }
};

Result<Sink> OpenSink(const Job& job) {
  Sink sink;
  if (job.output == "-") {
    sink.stdout_stream = std::make_unique<FdOutputStream>(STDOUT_FILENO, "<stdout>");
  } else {
    ENVELOPE_ASSIGN_OR_RETURN(sink.file, OpenOutput(job));
  }
  return sink;
}

// One message from `job.input` to `job.output`. Leaves no output file when it fails.
Status RunJob(Session& s, const Job& job) {
  ENVELOPE_ASSIGN_OR_RETURN(std::unique_ptr<FdInputStream> input, FdInputStream::Open(job.input));
  ENVELOPE_ASSIGN_OR_RETURN(Sink sink, OpenSink(job));
  const bool progress = WantProgress(s.quiet, input->size());
  CountingInputStream counted_in(*input, progress ? input->size() : std::nullopt);
  CountingOutputStream counted_out(sink.stream());
  Result<MessageInfo> info = Status(Code::kInternal, "not run");
  if (s.mode == Mode::kEncrypt) {
    EncryptOptions options = s.encrypt;
    options.plaintext_length = input->size();
    info = Encrypt(*s.cmm, options, counted_in, counted_out);
  } else {
    info = Decrypt(*s.cmm, s.decrypt, counted_in, counted_out);
  }
  counted_in.Finish();
  if (!info.ok()) {
    return ExplainFailure(StreamError(info.status(), counted_in, counted_out), s);
  }
  if (s.mode == Mode::kDecrypt) {
    ENVELOPE_RETURN_IF_ERROR(
        CheckReproducedContext(s.decrypt.reproduced_encryption_context, *info));
  }
  if (sink.file) {
    ENVELOPE_RETURN_IF_ERROR(sink.file->Commit());
  }
  if (s.metadata) {
    MessageRecord record{s.mode == Mode::kEncrypt ? "encrypt" : "decrypt",
                         job.input, job.output, &*info, counted_in.bytes(), counted_out.bytes()};
    ENVELOPE_RETURN_IF_ERROR(s.metadata->Write(record));
  }
  return OkStatus();
}

int RunCrypto(const CryptoArgs& args, Mode mode) {
  Session session = BuildSession(args, mode);
  PlanRequest request{args.input, args.output, args.recursive, mode,
                      args.suffix.value_or(std::string(kDefaultSuffix))};
  std::vector<Job> jobs = Unwrap(PlanJobs(request), session.prefix);
  if (args.metadata_output && *args.metadata_output != "-") {
    // The metadata file may lie inside a tree being processed; it is ours, not an input.
    std::erase_if(jobs,
                  [&](const Job& job) { return SameFile(job.input, *args.metadata_output); });
  }
  // Stops at the first failure: later files are left untouched, earlier outputs are complete.
  for (const Job& job : jobs) {
    const std::string name = job.input == "-" ? "<stdin>" : job.input;
    const Status status = RunJob(session, job);
    // I/O errors already name the path they concern (input or output).
    Check(status, IsIoError(status) ? session.prefix : session.prefix + ": " + name,
          Phase::kOperation);
  }
  return kExitOk;
}

}  // namespace

int RunEncrypt(const CryptoArgs& args) { return RunCrypto(args, Mode::kEncrypt); }
int RunDecrypt(const CryptoArgs& args) { return RunCrypto(args, Mode::kDecrypt); }

}  // namespace envelope::cli
