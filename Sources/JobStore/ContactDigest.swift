import LeadsheetCore

/// A 128-bit fingerprint of a contact key, for finding duplicates at ingest in memory.
///
/// MurmurHash3_x64_128 of the key's bytes (`LeadsheetCore.MurmurHash3`, the
/// same function `Mapping.ContactHash` uses). Deterministic, but never stored:
/// an interrupted ingest rebuilds its digests from the stored `contact_key`
/// texts, so the function may change between versions. For 128 well-mixed
/// bits the chance that two of a million distinct contacts share a digest
/// is about 10⁻²⁷.
struct ContactDigest: Hashable {
  /// The first 64 bits (MurmurHash3's `h1`).
  var high: UInt64
  /// The second 64 bits (`h2`).
  var low: UInt64

  /// Fingerprints the UTF-8 bytes of a contact key.
  init(bytes: UnsafeRawBufferPointer) {
    (high, low) = MurmurHash3.x64_128(bytes)
  }

  /// Fingerprints a key given as text.
  init(_ key: String) {
    var key = key
    self = key.withUTF8 { ContactDigest(bytes: UnsafeRawBufferPointer($0)) }
  }
}
