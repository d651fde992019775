import LeadsheetCore
import ProntoClient

/// How a run sends its requests: `enrich`'s and `resume`'s tuning flags.
public struct RunConfiguration: Sendable {
  /// Requests per second (`--rate`, default 50, Pronto's documented per-user limit); 0 = no limit.
  public var rate: Double = 50
  /// How far under `rate` requests are paced (2 %): requests sent exactly at
  /// the limit reach the server bunched by network jitter, and a sliding-window
  /// limiter answers 429 to the one that arrives a millisecond early.
  public var rateMargin = 0.02
  /// The rate requests are paced at: `rate` less the margin.
  public var pacedRate: Double { rate * (1 - rateMargin) }
  /// The most requests in flight (`--max-in-flight`, default 200); shrinks on 429s, grows back.
  public var maxInFlight = 200
  /// Whether the in-flight window also follows the latency (`LatencyLimit`): it shrinks
  /// toward what the server works on at once when latency grows with the window
  /// (`--no-latency-window` turns it off, leaving only the 429 halving).
  public var latencyWindow = true
  /// Retries of transient failures, with exponential backoff and full jitter (`--max-retries`).
  public var backoff = Backoff.standard
  /// How long the API may be unreachable before the job pauses (`--give-up-after`).
  public var giveUpAfter: Duration = .seconds(300)
  /// How often outcomes are committed (a group commit of everything answered since).
  public var commitInterval: Duration = .milliseconds(250)
  /// The most distinct requests to send in this run (`--limit`), for a trial on the first rows.
  public var limit: Int?
  /// After a crash, send again the requests that were in flight (default) or mark them failed.
  public var resendInFlight = true
  /// Which API the run talks to (`--api`): `async` submits one type per call and
  /// polls each id; `sync` sends the request whole (and polls only if the API
  /// answers `pending` with an id).
  public var apiMode: APIMode = .sync
  /// How long an id may stay pending before its request is `failed` (`--poll-timeout`,
  /// seconds; default 30 min); the next run polls it again, never resubmits.
  public var pollTimeout = 1800.0
  /// Whether polls take a slot of `--rate` like submissions (the default: the docs do
  /// not say they are free).
  public var pollsUseRate = true
  /// How answered requests are counted, and what a request may cost at worst
  /// (`--billing`, `--credit-cost`: the job's stored ones).
  public var billing = BillingModel()
  /// The most credits the job may spend over all its runs (`--max-credits`, the
  /// job's stored one); `nil`: no budget.
  public var maxCredits: Int?
  /// leadsheet's own cap of credits per UTC day, counted over every job of the
  /// database (`--daily-credits`, the job's stored one); `nil`: none (the API's daily
  /// limit is honoured whatever it is).
  public var dailyCredits: Int?
  /// At a daily cap, sleep to the reset and go on (`--wait`) instead of pausing.
  public var waitForDailyReset = false
  /// Which answers of the contact store stand in for buying (`--max-age`,
  /// `--recheck-not-found-after`, `--refresh`: the job's stored ones).
  public var reuse = ReusePolicy()
  /// Which types wait for the email's answer, and how many requests per group buy
  /// them (`--phone-if`, `--personal-email-if`, `--max-per`: the job's stored ones).
  public var stage = StagePolicy()
  /// How often the progress callback is called.
  public var progressInterval: Duration = .milliseconds(250)

  /// The defaults.
  public init() {}
}
