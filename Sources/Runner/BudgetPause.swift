/// Where a job stood when its credit budget (`--max-credits`) stopped it, and how to go on.
///
///     budget reached: 1,000 of 1,000 credits spent (412 rows left, about 530 more credits);
///     continue with: leadsheet resume k7m2qx --max-credits 1600
public struct BudgetPause: Sendable, Hashable {
  /// Credits the job has spent under its billing model, over all its runs.
  public var spent: Int
  /// The budget (`--max-credits`).
  public var limit: Int
  /// The worst case of the request that did not fit.
  public var nextWorstCase: Int
  /// Rows still pending.
  public var rowsLeft = 0
  /// What the requests left should cost under the job's billing model.
  public var estimateLeft = 0

  /// Creates a pause; `rowsLeft` and `estimateLeft` are filled from the store.
  public init(
    spent: Int, limit: Int, nextWorstCase: Int, rowsLeft: Int = 0, estimateLeft: Int = 0
  ) {
    self.spent = spent
    self.limit = limit
    self.nextWorstCase = nextWorstCase
    self.rowsLeft = rowsLeft
    self.estimateLeft = estimateLeft
  }

  /// The `--max-credits` to go on with: what is spent plus the estimate for the rest
  /// (at least the next request's worst case), rounded up to two significant figures.
  public var suggestedLimit: Int {
    CreditBudget.roundedUp(spent + max(estimateLeft, nextWorstCase))
  }

  /// `budget reached: 1,000 of 1,000 credits spent (412 rows left, about 530 more credits)`:
  /// also the paused job's reason.
  ///
  /// Past the budget (a budget lowered below what was spent, or answers that held
  /// more phone numbers than reserved under `per-number`), it says by how much.
  public var reason: String {
    let over =
      spent > limit
      ? "; \(Self.grouped(spent - limit)) past the budget"
      : ""
    return "budget reached: \(Self.grouped(spent)) of \(Self.grouped(limit)) credits spent"
      + " (\(Self.grouped(rowsLeft)) rows left, about \(Self.grouped(estimateLeft)) more credits\(over))"
  }

  /// The whole line: the reason and the command that goes on.
  public func message(job: String) -> String {
    reason + "; continue with: leadsheet resume \(job) --max-credits \(suggestedLimit)"
  }

  /// `1,234,567`
  static func grouped(_ n: Int) -> String {
    let digits = String(n.magnitude)
    var out = ""
    for (i, c) in digits.reversed().enumerated() {
      if i > 0 && i % 3 == 0 { out.append(",") }
      out.append(c)
    }
    return (n < 0 ? "-" : "") + String(out.reversed())
  }
}
