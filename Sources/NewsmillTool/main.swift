import Newsmill
import NewsmillCLI

// The `newsmill` binary: the built-in registry and the standard command line. First, a
// binary compiled for x86-64-v3 (`make build` on a machine that has it) stops with a
// message on a CPU without AVX2, instead of dying of an illegal instruction.
NewsmillInfo.requireCPULevel()
NewsmillCommand.main(registry: .standard)
