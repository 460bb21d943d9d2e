import Newsmill
import NewsmillCLI

// The `newsmill` binary: the built-in registry and the standard command line.
NewsmillCommand.main(registry: .standard)
