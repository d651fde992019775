import Foundation
import SystemIO
import Testing

#if canImport(Glibc)
  import Glibc
#endif

@Suite struct SystemCallsTests {
  @Test func writeAllThenReadFullyRoundTripsAcrossShortReads() throws {
    let made = try TemporaryFiles.makeFile(prefix: "systemio-test", unlinked: true)
    defer { close(made.fd) }
    let bytes = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
    try bytes.withUnsafeBytes { try SystemCalls.writeAll(made.fd, $0) }
    var back = [UInt8](repeating: 0, count: bytes.count + 10)
    let n = try back.withUnsafeMutableBytes {
      try SystemCalls.readFully(made.fd, into: $0, at: 0)
    }
    #expect(n == bytes.count)
    #expect(Array(back[..<n]) == bytes)
    var middle = [UInt8](repeating: 0, count: 5)
    let m = try middle.withUnsafeMutableBytes { try SystemCalls.read(made.fd, into: $0, at: 1000) }
    #expect(m == 5)
    #expect(middle == Array(bytes[1000..<1005]))
  }

  @Test func writeToAClosedPipeFailsWithEPIPE() throws {
    signal(SIGPIPE, SIG_IGN)
    var fds: [Int32] = [0, 0]
    #expect(pipe(&fds) == 0)
    close(fds[0])
    defer { close(fds[1]) }
    #expect(throws: Errno(EPIPE)) {
      try [UInt8](repeating: 1, count: 10).withUnsafeBytes { try SystemCalls.writeAll(fds[1], $0) }
    }
  }

  @Test func readOfABadDescriptorNamesTheError() {
    var buffer = [UInt8](repeating: 0, count: 4)
    do {
      _ = try buffer.withUnsafeMutableBytes { try SystemCalls.read(-1, into: $0) }
      Issue.record("read of fd -1 succeeded")
    } catch {
      #expect(error as? Errno == Errno(EBADF))
      #expect("\(error)" == String(cString: strerror(EBADF)))
    }
  }

  /// A read interrupted by a signal (a handler installed without `SA_RESTART`,
  /// so the kernel returns `EINTR`) goes on and returns the data written later.
  ///
  /// The read runs on a thread of its own with the signal unblocked (the
  /// test's own thread may be a dispatch worker, which blocks signals).
  @Test func readIsRetriedWhenASignalInterruptsIt() throws {
    var action = sigaction()
    action.__sigaction_handler.sa_handler = { _ in SignalCount.received += 1 }
    action.sa_flags = 0
    sigemptyset(&action.sa_mask)
    var old = sigaction()
    #expect(sigaction(SIGUSR2, &action, &old) == 0)
    defer { sigaction(SIGUSR2, &old, nil) }
    var fds: [Int32] = [0, 0]
    #expect(pipe(&fds) == 0)
    defer {
      close(fds[0])
      close(fds[1])
    }
    let readFD = fds[0]
    let result = ReaderResult()
    let reader = Thread {
      var unblock = sigset_t()
      sigemptyset(&unblock)
      sigaddset(&unblock, SIGUSR2)
      pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
      result.thread = pthread_self()
      result.started.signal()
      var buffer = [UInt8](repeating: 0, count: 64)
      do {
        let n = try buffer.withUnsafeMutableBytes { try SystemCalls.read(readFD, into: $0) }
        result.text = String(decoding: buffer[..<n], as: UTF8.self)
      } catch {
        result.error = error
      }
      result.done.signal()
    }
    reader.start()
    result.started.wait()
    SignalCount.received = 0
    for _ in 0..<5 {
      usleep(20_000)
      pthread_kill(result.thread!, SIGUSR2)
    }
    usleep(20_000)
    let text: [UInt8] = Array("after the signals".utf8)
    try text.withUnsafeBytes { try SystemCalls.writeAll(fds[1], $0) }
    result.done.wait()
    #expect(SignalCount.received > 0, "no signal reached the reading thread")
    #expect(result.error == nil)
    #expect(result.text == "after the signals")
  }
}

/// Signals the test's handler saw (a C handler cannot capture context).
private enum SignalCount {
  nonisolated(unsafe) static var received = 0
}

/// What the reading thread saw, handed back to the test.
private final class ReaderResult: @unchecked Sendable {
  var thread: pthread_t?
  var text: String?
  var error: (any Error)?
  let started = DispatchSemaphore(value: 0)
  let done = DispatchSemaphore(value: 0)
}

@Suite struct TemporaryFilesTests {
  @Test func unlinkedFileHasNoNameAndIsPrivate() throws {
    let made = try TemporaryFiles.makeFile(prefix: "systemio-test", unlinked: true)
    defer { close(made.fd) }
    #expect(access(made.path, F_OK) != 0)
    var st = stat()
    #expect(fstat(made.fd, &st) == 0)
    #expect(st.st_mode & 0o777 == 0o600)
  }

  @Test func namedFileAndFolderLiveInTheGivenBaseWithPrivateModes() throws {
    let base = try TemporaryFiles.makeDirectory(prefix: "systemio-base")
    defer { rmdir(base) }
    var st = stat()
    #expect(stat(base, &st) == 0)
    #expect(st.st_mode & 0o777 == 0o700)
    let made = try TemporaryFiles.makeFile(prefix: "named", in: base, unlinked: false)
    defer {
      close(made.fd)
      unlink(made.path)
    }
    #expect(made.path.hasPrefix(base + "/named-"))
    #expect(stat(made.path, &st) == 0)
    #expect(st.st_mode & 0o777 == 0o600)
  }

  @Test func aMissingBaseFailsWithENOENT() {
    #expect(throws: Errno(ENOENT)) {
      _ = try TemporaryFiles.makeFile(
        prefix: "x", in: "/nonexistent-leadsheet-folder", unlinked: true)
    }
    #expect(throws: Errno(ENOENT)) {
      _ = try TemporaryFiles.makeDirectory(prefix: "x", in: "/nonexistent-leadsheet-folder")
    }
  }
}
