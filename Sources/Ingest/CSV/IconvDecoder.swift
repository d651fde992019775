#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The C library's `iconv`, converting text in one named encoding to UTF-8, piece by piece.
///
/// A small, self-contained wrapper (no leadsheet types) so that it can move to
/// a shared POSIX module later. The conversion is streaming: a character cut
/// by the end of a piece is reported as `.incomplete` with the bytes it left,
/// and the caller hands them back in front of the next piece; memory stays
/// constant whatever the file's size.
///
///     let decoder = try IconvDecoder(from: "CP932")
///     let step = decoder.convert(input, into: out, capacity: n)
///     // step.written UTF-8 bytes in out, step.consumed input bytes used
final class IconvDecoder {
  /// How a `convert` call stopped.
  enum Stop: Equatable {
    /// All the input was converted.
    case done
    /// The input ends in the middle of a character: the unconsumed bytes are its start.
    case incomplete
    /// The output is full: call again with the unconsumed input.
    case outputFull
    /// The bytes at `consumed` are not valid in the encoding.
    case invalid
  }

  /// What one `convert` call did.
  struct Step: Equatable {
    /// Input bytes converted.
    var consumed: Int
    /// UTF-8 bytes written.
    var written: Int
    /// Why it stopped.
    var stop: Stop
  }

  /// The encoding's name as given to `iconv_open`.
  let name: String
  private let descriptor: iconv_t

  /// Opens a conversion from `name` to UTF-8; `nil` when the C library does not know `name`.
  init?(from name: String) {
    let cd = iconv_open("UTF-8", name)
    guard let cd, Int(bitPattern: cd) != -1 else { return nil }
    self.name = name
    self.descriptor = cd
  }

  deinit { iconv_close(descriptor) }

  /// Whether the C library can convert `name` to UTF-8.
  static func knows(_ name: String) -> Bool { IconvDecoder(from: name) != nil }

  /// Converts as much of `input` as fits into `out` (`capacity` bytes).
  ///
  /// - Returns: The bytes consumed and written, and why the conversion stopped.
  func convert(
    _ input: UnsafeBufferPointer<UInt8>, into out: UnsafeMutablePointer<UInt8>, capacity: Int
  ) -> Step {
    guard let base = input.baseAddress, input.count > 0 else {
      return Step(consumed: 0, written: 0, stop: .done)
    }
    var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(mutating: base)
      .assumingMemoryBound(to: CChar.self)
    var inLeft = input.count
    var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(out)
      .assumingMemoryBound(to: CChar.self)
    var outLeft = capacity
    var stop = Stop.done
    while inLeft > 0 {
      if iconv(descriptor, &inPointer, &inLeft, &outPointer, &outLeft) != -1 { continue }
      switch errno {
      case EINTR: continue
      case EINVAL: stop = .incomplete
      case E2BIG: stop = .outputFull
      default: stop = .invalid
      }
      break
    }
    return Step(consumed: input.count - inLeft, written: capacity - outLeft, stop: stop)
  }

  /// Ends the conversion: writes what a stateful encoding still owes (a shift back), if anything.
  ///
  /// - Returns: The UTF-8 bytes written into `out` (`capacity` bytes, 16 are enough).
  func finish(into out: UnsafeMutablePointer<UInt8>, capacity: Int) -> Int {
    var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(out)
      .assumingMemoryBound(to: CChar.self)
    var outLeft = capacity
    _ = iconv(descriptor, nil, nil, &outPointer, &outLeft)
    return capacity - outLeft
  }
}
