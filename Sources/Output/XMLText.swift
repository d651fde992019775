/// Appends text to an XML byte buffer, escaped, without characters XML 1.0 forbids.
///
/// `<`, `>`, `&` become entities (and `"` in attributes); a carriage return
/// becomes `&#13;` so that XML's line-end normalisation does not turn it into
/// a line feed. Control characters other than tab, LF and CR, and U+FFFE and
/// U+FFFF, cannot appear in XML 1.0 at all, not even as references: they are
/// removed, and the caller counts the cell.
enum XMLText {
  /// Appends `text` escaped to `out`; returns whether characters were removed.
  @discardableResult
  static func append(_ text: String, to out: inout [UInt8], attribute: Bool = false) -> Bool {
    var text = text
    return text.withUTF8 { append($0, to: &out, attribute: attribute) }
  }

  /// Appends UTF-8 `bytes` escaped to `out`; returns whether characters were removed.
  @discardableResult
  static func append(
    _ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8], attribute: Bool = false
  ) -> Bool {
    var clean = true
    for b in bytes where b < 0x20 || b == 0x3C || b == 0x3E || b == 0x26 || b == 0xEF || b == 0x22 {
      clean = false
      break
    }
    if clean {
      out.append(contentsOf: bytes)
      return false
    }
    var stripped = false
    var i = 0
    let n = bytes.count
    while i < n {
      let b = bytes[i]
      switch b {
      case 0x3C: out.append(contentsOf: [0x26, 0x6C, 0x74, 0x3B])  // &lt;
      case 0x3E: out.append(contentsOf: [0x26, 0x67, 0x74, 0x3B])  // &gt;
      case 0x26: out.append(contentsOf: [0x26, 0x61, 0x6D, 0x70, 0x3B])  // &amp;
      case 0x22 where attribute: out.append(contentsOf: Array("&quot;".utf8))
      case 0x0D: out.append(contentsOf: Array("&#13;".utf8))
      case 0x0A where attribute: out.append(contentsOf: Array("&#10;".utf8))
      case 0x09 where attribute: out.append(contentsOf: Array("&#9;".utf8))
      case 0x09, 0x0A: out.append(b)
      case 0x00..<0x20: stripped = true
      case 0xEF
      where i + 2 < n && bytes[i + 1] == 0xBF && (bytes[i + 2] == 0xBE || bytes[i + 2] == 0xBF):
        stripped = true
        i += 2
      default: out.append(b)
      }
      i += 1
    }
    return stripped
  }
}
