/// Where to cut a CSV file so that the cut is a record boundary, guessed from
/// the bytes after a line feed.
///
/// A line feed inside a quoted field (a multi-line note) is not a record
/// boundary, and a part cut there cannot be read: `CSVPartition` then reads
/// the whole file again in one piece. In a list with a multi-line notes
/// column, a quarter of the line feeds or more can be of that kind. So each
/// line feed after the target is tried in turn, and the first one after
/// which the text reads as clean CSV is taken: the next `records` records
/// parse with no quote out of place (a `"` inside an unquoted field, text
/// after a closing quote) and no empty line, and all have the same number of
/// fields. Inside a quoted field, the quote that closes it soon shows up out
/// of place, or the field counts disagree.
///
/// This is only a guess: `CSVPartition` still proves every cut by reading
/// (a part that ends inside a quoted field fails), so a wrong guess costs
/// time, never rows. When no line feed looks right, the first is taken (as
/// before this guess existed).
///
///     let cut = RecordStartGuess.cut(in: window, delimiter: UInt8(ascii: ","), atFileEnd: false)
enum RecordStartGuess {
  /// Records checked after a candidate line feed.
  static let records = 8
  /// Line feeds tried before giving up and taking the first.
  static let candidates = 256

  /// The offset in `window` just past the chosen line feed, or `nil` when
  /// the window holds none.
  ///
  /// - Parameters:
  ///   - window: Bytes of the file from the target offset on.
  ///   - delimiter: The field delimiter.
  ///   - atFileEnd: Whether the window reaches the end of the file (a record
  ///     cut short by the window's end is then complete).
  static func cut(in window: UnsafeBufferPointer<UInt8>, delimiter: UInt8, atFileEnd: Bool)
    -> Int?
  {
    var first: Int?
    var start = 0
    var tried = 0
    while tried < candidates, let lf = window[start...].firstIndex(of: 0x0A) {
      let candidate = lf + 1
      if first == nil { first = candidate }
      if looksLikeRecordStart(window, from: candidate, delimiter: delimiter, atFileEnd: atFileEnd) {
        return candidate
      }
      tried += 1
      start = candidate
    }
    return first
  }

  /// Whether the bytes from `start` read as `records` clean records (fewer
  /// when the file ends first) with the same number of fields.
  static func looksLikeRecordStart(
    _ w: UnsafeBufferPointer<UInt8>, from start: Int, delimiter d: UInt8, atFileEnd: Bool
  ) -> Bool {
    let quote = UInt8(ascii: "\"")
    let lf: UInt8 = 0x0A
    let cr: UInt8 = 0x0D
    enum State { case fieldStart, unquoted, quoted, quoteInQuoted }
    var state = State.fieldStart
    var fields = 1
    var width = 0
    var complete = 0
    var recordStart = start
    var i = start
    let n = w.count
    while i < n {
      let b = w[i]
      switch state {
      case .fieldStart, .unquoted:
        if b == quote {
          guard state == .fieldStart else { return false }
          state = .quoted
        } else if b == d {
          fields += 1
          state = .fieldStart
        } else if b == lf || b == cr {
          // An empty line, or a field count unlike the records before: not clean.
          guard i > recordStart, width == 0 || fields == width else { return false }
          width = fields
          complete += 1
          if complete == records { return true }
          if b == cr, i + 1 < n, w[i + 1] == lf { i += 1 }
          fields = 1
          recordStart = i + 1
          state = .fieldStart
        } else {
          state = .unquoted
        }
      case .quoted:
        if b == quote { state = .quoteInQuoted }
      case .quoteInQuoted:
        if b == quote {
          state = .quoted
        } else if b == d {
          fields += 1
          state = .fieldStart
        } else if b == lf || b == cr {
          guard width == 0 || fields == width else { return false }
          width = fields
          complete += 1
          if complete == records { return true }
          if b == cr, i + 1 < n, w[i + 1] == lf { i += 1 }
          fields = 1
          recordStart = i + 1
          state = .fieldStart
        } else {
          return false
        }
      }
      i += 1
    }
    // The window ended: clean so far. At the file's end that is the answer;
    // else trust at least two whole records.
    if atFileEnd {
      let last = state == .quoted ? false : (i == recordStart || width == 0 || fields == width)
      return last && (complete > 0 || i > recordStart)
    }
    return complete >= 2
  }
}
