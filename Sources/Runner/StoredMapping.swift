import Foundation
import LeadsheetCore
import Mapping

/// What a job remembers of how its input was read and mapped (the job's `mapping` JSON).
public struct StoredMapping: Sendable, Codable {
  /// The column mapping.
  public var mapping: ColumnMapping
  /// What was detected about the input (for an output in the same encoding and delimiter).
  public var info: SourceInfo
  /// The header exactly as read (the job's `header` holds the unique names).
  public var rawHeader: [String]

  /// Creates a record.
  public init(mapping: ColumnMapping, info: SourceInfo, rawHeader: [String]) {
    self.mapping = mapping
    self.info = info
    self.rawHeader = rawHeader
  }

  enum CodingKeys: String, CodingKey {
    case mapping, info
    case rawHeader = "raw_header"
  }

  /// The JSON text stored with the job.
  public func jsonText() throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(self), as: UTF8.self)
  }

  /// Decodes a job's `mapping` JSON.
  ///
  /// - Throws: `LeadsheetError(.storage)` when the text is not a stored mapping.
  public static func decode(_ text: String) throws -> StoredMapping {
    do {
      return try JSONDecoder().decode(StoredMapping.self, from: Data(text.utf8))
    } catch {
      throw LeadsheetError(.storage, "the job's stored mapping cannot be read: \(error)")
    }
  }
}
