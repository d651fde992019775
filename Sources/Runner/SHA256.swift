import Foundation
import LeadsheetCore

/// SHA-256 (FIPS 180-4), streaming, for fingerprinting input files.
///
/// A job records the digest of its input so that `resume` can refuse a file
/// whose bytes changed. Written here because Foundation on Linux has no hash
/// and the only package offering one (swift-crypto) would add a second
/// BoringSSL build for one function; it is checked against the FIPS test
/// vectors and `sha256sum`.
public struct SHA256: Sendable {
  private var h: [UInt32] = [
    0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab,
    0x5be0_cd19,
  ]
  private var buffer: [UInt8] = []
  private var length: UInt64 = 0

  private static let k: [UInt32] = [
    0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4,
    0xab1c_5ed5, 0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe,
    0x9bdc_06a7, 0xc19b_f174, 0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f,
    0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da, 0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7,
    0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967, 0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc,
    0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85, 0xa2bf_e8a1, 0xa81a_664b,
    0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070, 0x19a4_c116,
    0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
    0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7,
    0xc671_78f2,
  ]

  /// A fresh hash.
  public init() {}

  /// Adds bytes.
  public mutating func update(_ bytes: some Collection<UInt8>) {
    length &+= UInt64(bytes.count)
    buffer.append(contentsOf: bytes)
    var offset = 0
    buffer.withUnsafeBufferPointer { p in
      while buffer.count - offset >= 64 {
        compress(p, at: offset)
        offset += 64
      }
    }
    buffer.removeFirst(offset)
  }

  /// The digest as 64 lowercase hex digits.
  public mutating func finalizeHex() -> String {
    let bitLength = length &* 8
    var pad: [UInt8] = [0x80]
    while (buffer.count + pad.count) % 64 != 56 { pad.append(0) }
    for i in (0..<8).reversed() {
      pad.append(UInt8(truncatingIfNeeded: bitLength >> (UInt64(i) * 8)))
    }
    let savedLength = length
    update(pad)
    length = savedLength
    return h.map { String(format: "%08x", $0) }.joined()
  }

  private mutating func compress(_ p: UnsafeBufferPointer<UInt8>, at offset: Int) {
    withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { w in
      compress(p, at: offset, schedule: w)
    }
  }

  private mutating func compress(
    _ p: UnsafeBufferPointer<UInt8>, at offset: Int, schedule w: UnsafeMutableBufferPointer<UInt32>
  ) {
    for i in 0..<16 {
      let j = offset + i * 4
      w[i] = UInt32(p[j]) << 24 | UInt32(p[j + 1]) << 16 | UInt32(p[j + 2]) << 8 | UInt32(p[j + 3])
    }
    for i in 16..<64 {
      let s0 = w[i - 15].rotr(7) ^ w[i - 15].rotr(18) ^ (w[i - 15] >> 3)
      let s1 = w[i - 2].rotr(17) ^ w[i - 2].rotr(19) ^ (w[i - 2] >> 10)
      w[i] = w[i - 16] &+ s0 &+ w[i - 7] &+ s1
    }
    var (a, b, c, d, e, f, g, hh) = (h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7])
    for i in 0..<64 {
      let s1 = e.rotr(6) ^ e.rotr(11) ^ e.rotr(25)
      let ch = (e & f) ^ (~e & g)
      let t1 = hh &+ s1 &+ ch &+ SHA256.k[i] &+ w[i]
      let s0 = a.rotr(2) ^ a.rotr(13) ^ a.rotr(22)
      let maj = (a & b) ^ (a & c) ^ (b & c)
      let t2 = s0 &+ maj
      hh = g
      g = f
      f = e
      e = d &+ t1
      d = c
      c = b
      b = a
      a = t1 &+ t2
    }
    h[0] &+= a
    h[1] &+= b
    h[2] &+= c
    h[3] &+= d
    h[4] &+= e
    h[5] &+= f
    h[6] &+= g
    h[7] &+= hh
  }

  /// The digest and size of a file, read in 1 MiB chunks.
  ///
  /// - Throws: `LeadsheetError(.unreadable)` when the file cannot be read.
  public static func file(at path: String) throws -> (hex: String, size: Int64) {
    guard let handle = FileHandle(forReadingAtPath: path) else {
      throw LeadsheetError(
        .unreadable, file: path, "cannot be read", hint: "check the path and permissions")
    }
    defer { try? handle.close() }
    var hash = SHA256()
    var size: Int64 = 0
    while true {
      let data = (try? handle.read(upToCount: 1 << 20)) ?? Data()
      if data.isEmpty { break }
      size += Int64(data.count)
      hash.update(data)
    }
    return (hash.finalizeHex(), size)
  }
}

extension UInt32 {
  fileprivate func rotr(_ n: UInt32) -> UInt32 { (self >> n) | (self << (32 - n)) }
}
