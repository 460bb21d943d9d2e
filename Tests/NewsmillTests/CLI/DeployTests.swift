import Foundation
import Testing

@testable import Newsmill

/// The examples in deploy/, run for real where they can run here.
@Suite(.serialized) struct DeployTests {
    /// A real Slurm array job (../shared/tools/slurm-local.sh: a one-node cluster on
    /// localhost) runs deploy/slurm/newsmill-shard.sh as 3 tasks; merging the shards gives
    /// what one machine gives. Set NEWSMILL_SKIP_SLURM=1 to skip where Slurm cannot be installed.
    @Test(.timeLimit(.minutes(10))) func slurmArrayShardsMergeIntoTheSingleMachineResult() throws {
        if ProcessInfo.processInfo.environment["NEWSMILL_SKIP_SLURM"] == "1" { return }
        let tool = TestSupport.sharedRoot + "/tools/slurm-local.sh"
        try #require(FileManager.default.fileExists(atPath: tool), "missing \(tool)")
        try #require(FileManager.default.isExecutableFile(atPath: TestSupport.binary))
        let out = TestSupport.temporaryDirectory()
        // Slurm's socket paths must stay under 108 bytes: a short state folder.
        let state = "/tmp/nm-slurm-\(UUID().uuidString.prefix(6))"
        defer { try? FileManager.default.removeItem(atPath: state) }
        let result = try TestSupport.run(
            [
                "bash", tool, "ci", "-n", "3", "-t", "180", "-C", TestSupport.repoRoot,
                "-e", out + "/shard-{i}/report.json", "--", "bash", "deploy/slurm/newsmill-shard.sh",
            ],
            environment: [
                "NEWSMILL": TestSupport.binary, "PIPELINE": "pipelines/smoke.yaml", "OUT": out,
                "SLURM_LOCAL_DIR": state, "SLURM_LOCAL_QUIET": "1",
            ])
        #expect(result.status == 0, "slurm-local failed: \(result.stderr.suffix(2000))")
        var files = 0
        for i in 0..<3 {
            let report = try JSONParser.parse(try FileSystem.readFile(out + "/shard-\(i)/report.json"))
            #expect(report["shard"] == .string("\(i)/3"))
            files += report["files"]?.intValue ?? 0
        }
        #expect(files == 5)
        let merged = try TestSupport.run(
            [TestSupport.binary, "merge", "--output", out + "/merged"]
                + (0..<3).map { out + "/shard-\($0)" })
        #expect(merged.status == 0, "\(merged.stderr)")
        let single = try TestSupport.run(
            [
                TestSupport.binary, "run", "pipelines/smoke.yaml", "--output", out + "/single",
                "--quiet",
            ], directory: TestSupport.repoRoot)
        #expect(single.status == 0)
        #expect(
            try TestSupport.gunzip(out + "/merged/documents.jsonl.gz")
                == TestSupport.gunzip(out + "/single/documents.jsonl.gz"))
        #expect(
            try FileSystem.readFile(out + "/merged/aggregates.jsonl")
                == FileSystem.readFile(out + "/single/aggregates.jsonl"))
    }

    /// The Kubernetes Indexed Job: its shard count matches its completions, and the
    /// variables it sets select the shards (the pods' command run here for each index).
    @Test func kubernetesIndexedJobSelectsEveryShardOnce() throws {
        let spec = try TestSupport.python(
            """
            import sys, yaml
            docs = list(yaml.safe_load_all(open(sys.argv[1])))
            job = docs[0]["spec"]
            env = {e["name"]: e["value"] for e in job["template"]["spec"]["containers"][0]["env"]}
            assert job["completionMode"] == "Indexed"
            print(job["completions"], env["NEWSMILL_SHARD_COUNT"])
            """, [TestSupport.repoRoot + "/deploy/kubernetes/newsmill-job.yaml"])
        let parts = spec.split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        #expect(parts.count == 2 && parts[0] == parts[1])
        let count = Int(parts[0]) ?? 0
        let out = TestSupport.temporaryDirectory()
        var files = 0
        for index in 0..<count {
            let r = try TestSupport.run(
                [
                    TestSupport.binary, "run", "pipelines/smoke.yaml", "--output", out + "/s\(index)",
                    "--quiet",
                ],
                environment: ["JOB_COMPLETION_INDEX": "\(index)", "NEWSMILL_SHARD_COUNT": "\(count)"],
                directory: TestSupport.repoRoot)
            #expect(r.status == 0, "\(r.stderr)")
            let report = try JSONParser.parse(try FileSystem.readFile(out + "/s\(index)/report.json"))
            #expect(report["shard"] == .string("\(index)/\(count)"))
            files += report["files"]?.intValue ?? 0
        }
        #expect(files == 5)
    }

    @Test func anIndexWithoutACountIsABadArgument() throws {
        let r = try TestSupport.run(
            [TestSupport.binary, "run", "pipelines/smoke.yaml", "--dry-run"],
            environment: ["JOB_COMPLETION_INDEX": "1"], directory: TestSupport.repoRoot)
        #expect(r.status == 64)
        #expect(r.stderr.contains("NEWSMILL_SHARD_COUNT"))
    }
}
