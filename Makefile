# dwh: the two commands a newcomer needs are `make demo` and `make test`.
SWIFT      ?= swift
BUILD_DIR  ?= .build
DWH        := $(BUILD_DIR)/debug/dwh
DWH_RELEASE := $(BUILD_DIR)/release/dwh
SHARED_DATA ?= $(abspath ../shared/data/sparkify)
DEMO_DATA  ?= demo-data
TEST_HOME  := $(CURDIR)/.dwh-test

.PHONY: deps build release demo test bench clean db-start db-stop

deps:
	@.ci/install-deps

build: deps
	$(SWIFT) build --scratch-path $(BUILD_DIR)

release: deps
	$(SWIFT) build -c release --scratch-path $(BUILD_DIR)

# From nothing to analysed data: build, start the local database, build the schema.
demo: build
	$(DWH) db start
	$(DWH) migrate
	$(DWH) migrate status

# Every test, against a PostgreSQL the test set-up starts in .dwh-test.
test: build
	DWH_HOME=$(TEST_HOME) $(DWH) db start >/dev/null
	DWH_HOME=$(TEST_HOME) DWH_SHARED_DATA=$(SHARED_DATA) $(SWIFT) test --scratch-path $(BUILD_DIR); \
	status=$$?; DWH_HOME=$(TEST_HOME) $(DWH) db stop >/dev/null; exit $$status

db-start: build
	$(DWH) db start

db-stop:
	$(DWH) db stop

clean:
	rm -rf $(BUILD_DIR) $(TEST_HOME)
