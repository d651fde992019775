import LeadsheetCore
import Testing

@testable import Ingest

/// A file with every tricky construct: quotes, doubled quotes, embedded line
/// breaks of each kind, mixed line ends, empty lines, multi-byte characters,
/// lenient quotes and a last record without a line end.
func trickyCSV(records: Int, seed: UInt64) -> String {
  var rng = SeededGenerator(seed: seed)
  let pieces = [
    "plain", "", "\"quoted, with comma\"", "\"say \"\"hi\"\"\"", "\"two\nlines\"",
    "\"crlf\r\ninside\"", "\"cr\rinside\"", "Zoë", "Köln 😀", "€ 5", "ab\"c", "\"ab\"c",
    "\"\"", "a@example.com", "+33 6 12 34 56 78",
  ]
  let ends = ["\n", "\r\n", "\r"]
  var out = "id,name,note,extra\n"
  for i in 0..<records {
    if Int.random(in: 0..<15, using: &rng) == 0 { out += ends.randomElement(using: &rng)! }
    let width = Int.random(in: 1...5, using: &rng)
    var fields = ["\(i)"]
    for _ in 1..<width { fields.append(pieces.randomElement(using: &rng)!) }
    out += fields.joined(separator: ",")
    out += ends.randomElement(using: &rng)!
  }
  return out + "tail,\"no line end\""
}

@Test func oneByteRandomChunksAndWholeGiveTheSameRows() throws {
  for seed: UInt64 in [1, 2, 3] {
    let bytes = Array(trickyCSV(records: 300, seed: seed).utf8)
    let whole = try parse(bytes)
    #expect(whole.rows.count > 300)
    #expect(whole.rows.last?.cells == ["tail", "no line end"])
    #expect(whole.info.delimiter == ",")
    let oneByte = try parse(bytes, pieces: [1], chunkSize: 1, sampleSize: 1)
    #expect(oneByte == whole, "one byte at a time, seed \(seed)")
    var rng = SeededGenerator(seed: seed &* 31)
    for round in 0..<5 {
      let pieces = (0..<50).map { _ in Int.random(in: 1...97, using: &rng) }
      let chunk = Int.random(in: 1...64, using: &rng)
      let cut = try parse(bytes, pieces: pieces, chunkSize: chunk, sampleSize: 4096)
      #expect(cut == whole, "random chunks, seed \(seed), round \(round)")
    }
  }
}

@Test func windows1252ChunkingGivesTheSameRows() throws {
  var bytes: [UInt8] = Array("a;b\n".utf8)
  for i in 0..<200 {
    bytes += Array("\(i);\"x".utf8) + [0x80, 0x92, 0x0D, 0x0A, 0xE9] + Array("\"\r\n".utf8)
  }
  let whole = try parse(bytes)
  #expect(whole.info.encoding == "windows-1252")
  #expect(whole.texts[1] == ["0", "x€’\r\né"])
  #expect(whole.lines[2] == 4)
  for chunk in [1, 2, 7, 100] {
    let cut = try parse(bytes, pieces: [3, 1, 5], chunkSize: chunk)
    #expect(cut == whole, "chunk \(chunk)")
  }
}

@Test func unbalancedQuoteLineIsTheSameWhateverTheChunks() throws {
  let bytes = Array("a,b\r\n1,2\r\n3,\"open\r\nmore\r\n".utf8)
  for chunk in [1, 2, 3, 1 << 20] {
    let error = leadsheetError {
      _ = try parse(bytes, pieces: [1], chunkSize: chunk, sampleSize: 4)
    }
    #expect(error?.location == .line(3))
    #expect(error?.code == .malformed)
  }
}
