# newsmill — build, run, test, bench, install.
#
#   make run          build (release) and run pipelines/news.yaml over corpus/ into out/
#   make test         build and run every test
#   make bench        throughput and memory benchmarks (Benchmarks/RESULTS.md)
#   make install      install the binary and its models under $(PREFIX)
#   make clean        remove build products and outputs

# cron's PATH lacks the Swift toolchain.
export PATH := /opt/swift/usr/bin:/usr/local/bin:/usr/bin:/bin:$(PATH)

SWIFT    ?= swift
PIPELINE ?= pipelines/news.yaml
PREFIX   ?= /usr/local
BIN      := .build/release/newsmill
RUN_ARGS ?=
# The release binary's CPU level: auto (x86-64-v3 when this machine has AVX2, BMI2 and FMA,
# else generic), x86-64-v3 or generic (scripts/swift-cpu-flags.sh). x86-64-v3 makes the ner
# stage ~10% and the tag stage ~4% faster (wider SIMD rows); a binary built so refuses to start on an older
# CPU, with a message. Build with CPU=generic for a binary to copy to other machines.
CPU      ?= auto

.PHONY: all build run test bench bench-1g bench-micro profile install uninstall clean lint format zlib tools smoke

all: build

# zlib's headers (Debian: zlib1g-dev) are needed to build; install them when root.
zlib:
	@if ! pkg-config --exists zlib 2>/dev/null && [ ! -f /usr/include/zlib.h ]; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	    echo "zlib headers missing: installing zlib1g-dev"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq zlib1g-dev pkg-config; \
	  else \
	    echo "error: zlib headers missing. Install them with: sudo apt-get install zlib1g-dev pkg-config" >&2; \
	    exit 1; \
	  fi; \
	fi

# zstd, xz and bzip2 decompress .zst, .xz and .bz2 inputs (run time only; the tests read
# files they make); install the missing ones when root, else say how.
tools:
	@missing=""; \
	for t in zstd:zstd xz:xz-utils bzip2:bzip2; do \
	  command -v "$${t%%:*}" >/dev/null || missing="$$missing $${t#*:}"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	    echo "installing$$missing (to read .zst, .xz and .bz2 inputs)"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing) || \
	      echo "warning: could not install$$missing: their tests will fail" >&2; \
	  else \
	    echo "warning: missing$$missing: .zst, .xz or .bz2 inputs cannot be read, and their tests fail." \
	      "Install with: sudo apt-get install$$missing" >&2; \
	  fi; \
	fi

build: zlib
	@flags=$$(sh scripts/swift-cpu-flags.sh $(CPU)) && echo "$(SWIFT) build -c release --product newsmill $$flags" && \
	  $(SWIFT) build -c release --product newsmill $$flags

run: build
	$(BIN) run $(PIPELINE) $(RUN_ARGS)

smoke: build
	$(BIN) run pipelines/smoke.yaml $(RUN_ARGS)

# Debug build of everything (the tests run the CLI binary as a real subprocess), then the tests.
test: zlib tools
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

# End-to-end benchmarks -> Benchmarks/RESULTS.md (100 MB generated corpus; peers when installable).
bench:
	CPU=$(CPU) bash Benchmarks/run.sh

# The same plus the 1 GB corpus (throughput and peak memory at scale).
bench-1g:
	CPU=$(CPU) BENCH_1G=1 bash Benchmarks/run.sh

# Swift micro-benchmarks only (nested package; the first build takes minutes).
bench-micro:
	$(SWIFT) package --package-path Benchmarks benchmark

# callgrind profile of the engine on a 5 MB corpus.
profile:
	CPU=$(CPU) bash Benchmarks/profile.sh

install: build
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/newsmill/models
	install -m 0755 $(BIN) $(DESTDIR)$(PREFIX)/bin/newsmill
	@if ls models/*.nmm >/dev/null 2>&1; then install -m 0644 models/*.nmm models/*.md $(DESTDIR)$(PREFIX)/share/newsmill/models/; fi
	@echo "installed $(DESTDIR)$(PREFIX)/bin/newsmill"

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/newsmill
	rm -rf $(DESTDIR)$(PREFIX)/share/newsmill

lint:
	$(SWIFT) format lint --strict --parallel --recursive Sources Tests Package.swift

format:
	$(SWIFT) format format --in-place --parallel --recursive Sources Tests Package.swift

clean:
	rm -rf .build out Benchmarks/.build Benchmarks/out
