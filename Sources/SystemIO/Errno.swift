#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A failed system call's `errno`, with the C library's words for it.
///
///     do { try SystemCalls.writeAll(fd, bytes) } catch { print(error) }  // "No space left on device"
public struct Errno: Error, Hashable, Sendable, CustomStringConvertible {
  /// The `errno` value.
  public var code: Int32

  /// Wraps an `errno` value.
  public init(_ code: Int32) { self.code = code }

  /// The current thread's `errno`.
  public static var current: Errno { Errno(errno) }

  /// `strerror`'s text for the code ("No space left on device").
  public var description: String { String(cString: strerror(code)) }
}
