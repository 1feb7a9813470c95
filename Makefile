# ris: build, test and demo on a Debian machine with Swift.
PREFIX ?= /usr/local
SWIFT ?= swift
# libcurl: the MCP SDK's FoundationNetworking, linked statically by make release. The last two render the quarterly review to PDF and read it back (the print test, make review-screenshot).
DEBIAN_PACKAGES := libsqlite3-dev libcmark-gfm-dev libcmark-gfm-extensions-dev libcurl4-openssl-dev sqlite3 chromium-headless-shell poppler-utils
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
RIS := .build/debug/ris
PY_VENV := .build-py
PY_MCP := mcp==2.3.0

FUZZ_SECONDS ?= 600
FUZZ_FLAGS := -c release --package-path fuzz --scratch-path .build-fuzz \
	-Xswiftc -sanitize=fuzzer,address -Xswiftc -Xclang-linker -Xswiftc -fuse-ld=lld \
	-Xcc -fsanitize=fuzzer-no-link,address

.PHONY: deps build release check golden catalog format lint test demo bench reliability security fuzz install man clean review-screenshot stats-screenshot

## deps: install the Debian packages ris links against, when they are missing
deps:
	@missing=""; for p in $(DEBIAN_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi
	@# The official Python MCP SDK, the independent client of the `ris mcp` tests.
	@$(PY_VENV)/bin/python -c "import mcp" 2>/dev/null || { \
	  python3 -m venv $(PY_VENV) 2>/dev/null || { $(SUDO) apt-get update -qq && \
	    $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv && python3 -m venv $(PY_VENV); }; \
	  $(PY_VENV)/bin/pip install --quiet --disable-pip-version-check $(PY_MCP); }

## build: debug build of the ris binary and of ris-mcp (the server `ris mcp` runs)
build: deps
	$(SWIFT) build --product ris
	$(SWIFT) build --product ris-mcp

## release: optimised, with the Swift runtime linked in (a third of the start-up time of every command)
# Every module, the dependencies' too, reaches generic type metadata (Set<T>, Dictionary<K, V>,
# Option<T>...) through its accessor function, which is handed the conformances it needs, rather
# than by demangling the type's name at run time, which looks each conformance up by scanning
# all ~7,400 of the binary's records: a fifth of the instructions of a rare-word search
# (docs/performance.md). The two products share one set of flags, or the second build would
# rebuild every module.
# The C++ runtime (the Swift runtime's and ICU's) is linked in too, from libstdc++.a:
# loading libstdc++.so (its relocations, symbol lookups and iostream start-up) was 0.6-1 ms of
# every command (docs/performance.md). The driver's own `-lstdc++` cannot be made static by a
# flag placed after it, so it is found first in STATIC_CXX_DIR (a `-L` of the driver's, which
# comes before the compiler's own folders), where `libstdc++.so` is a linker script naming the
# archive, as GCC's own libgcc_s.so is one. The archive is the one the clang beside $(SWIFT)
# finds (else the clang on the PATH); without one, the shared library is linked, and said so.
# Recursive variables: worked out only by the targets that build the release.
SWIFT_CLANG = $(firstword $(wildcard $(dir $(realpath $(shell command -v $(SWIFT) 2>/dev/null)))clang) clang)
STATIC_CXX_ARCHIVE = $(filter /%,$(shell $(SWIFT_CLANG) -print-file-name=libstdc++.a 2>/dev/null))
STATIC_CXX_DIR := $(CURDIR)/.build/static-libstdc++
RELEASE_FLAGS = -c release --static-swift-stdlib \
	-Xswiftc -Xfrontend -Xswiftc -disable-concrete-type-metadata-mangled-name-accessors \
	$(if $(STATIC_CXX_ARCHIVE),-Xswiftc -L$(STATIC_CXX_DIR))
release: deps
	@mkdir -p "$(STATIC_CXX_DIR)"
	@$(if $(STATIC_CXX_ARCHIVE),echo 'INPUT($(STATIC_CXX_ARCHIVE))' > "$(STATIC_CXX_DIR)/libstdc++.so",\
	  echo "make release: no libstdc++.a found: linking libstdc++.so" >&2)
	$(SWIFT) build $(RELEASE_FLAGS) --product ris
	$(SWIFT) build $(RELEASE_FLAGS) --product ris-mcp
	@# Said, not assumed: should the linker stop finding the script first, the build says so.
	@$(if $(STATIC_CXX_ARCHIVE),for product in ris ris-mcp; do \
	  needed=$$(readelf -d .build/release/$$product) || exit 1; \
	  if echo "$$needed" | grep -q 'libstdc++'; then \
	    echo "make release: .build/release/$$product still loads libstdc++.so" >&2; exit 1; fi; done)

## check: the fast inner loop: build, then the unit, binary and golden tests (and the format lint)
check: deps
	$(SWIFT) format lint --strict --recursive --parallel Sources Tests Package.swift
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --disable-swift-testing --parallel

## golden: rewrite Tests/risTests/Golden from the binary's output; review the diff, then commit it
golden: deps
	$(SWIFT) build --build-tests
	RIS_UPDATE_GOLDEN=1 $(SWIFT) test --skip-build --disable-swift-testing --filter GoldenTests

## catalog: regenerate Sources/RISKit/ControlCatalogData.swift from the control catalog (CATALOG=path/to/controls.json)
CATALOG ?= ../shared/catalog/controls.json
catalog:
	python3 tools/gen_catalog.py $(CATALOG) Sources/RISKit/ControlCatalogData.swift

## format: apply swift-format (.swift-format: 4 spaces, 120 columns) to the sources and tests
format:
	$(SWIFT) format --in-place --recursive --parallel Sources Tests Package.swift

## lint: what swift-format would change or warn about (exit 1 when anything)
lint:
	$(SWIFT) format lint --strict --recursive --parallel Sources Tests Package.swift

## test: every test (make check), the reliability harness with small counts, then the binary tests on the release build
# The binary tests run twice: on the debug build, and on the release build with RELEASE_FLAGS,
# the binary users install.
test: check
	python3 reliability/run.py --quick --ris $(RIS)
	$(MAKE) release
	RIS_TEST_BINARY=$(CURDIR)/.build/release/ris $(SWIFT) test --skip-build --disable-swift-testing --parallel \
	  --filter risTests

## reliability: the full harness (kills, soak, faults, hostile files, security); writes docs/reliability.md
reliability: release
	python3 reliability/run.py --ris .build/release/ris --write docs/reliability.md

## security: the security suite (reliability/security_*.py) on the release build; updates its rows of docs/reliability.md
security: release
	python3 reliability/run.py --ris .build/release/ris --only $$(cd reliability && ls security_*.py 2>/dev/null | sed 's/\.py$$//' | paste -sd, -) --write docs/reliability.md

## fuzz: build the libFuzzer targets and run each for FUZZ_SECONDS; totals go to fuzz/results.json
fuzz: deps
	$(SWIFT) build $(FUZZ_FLAGS)
	python3 fuzz/run.py $(FUZZ_SECONDS)

## review-screenshot: the sample's quarterly review in a headless browser, to docs/images/review-2026-Q1.png
SHOT := .build/review-shot
review-screenshot: build
	rm -rf $(SHOT) && mkdir -p $(SHOT) && cp -R examples/kb/. $(SHOT)/
	rm -f $(SHOT)/.ris/index.sqlite* $(SHOT)/.ris/audit.* $(SHOT)/.ris/*.lock
	cd $(SHOT) && SOURCE_DATE_EPOCH=1775124000 RIS_ACTOR=compliance@example.com \
	  ../../$(RIS) review export --quarter 2026-Q1 --format html --output review.html
	mkdir -p docs/images
	chromium-headless-shell --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1400,2400 \
	  --user-data-dir=$(CURDIR)/$(SHOT)/.browser --screenshot=$(CURDIR)/docs/images/review-2026-Q1.png \
	  file://$(CURDIR)/$(SHOT)/review.html

## stats-screenshot: ris stats --format html of a generated knowledge base (tools/stats_demo_kb.py), to docs/images/stats.png
STATS_SHOT := .build/stats-shot
stats-screenshot: build
	rm -rf $(STATS_SHOT) && python3 tools/stats_demo_kb.py $(STATS_SHOT)
	cd $(STATS_SHOT) && ../../$(RIS) stats --today 2026-04-02 --format html > stats.html
	mkdir -p docs/images
	chromium-headless-shell --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1200,2200 \
	  --user-data-dir=$(CURDIR)/$(STATS_SHOT)/.browser --screenshot=$(CURDIR)/docs/images/stats.png \
	  file://$(CURDIR)/$(STATS_SHOT)/stats.html

## demo: read the sample knowledge base
demo: build
	cd examples/kb && ../../$(RIS) index && ../../$(RIS) search manifest && ../../$(RIS) match logs/ecr-push.log

## bench: measure indexing and search on 10k and 100k records; writes docs/performance.md
bench: release
	@command -v rg >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ripgrep; }
	@python3 -c "import frontmatter" 2>/dev/null || pip install --quiet python-frontmatter
	python3 bench/run.py

## man: the manual page (one page, every subcommand) from the commands' own help, to .build/man/ris.1
# From the debug build: a release build here would be the plugin's own, without RELEASE_FLAGS,
# and would replace the binary that make install copies.
man: build
	$(SWIFT) package --disable-sandbox plugin generate-manual --configuration debug \
	  --date "$$(git log -1 --format=%cs 2>/dev/null || date +%F)" --section 1
	mkdir -p .build/man && cp .build/plugins/GenerateManual/outputs/ris/ris.1 .build/man/ris.1
	@echo "man page: .build/man/ris.1 (man -l .build/man/ris.1)"

## install: the release binary and the man page under PREFIX (default /usr/local; sudo may be needed)
install: release man
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 0755 .build/release/ris .build/release/ris-mcp $(DESTDIR)$(PREFIX)/bin/
	install -m 0644 .build/man/ris.1 $(DESTDIR)$(PREFIX)/share/man/man1/ris.1

clean:
	rm -rf .build
