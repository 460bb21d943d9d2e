#ifndef NEWSMILL_CPU_H
#define NEWSMILL_CPU_H
#include <stdio.h>
#include <stdlib.h>
#if defined(__x86_64__)
#include <cpuid.h>
#endif

/* Whether this CPU (and the OS) runs x86-64-v3 code: AVX2, BMI1/2, FMA, F16C, MOVBE, and
   the OS saves the AVX registers. 1 on other architectures (nothing to check). Plain C, so
   that the check itself never runs an instruction it is checking for. */
static inline int newsmill_cpu_runs_x86_64_v3(void) {
#if defined(__x86_64__)
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    const unsigned leaf1 = (1u << 12) | (1u << 22) | (1u << 27) | (1u << 28) | (1u << 29); /* FMA MOVBE OSXSAVE AVX F16C */
    if ((c & leaf1) != leaf1) return 0;
    unsigned lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    if ((lo & 6) != 6) return 0; /* XMM and YMM state enabled by the OS */
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
    const unsigned leaf7 = (1u << 3) | (1u << 5) | (1u << 8); /* BMI1 AVX2 BMI2 */
    return (b & leaf7) == leaf7;
#else
    return 1;
#endif
}

/* Exits with a message (status 69, EX_UNAVAILABLE) unless the CPU runs x86-64-v3 code. */
static inline void newsmill_require_x86_64_v3(void) {
    if (newsmill_cpu_runs_x86_64_v3()) return;
    fputs("newsmill: this binary was built for x86-64-v3 CPUs (AVX2, BMI2, FMA: most since 2015) and this CPU "
          "lacks them; build it on this machine with `make build`, or for any x86-64 CPU with "
          "`make build CPU=generic`\n", stderr);
    exit(69);
}
#endif
