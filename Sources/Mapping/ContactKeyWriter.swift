/// Writes the bytes of an `EnrichRequest.contactKey` into a caller's buffer,
/// so that the key can be hashed (`ContactHash(bytes:)`) without a `String`.
///
/// Writes past the buffer's end are not made: `overflowed` is set instead,
/// and the caller falls back to code that does not need the buffer.
struct ContactKeyWriter {
  /// The field separator of a contact key (U+001F).
  static let separator: UInt8 = 0x1F

  let base: UnsafeMutablePointer<UInt8>?
  let capacity: Int
  /// Bytes written.
  private(set) var count = 0
  /// Whether a write did not fit.
  private(set) var overflowed = false

  /// A writer at the start of `buffer`.
  init(_ buffer: UnsafeMutableBufferPointer<UInt8>) {
    base = buffer.baseAddress
    capacity = buffer.count
  }

  /// The bytes written so far.
  var written: UnsafeRawBufferPointer {
    UnsafeRawBufferPointer(start: base, count: count)
  }

  /// Reserves `n` bytes and returns where they start, or `nil` (setting
  /// `overflowed`) when they do not fit.
  @inline(__always)
  mutating func reserve(_ n: Int) -> UnsafeMutablePointer<UInt8>? {
    guard let base, count + n <= capacity else {
      if n > 0 { overflowed = true }
      return nil
    }
    let start = base + count
    count += n
    return start
  }

  /// Gives back the last `n` reserved bytes (when fewer were used).
  @inline(__always)
  mutating func unreserve(_ n: Int) { count -= n }

  /// Appends one byte.
  @inline(__always)
  mutating func append(_ byte: UInt8) {
    reserve(1)?.pointee = byte
  }

  /// Appends the field separator.
  @inline(__always)
  mutating func separator() { append(Self.separator) }

  /// Appends bytes.
  @inline(__always)
  mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
    guard let source = bytes.baseAddress, let out = reserve(bytes.count) else { return }
    out.update(from: source, count: bytes.count)
  }

  /// Appends bytes.
  @inline(__always)
  mutating func append(_ bytes: [UInt8]) {
    bytes.withUnsafeBufferPointer { append($0) }
  }

  /// Appends `n` bytes that `body` writes (it must write exactly `n`).
  @inline(__always)
  mutating func append(count n: Int, _ body: (UnsafeMutablePointer<UInt8>) -> Void) {
    guard let out = reserve(n) else { return }
    body(out)
  }

  /// Appends a string's UTF-8 (nothing for `nil`).
  mutating func append(_ text: String?) {
    guard var text else { return }
    text.withUTF8 { append($0) }
  }
}
