import Foundation
import Testing

/// The permission bits of `path` (`0o600`), or `nil` when it does not exist.
func fileMode(_ path: String) -> Int? {
  guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
    let mode = attributes[.posixPermissions] as? Int
  else { return nil }
  return mode & 0o777
}

/// Whether `needle` occurs in the bytes of `path`, ignoring ASCII case.
func fileContains(_ path: String, _ needle: String) -> Bool {
  guard let data = FileManager.default.contents(atPath: path) else { return false }
  return data.lowercased().range(of: Data(needle.lowercased().utf8)) != nil
}

extension Data {
  /// The bytes with ASCII letters lower-cased.
  fileprivate func lowercased() -> Data {
    Data(map { (0x41...0x5A).contains($0) ? $0 | 0x20 : $0 })
  }
}

extension EndToEnd {
  /// The reliability issue's secrets and personal data: the key is written nowhere,
  /// personal data is owner-only, purge erases it, and plain HTTP is refused.
  @Suite("Secrets and personal data")
  struct Privacy {
    /// The key is in none of the files leadsheet writes: database, outputs, reports in every
    /// format, `--json` outputs of every command, and error paths (an unreachable host,
    /// a 401).
    @Test("the API key appears in no report, --json output or error message")
    func keyNeverWritten() async throws {
      let list = LeadList(count: 120, seed: 61)
      let w = try Workdir("key-scan")
      defer { w.remove() }
      let input = try w.write("leads.csv", list.csv)
      let sim = try await SimulatorProcess(in: w)
      let r = try await w.run(enrichArguments(input, sim, ["--json"]))
      #expect(r.code == 0, "\(r.stderr)")
      let job = try #require(r.json["job"] as? String)
      #expect(FileManager.default.fileExists(atPath: w.path("leads.enriched.report.html")))
      for format in ["text", "json", "md", "html"] {
        let rep = try await w.run(
          ["report", job, "--format", format, "-o", w.path("r.\(format)")])
        #expect(rep.code == 0, "\(rep.stderr)")
        #expect(try await w.run(["report", job, "--format", format]).code == 0)
      }
      #expect(try await w.run(["jobs", "--json"]).code == 0)
      #expect(try await w.run(["status", job, "--json"]).code == 0)
      let xlsx = try await w.run(["export", job, "--format", "xlsx", "-o", w.path("o.xlsx")])
      #expect(xlsx.code == 0, "\(xlsx.stderr)")
      let inspect = try w.start(["inspect", input, "--json"], db: false)
      #expect(await inspect.wait() == .exit(0), "\(inspect.stderr)")

      // Error paths: a host that does not resolve, then a key the API refuses (401).
      let unreachable = try await w.run(
        enrichArguments(input, sim, ["--new", "--refresh", "--give-up-after", "1", "--json"])
          .map { $0 == sim.baseURL ? "https://leadsheet-e2e.invalid/v2" : $0 })
      #expect(unreachable.code == 75, "\(unreachable.stderr)")
      try await sim.control(["revoke_keys": [testAPIKey]])
      let refused = try await w.run(enrichArguments(input, sim, ["--new"]))
      #expect(refused.code == 75, "\(refused.stderr)")
      #expect(refused.stderr.contains("refused the API key"))
      let refusedJSON = try await w.run(enrichArguments(input, sim, ["--new", "--json"]))
      #expect(refusedJSON.code == 75)
      await sim.stop()
      w.expectNoKeyWritten()
    }

    /// The database (and its `-wal`/`-shm` while a run holds them), the output CSV and
    /// XLSX, and the HTML reports are owner-only (0600).
    @Test("the database, its WAL, outputs and reports are created 0600")
    func ownerOnlyModes() async throws {
      let list = LeadList(count: 150, seed: 62)
      let w = try Workdir("modes")
      defer { w.remove() }
      let input = try w.write("leads.csv", list.csv)
      let sim = try await SimulatorProcess(in: w, latency: "300,600")
      let p = try w.start(enrichArguments(input, sim, ["--rate", "20"]))
      let job = try await awaitJob(p)
      try await sim.waitUntil { $0.billed >= 5 }
      for suffix in ["", "-wal", "-shm"] {
        let mode = fileMode(w.db + suffix)
        #expect(mode == 0o600, "jobs.sqlite\(suffix): \(String(mode ?? -1, radix: 8))")
      }
      p.send(SIGINT)
      #expect(await p.wait(timeout: .seconds(30)) == .exit(130))
      let r = try await w.run(resumeArguments(job, sim))
      #expect(r.code == 0, "\(r.stderr)")
      let xlsx = try await w.run(["export", job, "--format", "xlsx", "-o", w.path("o.xlsx")])
      #expect(xlsx.code == 0, "\(xlsx.stderr)")
      let html = try await w.run(["report", job, "--format", "html", "-o", w.path("r.html")])
      #expect(html.code == 0, "\(html.stderr)")
      for name in ["leads.enriched.csv", "leads.enriched.report.html", "o.xlsx", "r.html"] {
        let mode = fileMode(w.path(name))
        #expect(mode == 0o600, "\(name): \(String(mode ?? -1, radix: 8))")
      }
      #expect(fileMode(w.db) == 0o600)
      await sim.stop()
    }

    /// `jobs --purge JOB` and `--purge-older-than 0` erase a job's personal data from the
    /// database's bytes (file, WAL, shared memory); another job's data stays.
    @Test("purge: a purged contact's name is gone from the database files' bytes")
    func purgeErases() async throws {
      let w = try Workdir("purge")
      defer { w.remove() }
      let sim = try await SimulatorProcess(in: w)
      /// A list whose every last name carries `marker`.
      func list(_ marker: String, seed: UInt64) -> LeadList {
        var l = LeadList(count: 80, seed: seed, invalidShare: 0)
        for i in l.rows.indices { l.rows[i][1] = "\(marker)\(i)" }
        return l
      }
      var jobs: [String: String] = [:]
      for (marker, seed) in [("Quixwhistle", 63), ("Brambletoft", 64), ("Keepworthy", 65)] {
        let input = try w.write("\(marker).csv", list(marker, seed: UInt64(seed)).csv)
        let r = try await w.run(enrichArguments(input, sim, ["--json"]))
        #expect(r.code == 0, "\(r.stderr)")
        jobs[marker] = r.json["job"] as? String
      }
      let files = [w.db, w.db + "-wal", w.db + "-shm"]
      #expect(files.contains { fileContains($0, "Quixwhistle") }, "the scan finds nothing")

      let purged = try await w.run(["jobs", "--purge", try #require(jobs["Quixwhistle"])])
      #expect(purged.code == 0, "\(purged.stderr)")
      for f in files { #expect(!fileContains(f, "Quixwhistle"), "\(f) still holds the name") }
      #expect(files.contains { fileContains($0, "Keepworthy") })

      // Keep the third job recent, age the second, purge what is older than a day.
      let aged = try #require(jobs["Brambletoft"])
      try sqliteWrite(
        w.db, "UPDATE jobs SET updated_at = updated_at - 3 * 86400 WHERE id = '\(aged)'")
      let old = try await w.run(["jobs", "--purge-older-than", "1"])
      #expect(old.code == 0, "\(old.stderr)")
      #expect(old.stderr.contains("purged 1 jobs"), "\(old.stderr)")
      for f in files { #expect(!fileContains(f, "Brambletoft"), "\(f) still holds the name") }
      #expect(files.contains { fileContains($0, "Keepworthy") })

      // The contact store kept only the answers of the job left; `cache --purge-all`
      // empties it, and the names it held as identities are gone from the store's pages.
      let before = try await w.run(["cache", "--json"])
      #expect(before.json["jobs"] as? Int == 1, "\(before.stdout)")
      #expect((before.json["entries"] as? Int ?? 0) > 0, "\(before.stdout)")
      let emptied = try await w.run(["cache", "--purge-all"])
      #expect(emptied.code == 0, "\(emptied.stderr)")
      let after = try await w.run(["cache", "--json"])
      #expect(after.json["entries"] as? Int == 0, "\(after.stdout)")
      #expect(try w.sql("SELECT count(*) FROM contacts") == "0")
      await sim.stop()
    }

    /// Plain `http://` to a host other than the loopback is refused (exit 64, one line)
    /// before any request; `--insecure` allows it.
    @Test(
      "plain HTTP to another host: refused (64) unless --insecure",
      .enabled(if: isLinux, "127.0.0.2 is a loopback address on Linux only"))
    func plainHTTPRefused() async throws {
      let list = LeadList(count: 30, seed: 66)
      let w = try Workdir("insecure")
      defer { w.remove() }
      let input = try w.write("leads.csv", list.csv)
      let sim = try await SimulatorProcess(in: w, extra: ["--host", "127.0.0.2"])
      let other = sim.baseURL.replacingOccurrences(of: "127.0.0.1", with: "127.0.0.2")
      let refused = try await w.run(["enrich", input, "--base-url", other])
      #expect(refused.code == 64, "\(refused.stderr)")
      expectOneLineError(refused.stderr, containing: "refusing plain http:// to 127.0.0.2")
      #expect(try await sim.stats().requests == 0)

      let allowed = try await w.run(["enrich", input, "--base-url", other, "--insecure"])
      #expect(allowed.code == 0, "\(allowed.stderr)")
      try expectComplete(output: w.path("leads.enriched.csv"), input: list)
      await sim.stop()
      w.expectNoKeyWritten()
    }
  }
}

/// Whether the tests run on Linux (where all of 127.0.0.0/8 is the loopback).
#if os(Linux)
  let isLinux = true
#else
  let isLinux = false
#endif

/// Runs one SQL statement read-write on `db` with the `sqlite3` shell.
func sqliteWrite(_ db: String, _ statement: String) throws {
  let p = Process()
  p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
  p.arguments = ["sqlite3", "-cmd", ".timeout 5000", db, statement]
  try p.run()
  p.waitUntilExit()
  #expect(p.terminationStatus == 0, "sqlite3 \(statement)")
}
