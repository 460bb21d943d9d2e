import ArgumentParser
import Foundation
import Newsmill

/// `newsmill stages`: lists every registered stage and aggregate with its options.
struct StagesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stages",
        abstract: "List every registered stage and aggregate with its options and defaults.")

    func run() throws {
        let registry = CommandEnvironment.registry
        print("Stages (in `stages:`):")
        for name in registry.stageNames {
            guard let type = registry.stageType(named: name) else { continue }
            describe(name: name, summary: type.summary, options: type.optionSpecs)
        }
        print("")
        print("Aggregates (in `aggregates:`; every aggregate also takes `name`):")
        for name in registry.aggregateNames {
            guard let type = registry.aggregateType(named: name) else { continue }
            describe(name: name, summary: type.summary, options: type.optionSpecs)
        }
    }

    private func describe(name: String, summary: String, options: [OptionSpec]) {
        print("")
        print("  \(name)\(summary.isEmpty ? "" : ": \(summary)")")
        let width = options.map(\.name.count).max() ?? 0
        for option in options {
            let padded = option.name.padding(toLength: width, withPad: " ", startingAt: 0)
            print("      \(padded)  (default: \(option.defaultValue))  \(option.help)")
        }
    }
}
