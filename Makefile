# kombo-attach — plain Makefile, pkg-config for every library.
# `make` builds, `make run` opens the UI (sandbox without a key), `make test` runs everything.

PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man/man1
DESTDIR ?=
CC      ?= cc
PKG_CONFIG ?= pkg-config
BUILD   ?= build
CFLAGS  ?= -O2 -g
SAN_FLAGS ?= -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
SAN_ENV   := KA_SANITIZED=1 ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
             UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

VERSION := $(shell cat VERSION 2>/dev/null || echo 0.0.0)
# pkg-config names: the program's libraries, and the ones only the tests link.
PKGS      := ncursesw libcurl libcjson libmagic libmicrohttpd inih libssl libcrypto sqlite3
TEST_PKGS := cmocka
# Debian packages `make deps` installs when missing (pkg-config names above, tools for tests).
DEBS    := gcc make pkg-config libncurses-dev libcurl4-openssl-dev libcjson-dev libmagic-dev \
           libmicrohttpd-dev libcmocka-dev libinih-dev libssl-dev libsqlite3-dev libcsv-dev tmux time coreutils curl \
           valgrind clang libclang-rt-14-dev openssl xxd
SHOT_DEBS := xvfb xterm imagemagick x11-utils fonts-dejavu-core iproute2 procps curl tmux

WARN    := -std=c17 -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes
DEFS    := -D_GNU_SOURCE -DKA_VERSION='"$(VERSION)"'
PKG_CFLAGS  = $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS    = $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)
TEST_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(TEST_PKGS) 2>/dev/null)
TEST_LIBS   = $(shell $(PKG_CONFIG) --libs $(TEST_PKGS) 2>/dev/null)
ALL_CFLAGS  = $(WARN) $(DEFS) $(INC) $(PKG_CFLAGS) $(CFLAGS) $(EXTRA_CFLAGS)
ALL_LDFLAGS = $(LDFLAGS) $(EXTRA_LDFLAGS)
# libcsv ships no pkg-config file on Debian: linked by name.
LIBS        = $(PKG_LIBS) -lcsv -lm

# Folders and what each may include (so src/ cannot reach ui/ or the front ends by accident):
#   src/       the backend: no curses, no front end         -Isrc
#   src/mock/  the mock Kombo server (`kombo-attach mock`)   -Isrc -Isrc/mock
#   src/cli/   main() and the command-line front end         -Isrc -Isrc/mock -Isrc/cli -Iui
#   ui/        the curses front end                          -Isrc -Iui
# Make takes the pattern with the shortest stem, so src/mock/ and src/cli/ beat src/.
$(BUILD)/src/%.o:      INC = -Isrc
$(BUILD)/src/mock/%.o: INC = -Isrc -Isrc/mock
$(BUILD)/src/cli/%.o:  INC = -Isrc -Isrc/mock -Isrc/cli -Iui
$(BUILD)/ui/%.o:       INC = -Isrc -Iui
TEST_INC := -Isrc -Isrc/mock -Isrc/cli -Iui -Itests

CORE_SRC := $(wildcard src/*.c)
MOCK_SRC := $(wildcard src/mock/*.c)
CLI_SRC  := $(filter-out src/cli/main.c,$(wildcard src/cli/*.c))
UI_SRC   := $(wildcard ui/*.c)
CORE_OBJ := $(CORE_SRC:%.c=$(BUILD)/%.o)
MOCK_OBJ := $(MOCK_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/%.o)
UI_OBJ   := $(UI_SRC:%.c=$(BUILD)/%.o)
MAIN_OBJ := $(BUILD)/src/cli/main.o
# Link order: front ends first, the backend last.
ARCHIVES := $(BUILD)/libkacli.a $(BUILD)/libkaui.a $(BUILD)/libkamock.a $(BUILD)/libka.a
TESTS   := $(patsubst tests/%.c,%,$(wildcard tests/test_*.c))
TEST_BINS := $(TESTS:%=$(BUILD)/tests/%)

.PHONY: all deps deps-screenshots run test unit e2e asan valgrind install uninstall clean \
        bench fuzz fuzz-build fuzz-smoke screenshots
all: kombo-attach

kombo-attach: $(BUILD)/kombo-attach
	cp $< $@.tmp && mv -f $@.tmp $@

$(BUILD)/kombo-attach: $(MAIN_OBJ) $(ARCHIVES)
	$(CC) $(ALL_CFLAGS) -o $@ $(MAIN_OBJ) $(ARCHIVES) $(ALL_LDFLAGS) $(LIBS)

$(BUILD)/libka.a: $(CORE_OBJ)
	rm -f $@ && ar rcs $@ $^
$(BUILD)/libkamock.a: $(MOCK_OBJ)
	rm -f $@ && ar rcs $@ $^
$(BUILD)/libkacli.a: $(CLI_OBJ)
	rm -f $@ && ar rcs $@ $^
$(BUILD)/libkaui.a: $(UI_OBJ)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

# Test programs see every folder's headers (they test modules from all of them) and track
# their own dependencies, so touching tests/helpers.h rebuilds what includes it.
$(BUILD)/tests/%: INC = $(TEST_INC)
$(BUILD)/tests/%: tests/%.c $(ARCHIVES)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(TEST_CFLAGS) -MMD -MP -MF $@.d -o $@ $< $(ARCHIVES) $(ALL_LDFLAGS) \
	  $(LIBS) $(TEST_LIBS)

-include $(CORE_OBJ:.o=.d) $(MOCK_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(UI_OBJ:.o=.d) $(MAIN_OBJ:.o=.d) \
         $(TEST_BINS:%=%.d)

# Install the Debian packages that are missing: apt-get when root, else print the command.
# Elsewhere (no dpkg) print what the build needs and go on: the compiler then says what is
# still missing.
deps:
	@if ! command -v dpkg-query >/dev/null 2>&1; then \
	  echo "deps: not a Debian system; install the development files of: $(PKGS) libcsv $(TEST_PKGS)"; \
	  echo "deps: and the test tools: tmux, GNU time, curl, valgrind, clang (libFuzzer), xxd"; \
	  exit 0; \
	fi; \
	missing=""; for p in $(DEBS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "deps: installing$$missing"; \
	    export DEBIAN_FRONTEND=noninteractive; \
	    apt-get install -y -qq $$missing >/dev/null 2>&1 || \
	      { apt-get update -qq && apt-get install -y -qq $$missing >/dev/null; } || \
	      { echo "deps: apt-get failed; run: apt-get update && apt-get install -y$$missing" >&2; exit 1; }; \
	  else \
	    echo "deps: missing packages; run: sudo apt-get install -y$$missing" >&2; exit 1; \
	  fi; \
	fi

deps-screenshots:
	@$(MAKE) --no-print-directory deps DEBS="$(SHOT_DEBS)"

run: deps
	@$(MAKE) --no-print-directory kombo-attach
	./kombo-attach --sandbox samples

# Unit tests (cmocka), then integration tests running the real binary against the mock,
# then the whole suite again under AddressSanitizer + UBSan in build-asan/.
test: deps
	@$(MAKE) --no-print-directory unit
	@$(MAKE) --no-print-directory e2e
	@$(MAKE) --no-print-directory valgrind
	@bash tests/check_docs.sh $(CURDIR)/kombo-attach
	@$(MAKE) --no-print-directory asan
	@$(MAKE) --no-print-directory fuzz-smoke

unit: kombo-attach $(TEST_BINS)
	@bash tests/run_tests.sh $(BUILD) $(CURDIR)/kombo-attach $(TESTS)

e2e: kombo-attach
	@bash tests/e2e/run.sh $(CURDIR)/kombo-attach

asan:
	@$(MAKE) --no-print-directory BUILD=build-asan CFLAGS="-O1 -g" \
	  EXTRA_CFLAGS="$(SAN_FLAGS)" EXTRA_LDFLAGS="$(SAN_FLAGS)" build-asan/kombo-attach \
	  $(TESTS:%=build-asan/tests/%)
	@$(SAN_ENV) bash tests/run_tests.sh build-asan $(CURDIR)/build-asan/kombo-attach $(TESTS)
	@$(SAN_ENV) bash tests/e2e/run.sh $(CURDIR)/build-asan/kombo-attach

# Drive the real UI in xterm under Xvfb and save PNGs of each screen into screenshots/.
screenshots: kombo-attach deps-screenshots
	bash scripts/screenshots.sh ./kombo-attach

# A command-line upload, a dry run and --help under valgrind memcheck: no errors, no leaks.
valgrind: kombo-attach
	@bash tests/valgrind.sh $(CURDIR)/kombo-attach

install: kombo-attach
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)
	install -m 755 kombo-attach $(DESTDIR)$(BINDIR)/kombo-attach
	install -m 644 kombo-attach.1 $(DESTDIR)$(MANDIR)/kombo-attach.1

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/kombo-attach $(DESTDIR)$(MANDIR)/kombo-attach.1

clean:
	rm -rf build build-asan build-fuzz kombo-attach

# ---- fuzzing: libFuzzer harnesses in fuzz/, built with clang in build-fuzz/ -------------
# `make fuzz` runs each harness FUZZ_SECONDS on a copy of fuzz/corpus/<harness>/ (the seeds
# and every crash ever found, replayed first); `make fuzz-smoke` is the 10-second version.
FUZZ_CC      ?= clang
FUZZ_BUILD   ?= build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_SAN     ?= -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
                -fno-omit-frame-pointer
FUZZ_CFLAGS  ?= -O1 -g
FUZZ_PKGS    := libcjson inih libmagic libssl libcrypto libcurl
FUZZ_ALL_CFLAGS = $(WARN) $(DEFS) -Isrc -Isrc/mock $(shell $(PKG_CONFIG) --cflags $(FUZZ_PKGS) 2>/dev/null) \
                  $(FUZZ_CFLAGS) $(FUZZ_SAN)
FUZZ_LIBS    = $(shell $(PKG_CONFIG) --libs $(FUZZ_PKGS) 2>/dev/null) -lcsv -lm
FUZZ_BINS    := $(FUZZ_BUILD)/fuzz_answer $(FUZZ_BUILD)/fuzz_settings $(FUZZ_BUILD)/fuzz_base64 \
                $(FUZZ_BUILD)/fuzz_body $(FUZZ_BUILD)/fuzz_history $(FUZZ_BUILD)/fuzz_mock_body \
                $(FUZZ_BUILD)/fuzz_inbox_name $(FUZZ_BUILD)/fuzz_candidates \
                $(FUZZ_BUILD)/fuzz_listing $(FUZZ_BUILD)/fuzz_restrict $(FUZZ_BUILD)/fuzz_integration \
                $(FUZZ_BUILD)/fuzz_query $(FUZZ_BUILD)/fuzz_manifest
# What each harness links: the module under test, what it calls, and the small one-job
# helpers every module may use (FUZZ_HELPERS).
FUZZ_HELPERS := src/utf8.c src/hex.c src/xalloc.c src/termsafe.c
FUZZ_SRC_fuzz_answer   := src/answer.c src/json_util.c $(FUZZ_HELPERS)
FUZZ_SRC_fuzz_settings := src/settings.c src/settings_file.c src/fsutil.c src/clock.c src/numparse.c src/format.c src/attachment.c src/mime.c src/secret.c \
                          $(FUZZ_HELPERS)
FUZZ_SRC_fuzz_base64   := src/base64.c src/xalloc.c
FUZZ_SRC_fuzz_body     := src/body.c src/sendopts.c src/json_strict.c src/base64.c src/format.c src/attachment.c \
                          src/mime.c $(FUZZ_HELPERS)
FUZZ_SRC_fuzz_history  := src/history.c src/fsutil.c $(FUZZ_HELPERS)
FUZZ_SRC_fuzz_mock_body  := src/mock/mock_json.c src/base64.c $(FUZZ_HELPERS)
FUZZ_SRC_fuzz_inbox_name := src/mock/inbox.c src/fsutil.c $(FUZZ_HELPERS)
FUZZ_SRC_fuzz_candidates  := src/candidate.c src/jfield.c src/json_util.c $(FUZZ_HELPERS)
FUZZ_SRC_fuzz_listing     := src/listing.c src/jfield.c src/json_util.c $(FUZZ_HELPERS)
FUZZ_SRC_fuzz_restrict    := src/restrict.c src/jfield.c src/json_util.c src/format.c $(FUZZ_HELPERS)
FUZZ_SRC_fuzz_integration := src/integration.c src/jfield.c src/json_util.c $(FUZZ_HELPERS)
FUZZ_SRC_fuzz_query       := src/query.c src/kombo.c $(FUZZ_HELPERS)
FUZZ_SRC_fuzz_manifest    := src/manifest.c src/attachment.c src/mime.c src/format.c $(FUZZ_HELPERS)

fuzz-build: $(FUZZ_BINS)

$(FUZZ_BUILD)/fuzz_answer: $(FUZZ_SRC_fuzz_answer)
$(FUZZ_BUILD)/fuzz_settings: $(FUZZ_SRC_fuzz_settings)
$(FUZZ_BUILD)/fuzz_base64: $(FUZZ_SRC_fuzz_base64)
$(FUZZ_BUILD)/fuzz_body: $(FUZZ_SRC_fuzz_body)
$(FUZZ_BUILD)/fuzz_history: $(FUZZ_SRC_fuzz_history)
$(FUZZ_BUILD)/fuzz_mock_body: $(FUZZ_SRC_fuzz_mock_body)
$(FUZZ_BUILD)/fuzz_inbox_name: $(FUZZ_SRC_fuzz_inbox_name)
$(FUZZ_BUILD)/fuzz_candidates: $(FUZZ_SRC_fuzz_candidates)
$(FUZZ_BUILD)/fuzz_listing: $(FUZZ_SRC_fuzz_listing)
$(FUZZ_BUILD)/fuzz_restrict: $(FUZZ_SRC_fuzz_restrict)
$(FUZZ_BUILD)/fuzz_integration: $(FUZZ_SRC_fuzz_integration)
$(FUZZ_BUILD)/fuzz_query: $(FUZZ_SRC_fuzz_query)
$(FUZZ_BUILD)/fuzz_manifest: $(FUZZ_SRC_fuzz_manifest)
$(FUZZ_BUILD)/fuzz_%: fuzz/fuzz_%.c $(wildcard src/*.h src/mock/*.h) $(wildcard fuzz/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_ALL_CFLAGS) -o $@ $< $(FUZZ_SRC_fuzz_$*) $(FUZZ_LIBS)

fuzz:
	@bash fuzz/run.sh $(FUZZ_SECONDS)

# A fixed seed: CI replays the same inputs each time instead of drawing new ones.
fuzz-smoke:
	@FUZZ_SEED=1 bash fuzz/run.sh 10

# ---- bench: `make bench` builds the tools in $(BUILD)/bench/ and runs bench/run.sh -------
# (about 2-3 minutes; needs /usr/bin/time and curl; ~1.6 GiB free in /tmp; see BENCHMARKS.md)
BENCH_BINS := $(BUILD)/bench/sink $(BUILD)/bench/bench_base64 $(BUILD)/bench/bench_filelist \
              $(BUILD)/bench/bench_startup $(BUILD)/bench/bench_index_search

bench: kombo-attach $(BENCH_BINS)
	@CC="$(CC)" bash bench/run.sh $(CURDIR)/kombo-attach $(CURDIR)/$(BUILD)/bench

$(BUILD)/bench/sink: bench/sink.c
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(DEFS) $(CFLAGS) -o $@ $<
# The tools link the archives the program is made of, so they measure the same code.
$(BUILD)/bench/bench_base64: bench/bench_base64.c $(BUILD)/libka.a
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(DEFS) -Isrc $(CFLAGS) -o $@ $^
$(BUILD)/bench/bench_filelist: bench/bench_filelist.c $(BUILD)/libkaui.a $(BUILD)/libka.a
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(DEFS) -Isrc -Iui $(CFLAGS) -o $@ $^
$(BUILD)/bench/bench_startup: bench/bench_startup.c $(BUILD)/libka.a
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(DEFS) -Isrc $(CFLAGS) -o $@ $^ -lutil
$(BUILD)/bench/bench_index_search: bench/bench_index_search.c $(BUILD)/libka.a
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(DEFS) -Isrc $(CFLAGS) -o $@ $^ $(LIBS)
