#!/bin/sh
# Prints the `swift build` flags for the release binary's CPU level (Makefile: CPU=...).
#   auto (default)  x86-64-v3 when this machine has AVX2, BMI2, FMA, F16C and MOVBE, else generic
#   x86-64-v3       AVX2 etc. (most x86-64 CPUs since 2015): the tagger's and recognizer's SIMD
#                   rows are twice as wide; the binary refuses to start (exit 69, with a message)
#                   on a CPU without them
#   generic         any x86-64 (and every other architecture)
cpu=${1:-auto}
if [ "$cpu" = auto ]; then
    cpu=generic
    if [ "$(uname -m)" = x86_64 ] && [ -r /proc/cpuinfo ]; then
        flags=$(grep -m1 '^flags' /proc/cpuinfo)
        cpu=x86-64-v3
        for f in avx2 bmi1 bmi2 fma f16c movbe; do
            case " $flags " in *" $f "*) ;; *) cpu=generic ;; esac
        done
    fi
fi
case $cpu in
    x86-64-v3) echo "-Xswiftc -target-cpu -Xswiftc haswell -Xswiftc -DNEWSMILL_X86_64_V3" ;;
    generic) echo "" ;;
    *) echo "swift-cpu-flags: unknown CPU level '$cpu' (auto, x86-64-v3 or generic)" >&2; exit 1 ;;
esac
