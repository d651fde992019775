import LeadsheetCore
import SystemIO

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Contact hashes written to temporary files, for counting distinct contacts
/// in bounded memory whatever the number of rows.
///
/// Hashes are spread over `partitions` files by the top bits of their `low`
/// half (independent of the bits a `ContactHashSet` uses for its slots and of
/// the type tag in `high`), buffered 64 KiB at a time. Equal hashes land in the
/// same partition, so the distinct hashes of a list are the distinct hashes of
/// each partition, counted one partition at a time: memory is the largest
/// partition's set, about 1/64 of what one set of everything would take.
///
/// The files live in a private folder (mode 0700, files 0600) under
/// `TMPDIR`, removed when the spill is released. A write error (disk full) is
/// kept and thrown by `finishWriting`, so that it is reported once.
final class ContactHashSpill: @unchecked Sendable {
  /// Files hashes are spread over.
  static let partitions = 64
  /// Hashes buffered per partition before a write (64 KiB).
  static let bufferCount = 4096

  /// The private folder holding the files.
  let directory: String
  private var fds: [Int32]
  private var buffers: [[ContactHash]]
  private var failure: (any Error)?

  /// Creates the folder and the partition files.
  ///
  /// - Parameter base: The folder to make the private folder in; `nil` for
  ///   `TMPDIR`, else `/tmp`.
  /// - Throws: `LeadsheetError` when the temporary folder cannot be made.
  init(base: String? = nil) throws {
    let base = base ?? TemporaryFiles.directory
    do {
      directory = try TemporaryFiles.makeDirectory(prefix: "leadsheet-contacts", in: base)
    } catch {
      throw spillError(folder: base, code: error)
    }
    fds = []
    buffers = Array(repeating: [], count: Self.partitions)
    for p in 0..<Self.partitions {
      let fd = open(directory + "/\(p)", O_RDWR | O_CREAT | O_EXCL | O_TRUNC, 0o600)
      guard fd >= 0 else {
        let code = Errno.current
        removeFiles()
        throw spillError(folder: base, code: code)
      }
      fds.append(fd)
    }
  }

  deinit { removeFiles() }

  /// The partition of a hash.
  @inline(__always)
  static func partition(_ hash: ContactHash) -> Int {
    Int(truncatingIfNeeded: hash.low >> 58)
  }

  /// Adds a hash (a write error is kept for `finishWriting`).
  func append(_ hash: ContactHash) {
    let p = Self.partition(hash)
    buffers[p].append(hash)
    if buffers[p].count >= Self.bufferCount { flush(p) }
  }

  /// Writes every buffered hash out; call before `readPartition`.
  ///
  /// - Throws: `LeadsheetError` for a write error, here or earlier.
  func finishWriting() throws {
    for p in 0..<Self.partitions { flush(p) }
    if let failure { throw failure }
  }

  /// Every hash appended to partition `p`, in order, once `finishWriting` was
  /// called; several threads may read partitions at once.
  ///
  /// - Throws: `LeadsheetError` for a read error.
  func readPartition(_ p: Int) throws -> [ContactHash] {
    var st = stat()
    guard fstat(fds[p], &st) == 0 else {
      throw spillError(folder: directory, code: Errno.current)
    }
    let n = Int(st.st_size) / MemoryLayout<ContactHash>.stride
    return try [ContactHash](unsafeUninitializedCapacity: n) { out, count in
      let bytes = n * MemoryLayout<ContactHash>.stride
      let read: Int
      do throws(Errno) {
        read = try SystemCalls.readFully(
          fds[p], into: UnsafeMutableRawBufferPointer(start: out.baseAddress, count: bytes), at: 0)
      } catch {
        throw spillError(folder: directory, code: error)
      }
      guard read == bytes else { throw spillError(folder: directory, code: Errno(EIO)) }
      count = n
    }
  }

  private func flush(_ p: Int) {
    guard !buffers[p].isEmpty else { return }
    if failure == nil {
      buffers[p].withUnsafeBytes { raw in
        do throws(Errno) {
          try SystemCalls.writeAll(fds[p], raw)
        } catch {
          failure = spillError(folder: directory, code: error)
        }
      }
    }
    buffers[p].removeAll(keepingCapacity: true)
  }

  private func removeFiles() {
    for (p, fd) in fds.enumerated() {
      close(fd)
      unlink(directory + "/\(p)")
    }
    fds = []
    rmdir(directory)
  }
}

/// The error for temporary files that cannot be made, written or read.
func spillError(folder: String, code: Errno) -> LeadsheetError {
  LeadsheetError(
    .storage, file: folder,
    "cannot use temporary files to count duplicate contacts (\(code))",
    hint: "set TMPDIR to a folder with free space")
}
