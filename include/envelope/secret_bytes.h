#pragma once
// SecretBytes: key material. Move-only, zeroed (OPENSSL_cleanse) before its memory is released,
// never printed: streaming it yields "[redacted]". Copies are explicit (Clone()).
#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <span>
#include <vector>

namespace envelope {

class SecretBytes {
 public:
  SecretBytes() = default;
  explicit SecretBytes(std::size_t size);  // zero-filled
  explicit SecretBytes(std::span<const std::uint8_t> bytes);
  SecretBytes(SecretBytes&& other) noexcept;
  SecretBytes& operator=(SecretBytes&& other) noexcept;
  SecretBytes(const SecretBytes&) = delete;
  SecretBytes& operator=(const SecretBytes&) = delete;
  ~SecretBytes();

  SecretBytes Clone() const { return SecretBytes(span()); }
  std::size_t size() const { return bytes_.size(); }
  bool empty() const { return bytes_.empty(); }
  std::uint8_t* data() { return bytes_.data(); }
  const std::uint8_t* data() const { return bytes_.data(); }
  std::span<const std::uint8_t> span() const { return bytes_; }
  std::span<std::uint8_t> mutable_span() { return bytes_; }
  // Constant-time comparison of contents (lengths are not secret).
  bool Equals(std::span<const std::uint8_t> other) const;

 private:
  void Wipe();
  std::vector<std::uint8_t> bytes_;
};

std::ostream& operator<<(std::ostream& os, const SecretBytes&);

}  // namespace envelope
