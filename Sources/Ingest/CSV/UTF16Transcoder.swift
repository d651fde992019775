/// Streaming UTF-16 to UTF-8 transcoding, one chunk at a time.
///
/// Chunks may split a code unit (an odd byte count) or a surrogate pair
/// anywhere: the odd byte and a pending high surrogate are carried to the next
/// chunk. Unpaired surrogates and a dangling odd byte at the end become
/// U+FFFD and are counted in `replacements`, never dropped silently.
struct UTF16Transcoder {
  /// Whether the input is big-endian (`FE FF` byte-order mark).
  let bigEndian: Bool
  /// How many invalid code units were replaced by U+FFFD so far.
  private(set) var replacements = 0
  private var pendingByte: UInt8?
  private var pendingHigh: UInt16 = 0

  /// Creates a transcoder for one byte order.
  init(bigEndian: Bool) {
    self.bigEndian = bigEndian
  }

  /// The most UTF-8 bytes that `transcode` writes for `inputCount` bytes of input.
  static func outputCapacity(forInput inputCount: Int) -> Int { 3 * (inputCount / 2 + 2) }

  /// Transcodes `input` to UTF-8 into `out`, which holds `outputCapacity(forInput:)` bytes.
  ///
  /// - Returns: The number of bytes written.
  mutating func transcode(
    _ input: UnsafeBufferPointer<UInt8>, into out: UnsafeMutablePointer<UInt8>
  )
    -> Int
  {
    var o = 0
    var i = 0
    let n = input.count
    if n == 0 { return 0 }
    if let first = pendingByte {
      pendingByte = nil
      o = emit(unit(first, input[0]), out, o)
      i = 1
    }
    while i + 1 < n {
      o = emit(unit(input[i], input[i + 1]), out, o)
      i += 2
    }
    if i < n { pendingByte = input[i] }
    return o
  }

  /// Flushes what is pending at the end of the input into `out` (at least 6 bytes).
  ///
  /// - Returns: The number of bytes written.
  mutating func finish(into out: UnsafeMutablePointer<UInt8>) -> Int {
    var o = 0
    if pendingHigh != 0 {
      pendingHigh = 0
      replacements += 1
      o = UTF8Output.write(0xFFFD, to: out, at: o)
    }
    if pendingByte != nil {
      pendingByte = nil
      replacements += 1
      o = UTF8Output.write(0xFFFD, to: out, at: o)
    }
    return o
  }

  @inline(__always)
  private func unit(_ a: UInt8, _ b: UInt8) -> UInt16 {
    bigEndian ? UInt16(a) << 8 | UInt16(b) : UInt16(b) << 8 | UInt16(a)
  }

  @inline(__always)
  private mutating func emit(_ unit: UInt16, _ out: UnsafeMutablePointer<UInt8>, _ at: Int) -> Int {
    var o = at
    if pendingHigh != 0 {
      if unit >= 0xDC00 && unit <= 0xDFFF {
        let scalar = 0x10000 + (UInt32(pendingHigh - 0xD800) << 10) + UInt32(unit - 0xDC00)
        pendingHigh = 0
        return UTF8Output.write(scalar, to: out, at: o)
      }
      pendingHigh = 0
      replacements += 1
      o = UTF8Output.write(0xFFFD, to: out, at: o)
    }
    switch unit {
    case 0xD800...0xDBFF:
      pendingHigh = unit
      return o
    case 0xDC00...0xDFFF:
      replacements += 1
      return UTF8Output.write(0xFFFD, to: out, at: o)
    default:
      return UTF8Output.write(UInt32(unit), to: out, at: o)
    }
  }
}
