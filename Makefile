SHELL := /bin/bash
# dwh: the two commands a newcomer needs are `make demo` and `make test`.
SWIFT      ?= swift
BUILD_DIR  ?= .build
DWH        := $(BUILD_DIR)/debug/dwh
DWH_RELEASE := $(BUILD_DIR)/release/dwh
SHARED_DATA ?= $(abspath ../shared/data/sparkify)
DEMO_DATA  ?= demo-data
TEST_HOME  := $(CURDIR)/.dwh-test

.PHONY: sql-help deps build release demo test test-redshift bench bench-export bench-output bench-transform bench-run bench-rsload bench-answers fuzz fuzz-build clean \
	db-start db-stop install install-strip install-files uninstall

deps:
	@.ci/install-deps

build: deps
	$(SWIFT) build --scratch-path $(BUILD_DIR)

# Release builds link the Swift runtime in, so an installed dwh needs no Swift toolchain.
# They name their products: a plain `swift build -c release` would also build TestSupport,
# whose XCTest the static runtime does not have.
RELEASE_FLAGS ?= --static-swift-stdlib
release_build = set -e; for product in $(1); do \
	$(SWIFT) build -c release $(RELEASE_FLAGS) --scratch-path $(BUILD_DIR) --product $$product; done

release: deps
	$(call release_build,dwh dwh-manual dwh-bench dwh-rsload-bench)

# From nothing to analysed data: build, start the local database, build the schema.
demo: build
	$(DWH) db start
	$(DWH) migrate
	$(DWH) migrate status
	$(DWH) generate --songs 2000 --events 50000 --out $(DEMO_DATA)
	$(DWH) load --songs $(DEMO_DATA)/song_data --events $(DEMO_DATA)/log_data
	$(DWH) check
	$(DWH) query run top_locations --param limit=5
	$(DWH) query run plays_by_hour --chart
	$(DWH) export top_songs -o $(DEMO_DATA)/top_songs.csv
	$(DWH) report -o $(DEMO_DATA)/sparkify-report.html --csv-dir $(DEMO_DATA)/csv
	@printf '[RUN]\nEVENTS = $(DEMO_DATA)/log_data/{yyyy}/{mm}/{date}-events.json\nSONGS = $(DEMO_DATA)/song_data\nREPORT = $(DEMO_DATA)/reports/{date}.html\n' > $(DEMO_DATA)/run.cfg
	$(DWH) run --config $(DEMO_DATA)/run.cfg --date 2018-11-30
	$(DWH) runs --config $(DEMO_DATA)/run.cfg
	@echo "demo done: report in $(DEMO_DATA)/sparkify-report.html, CSV in $(DEMO_DATA)/, the daily job's in $(DEMO_DATA)/reports/"

# Every test, against a PostgreSQL the test set-up starts in .dwh-test.
# The last line is the plain summary CI reads: "tests: N passed, N failed".
test: build
	@mkdir -p $(BUILD_DIR)
	DWH_HOME=$(TEST_HOME) $(DWH) db start >/dev/null
	@set -o pipefail; \
	DWH_HOME=$(TEST_HOME) DWH_SHARED_DATA=$(SHARED_DATA) $(SWIFT) test --disable-swift-testing \
		--scratch-path $(BUILD_DIR) 2>&1 | tee $(BUILD_DIR)/test.log; \
	status=$$?; DWH_HOME=$(TEST_HOME) $(DWH) db stop >/dev/null; \
	summary=$$(grep -E "^\s+Executed [0-9]+ tests?, with ([0-9]+ tests? skipped and )?[0-9]+ failures?" $(BUILD_DIR)/test.log | tail -1); \
	total=$$(echo "$$summary" | sed -E 's/.*Executed ([0-9]+) tests?.*/\1/'); \
	failed=$$(echo "$$summary" | sed -E 's/.* ([0-9]+) failures?.*/\1/'); \
	skipped=$$(echo "$$summary" | sed -nE 's/.*with ([0-9]+) tests? skipped.*/\1/p'); skipped=$${skipped:-0}; \
	[ -n "$$summary" ] || { total=0; failed=0; status=1; echo "no test summary found"; }; \
	grep -h "Redshift live suite not run" $(BUILD_DIR)/test.log | sed -E 's/.*(Redshift live suite not run.*)$$/\1/' | head -1; \
	echo "tests: $$((total - failed - skipped)) passed, $$failed failed"; exit $$status

# The whole job on a real Redshift cluster (Tests/DWHCLITests/RedshiftLiveTests.swift):
#   DWH_REDSHIFT_URL=… DWH_REDSHIFT_IAM_ROLE=arn:… DWH_REDSHIFT_S3=s3://bucket/prefix/ make test-redshift
test-redshift: build
	@[ -n "$$DWH_REDSHIFT_URL" ] && [ -n "$$DWH_REDSHIFT_IAM_ROLE" ] && [ -n "$$DWH_REDSHIFT_S3" ] || \
		{ echo "set DWH_REDSHIFT_URL, DWH_REDSHIFT_IAM_ROLE and DWH_REDSHIFT_S3 (README: Redshift: what is verified and how)"; exit 2; }
	$(SWIFT) test --disable-swift-testing --scratch-path $(BUILD_DIR) --filter RedshiftLiveTests

# dwh load against psql \copy of the same rows (bench/README.md); `make bench SCALE=10` for 10x.
bench: release
	BUILD_DIR=$(BUILD_DIR) bench/load-bench.sh $(or $(SCALE),1)

# `make install [PREFIX=/usr/local] [DESTDIR=…]`: a release build, then dwh (one binary with
# its SQL, stylesheet and starter project inside), bash, zsh and fish completions and the man
# page under PREFIX (`make install-strip`: the binary without its symbol tables). `make
# uninstall` with the same PREFIX removes exactly those files.
PREFIX     ?= /usr/local
DWH_BINARY ?= $(DWH_RELEASE)
DWH_MANUAL ?= $(BUILD_DIR)/release/dwh-manual
INSTALLED  := bin/dwh share/bash-completion/completions/dwh share/zsh/site-functions/_dwh \
	share/fish/vendor_completions.d/dwh.fish share/man/man1/dwh.1

# The release build alone, not `release`: installing must not apt-install the test tools (deps).
install:
	$(call release_build,dwh dwh-manual)
	@$(MAKE) --no-print-directory install-files

# The same, with the symbol tables stripped from the binary (about a quarter of its size).
install-strip:
	$(call release_build,dwh dwh-manual)
	@$(MAKE) --no-print-directory install-files INSTALL_STRIP=-s

# The copying half of `make install`, from a dwh already built (DWH_BINARY, DWH_MANUAL):
# the completions and the man page come from that binary's own help.
install-files:
	@set -euo pipefail; staged=$$(mktemp -d); trap 'rm -rf "$$staged"' EXIT; \
	for shell in bash zsh fish; do "$(DWH_BINARY)" --generate-completion-script $$shell > "$$staged/dwh.$$shell"; done; \
	"$(DWH_BINARY)" --experimental-dump-help | "$(DWH_MANUAL)" "$$("$(DWH_BINARY)" --version)" > "$$staged/dwh.1"; \
	root="$(DESTDIR)$(PREFIX)"; \
	install -D -m 0755 $(INSTALL_STRIP) "$(DWH_BINARY)" "$$root/bin/dwh"; \
	install -D -m 0644 "$$staged/dwh.bash" "$$root/share/bash-completion/completions/dwh"; \
	install -D -m 0644 "$$staged/dwh.zsh" "$$root/share/zsh/site-functions/_dwh"; \
	install -D -m 0644 "$$staged/dwh.fish" "$$root/share/fish/vendor_completions.d/dwh.fish"; \
	install -D -m 0644 "$$staged/dwh.1" "$$root/share/man/man1/dwh.1"; \
	for file in $(INSTALLED); do echo "installed $$root/$$file"; done

uninstall:
	@for file in $(INSTALLED); do \
		path="$(DESTDIR)$(PREFIX)/$$file"; \
		if [ -e "$$path" ]; then rm -f "$$path" && echo "removed $$path"; fi; \
	done

db-start: build
	$(DWH) db start

db-stop:
	$(DWH) db stop

clean:
	rm -rf $(BUILD_DIR) $(TEST_HOME)

bench-export: release
	DWH=$(DWH_RELEASE) bench/export.sh

# Every row of songplays as a table, JSON and Markdown against psql's aligned output (bench/README.md).
bench-output: release
	DWH=$(DWH_RELEASE) bench/output.sh

# dwh transform: a new day against an empty warehouse, --full-refresh against the set-based
# floor (bench/README.md); `make bench-transform SCALE=10 FULL=0` for the day at 10x.
bench-transform: release
	BUILD_DIR=$(BUILD_DIR) bench/transform-bench.sh $(or $(SCALE),1) $(or $(FULL),1)

# dwh run: day 30 on top of 29 run days against the songs alone (goal <= 1.25), a 30-day
# backfill against one load, transform and check (goal <= 1.3) (bench/README.md); `SCALE=10`.
bench-run: release
	BUILD_DIR=$(BUILD_DIR) bench/run-bench.sh $(or $(SCALE),1)

# The incremental Redshift load on its PostgreSQL rendering and moto: one new object on a
# prefix of OBJECTS (default 1000) loaded ones against that object alone (goal <= 1.5).
bench-rsload: release
	BUILD_DIR=$(BUILD_DIR) bench/rsload-bench.sh $(or $(OBJECTS),1000)

# The per-listener answers at 1,000,000 generated events: playlists for every listener
# against one GROUP BY user_id, artist (goal <= 3x), recommend for one listener (goal <= 0.5 s).
bench-answers: release
	DWH=$(DWH_RELEASE) bench/answers-bench.sh $(or $(SCALE),1)

# Fuzzing (libFuzzer + AddressSanitizer): each parser for FUZZ_SECONDS (default 600), new
# inputs kept in $(FUZZ_DIR)/corpus, crashes in $(FUZZ_DIR)/crashes. The seeds are
# fuzz/corpus/TARGET and the project's own files of that kind, listed in fuzz/seeds. CI runs each for a few seconds. `make fuzz FUZZ_TARGETS=records`
# for one.
FUZZ_DIR     ?= .build-fuzz
FUZZ_SECONDS ?= 600
FUZZ_TARGETS ?= records config migration saved-query report scanner
FUZZ_FLAGS   := -Xswiftc -sanitize=fuzzer,address -Xswiftc -DDWH_FUZZING

fuzz-build: deps
	$(SWIFT) build --product dwh-fuzz --scratch-path $(FUZZ_DIR) $(FUZZ_FLAGS)

fuzz: fuzz-build
	@set -o pipefail; for target in $(FUZZ_TARGETS); do \
		mkdir -p $(FUZZ_DIR)/corpus/$$target $(FUZZ_DIR)/crashes; \
		seeds=$$(sed -n "s/^$$target: *//p" fuzz/seeds); \
		echo "fuzzing $$target for $(FUZZ_SECONDS) s"; \
		DWH_FUZZ_TARGET=$$target $(FUZZ_DIR)/debug/dwh-fuzz $(FUZZ_DIR)/corpus/$$target fuzz/corpus/$$target $$seeds \
			-max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 \
			-artifact_prefix=$(FUZZ_DIR)/crashes/$$target- 2>&1 | grep -E "^(stat::|#[0-9]+ +DONE|==|SUMMARY|Done)" || exit 1; \
		test -z "$$(ls $(FUZZ_DIR)/crashes | grep "^$$target-")" || { echo "$$target: crash in $(FUZZ_DIR)/crashes"; exit 1; }; \
	done

# The REPL's \h text, from PostgreSQL 15's documented synopses (committed; the build never needs the package).
sql-help:
	python3 docs/sql-help/extract-synopses.py Sources/DWHCore/Resources/REPL/sql-help.txt
