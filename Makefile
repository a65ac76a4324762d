# flatcost: see README.md.  `make demo` and `make check` set up a fresh
# machine (scripts/deps.sh installs what is missing), build and run.

PREFIX  ?= /usr/local
DESTDIR ?=
BINDIR   = $(PREFIX)/bin
DATADIR  = $(PREFIX)/share/flatcost
MANDIR   = $(PREFIX)/share/man
BASHCOMPDIR = $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR  = $(PREFIX)/share/zsh/site-functions

CC      ?= cc
PKGS     = yaml-0.1 gsl libcurl jansson zlib
DEPS_OK  = build/.deps-ok
WARN     = -Wall -Wextra -Werror -Wmissing-prototypes -Wstrict-prototypes \
           -Wvla -Wwrite-strings -Wformat-security -Wshadow
OPT     ?= -O2 -g
CFLAGS  ?=
# The library sees only its own headers (-Imodel): model/ cannot include
# cmd/.  The front end, tests, benchmarks and fuzzers see both.
LIB_CFLAGS = -std=c11 -D_DEFAULT_SOURCE -D_GNU_SOURCE $(OPT) $(WARN) $(CFLAGS) \
           -Imodel $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
ALL_CFLAGS = $(LIB_CFLAGS) -Icmd -DFC_DATADIR='"$(DATADIR)/data"'
# libcurl is compiled against but not linked: cmd/curl_dl.c opens it at
# the first network call (data import/update, bench), so the commands that
# never fetch do not load its 28 shared libraries.
LINK_PKGS = $(filter-out libcurl,$(PKGS))
LIBS     = $(shell pkg-config --libs $(LINK_PKGS) 2>/dev/null) -lcsv -lpthread -ldl -lm
LDFLAGS ?=

B        = build
BIN     ?= flatcost
MODEL_SRC = $(sort $(wildcard model/*.c))
CMD_SRC   = $(sort $(wildcard cmd/*.c))
MODEL_OBJ = $(MODEL_SRC:%.c=$(B)/%.o)
CMD_OBJ   = $(CMD_SRC:%.c=$(B)/%.o)
UNIT_SRC  = $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN  = $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)
PERF_SRC = $(sort $(wildcard perf/bench_*.c))
PERF_BIN = $(PERF_SRC:perf/%.c=$(B)/perf/%)
LIB       = $(B)/libflatcost.a

.PHONY: all deps check check-asan check-valgrind check-oom check-all unit cli perf bench install \
        clean demo lint fuzz fuzz-build fuzz-bins fuzz-regress coverage asan-bin

all: $(DEPS_OK) $(BIN)

$(DEPS_OK): scripts/deps.sh
	@sh scripts/deps.sh
	@mkdir -p $(dir $@) && touch $@

deps:
	@sh scripts/deps.sh

$(B)/%.o: %.c $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(B)/model/%.o: model/%.c $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) $(LIB_CFLAGS) -MMD -MP -c $< -o $@

$(LIB): $(MODEL_OBJ)
	@rm -f $@
	ar rcs $@ $^

flatcost $(B)/flatcost: $(CMD_OBJ) $(LIB)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(CMD_OBJ) $(LIB) $(LIBS)

# testutil.h: the catalog set-up some unit tests share (static functions);
# hand.h: the hand-checked scenario of test_cost and test_breakeven
$(B)/tests/%: tests/unit/%.c tests/unit/testutil.h tests/unit/hand.h $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes $(LDFLAGS) -o $@ $< $(LIB) $(LIBS) -lcmocka

$(B)/perf/%: perf/%.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes $(LDFLAGS) -o $@ $< $(LIB) $(LIBS)

# tests/run.sh runs every suite and prints the closing
# `N passed, N failed` line summed over all of them.
# the CLI suites two at a time (those that time a live server or signals
# still alone: tests/run.sh's CLI_ALONE); CLI_JOBS=1 runs them one by one
check: all $(UNIT_BIN)
	@FLATCOST=$(CURDIR)/$(BIN) CLI_JOBS=$${CLI_JOBS:-2} sh tests/run.sh $(B) $(UNIT_BIN)

unit: all $(UNIT_BIN)
	@FLATCOST=$(CURDIR)/$(BIN) sh tests/run.sh --unit-only $(B) $(UNIT_BIN)

cli: all
	@FLATCOST=$(CURDIR)/$(BIN) sh tests/run.sh --cli-only $(B)

# The same suites, built with AddressSanitizer and UBSan into build-asan/.
ASAN_VARS = B=build-asan BIN=build-asan/flatcost \
	    OPT='-O1 -g -fsanitize=address,undefined,float-cast-overflow -fno-omit-frame-pointer -fno-sanitize-recover=all' \
	    LDFLAGS='-fsanitize=address,undefined'
check-asan:
	$(MAKE) $(ASAN_VARS) check

asan-bin:
	$(MAKE) $(ASAN_VARS) all

# Allocation-failure injection on the ASan build, denser than the sample
# tests/cli/hardening.bats takes (scripts/oom.sh): by default every n of
# the last OOM_TAIL allocations and about 100 before them, for each of
# nine commands (tests/oom.sh); OOM_STEP=1 takes every n (about 8 minutes
# on 2 cores).
OOM_STEP ?= 0
OOM_TAIL ?= 400
OOM_JOBS ?= 2
check-oom: asan-bin
	@sh tests/oom.sh -s $(OOM_STEP) -t $(OOM_TAIL) -j $(OOM_JOBS) build-asan/flatcost

# The CLI tests under valgrind (memcheck, full leak check, any error is
# exit 97), a subset that keeps CI short (about 3 minutes on 2 cores): the
# error messages, the routes, and misc.bats, whose small runs put every
# other command under memcheck.  Left out: bench.bats (timing-bound, with a
# live engine), hardening.bats (signal timing and allocation-failure
# loops), man.bats and completion.bats (no code of ours), the suites whose
# Monte Carlo runs of thousands of trials take minutes each under valgrind
# (simulate, sweep, grid, payback, sensitivity, compare, calibrate, data:
# 9 minutes for simulate.bats alone), check, diff and defects (6.5 minutes
# with the three above: the whole pass must keep CI well under 30), and
# any newer suite until it is named here (a list of what runs, not of what
# is left out, so that a new suite cannot make CI slower unseen).
# check-asan runs every suite with AddressSanitizer, LeakSanitizer and
# UBSan.  VALGRIND_SUITES='tests/cli/*.bats' runs everything.
# Two suites at a time: a process under valgrind runs its threads one at a
# time, so one suite keeps one core busy.
VALGRIND_JOBS ?= 2
VALGRIND_SUITES ?= tests/cli/errors.bats tests/cli/misc.bats tests/cli/route.bats
check-valgrind: all
	@FLATCOST=$(CURDIR)/scripts/valgrind-flatcost FLATCOST_REAL=$(CURDIR)/$(BIN) \
	    VALGRIND="$$(command -v valgrind)" CLI_SUITES='$(strip $(VALGRIND_SUITES))' \
	    CLI_JOBS=$(VALGRIND_JOBS) sh tests/run.sh --cli-only $(B)

# Line and branch coverage of model/ and cmd/ by the suites (build-cov/).
coverage:
	@sh scripts/coverage.sh

# What CI runs after `make check` (.ci/run): sanitizers, valgrind, short
# fuzz runs, coverage.
check-all: check
	$(MAKE) check-asan
	$(MAKE) check-oom
	$(MAKE) check-valgrind
	$(MAKE) fuzz
	$(MAKE) coverage

# Fuzzing (tests/fuzz/, libFuzzer): every parser that takes outside input,
# built with clang, ASan and UBSan into build-fuzz/.  `make fuzz` replays
# the regression inputs, then runs each target FUZZ_SECONDS seconds,
# FUZZ_JOBS targets at a time (scripts/fuzz.sh).
FUZZ_SECONDS ?= 30
FUZZ_JOBS    ?= 2
FUZZ_SRC  = $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BIN  = $(FUZZ_SRC:tests/fuzz/%.c=$(B)/fuzz/%)
FUZZ_OPT  = -O1 -g -fsanitize=fuzzer-no-link,address,undefined \
            -fno-sanitize-recover=all -fno-omit-frame-pointer
CLI_LIB   = $(B)/libcli.a

fuzz-build:
	$(MAKE) CC=clang B=build-fuzz BIN=build-fuzz/flatcost OPT='$(FUZZ_OPT)' \
	    LDFLAGS='-fsanitize=address,undefined' fuzz-bins

fuzz-bins: $(DEPS_OK) $(FUZZ_BIN)

fuzz: fuzz-build
	@sh scripts/fuzz.sh -t $(FUZZ_SECONDS) -j $(FUZZ_JOBS) build-fuzz

fuzz-regress: fuzz-build
	@sh scripts/fuzz.sh -t 0 build-fuzz

# The front end without main(), for fuzz targets of argument parsers.
$(B)/cmd/flatcost-nomain.o: cmd/flatcost.c $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes -Dmain=flatcost_main -c $< -o $@

$(CLI_LIB): $(filter-out $(B)/cmd/flatcost.o,$(CMD_OBJ)) $(B)/cmd/flatcost-nomain.o
	@rm -f $@
	ar rcs $@ $^

$(B)/fuzz/%: tests/fuzz/%.c tests/fuzz/fuzz.h $(CLI_LIB) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests/fuzz -fsanitize=fuzzer $(LDFLAGS) -o $@ $< \
	    $(CLI_LIB) $(LIB) $(LIBS)

# flatcost's own speed (not `flatcost bench`, which measures a server).
# Figures, never pass/fail: the C benchmarks (perf/bench_*.c), then the
# harness against a real engine on loopback (perf/bench_engine.sh), then
# merge's memory over 2,000 parts (perf/bench_merge.sh).
# `make bench` is the same (the name the README and the notes use).
bench perf: all $(PERF_BIN)
	@for b in $(PERF_BIN); do echo "== $$b"; ./$$b || exit 1; done
	@echo "== perf/bench_engine.sh"; sh perf/bench_engine.sh $(BIN)
	@echo "== perf/bench_merge.sh"; sh perf/bench_merge.sh $(BIN)

demo: all
	./flatcost simulate scenarios/content-optimizer.yaml --deterministic
	./flatcost simulate scenarios/content-optimizer.yaml

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/data/hardware \
	    $(DESTDIR)$(DATADIR)/data/tokenizers $(DESTDIR)$(DATADIR)/data/schema \
	    $(DESTDIR)$(DATADIR)/scenarios $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/flatcost
	install -m 644 data/*.yaml $(DESTDIR)$(DATADIR)/data/
	install -m 644 data/hardware/*.yaml $(DESTDIR)$(DATADIR)/data/hardware/
	install -m 644 data/tokenizers/*.gz data/tokenizers/*.md $(DESTDIR)$(DATADIR)/data/tokenizers/
	install -m 644 docs/schema/*.schema.json $(DESTDIR)$(DATADIR)/data/schema/
	install -m 644 scenarios/*.yaml $(DESTDIR)$(DATADIR)/scenarios/
	install -m 644 man/*.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 644 man/*.5 $(DESTDIR)$(MANDIR)/man5/
	install -d $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR)
	install -m 644 completions/flatcost.bash $(DESTDIR)$(BASHCOMPDIR)/flatcost
	install -m 644 completions/_flatcost $(DESTDIR)$(ZSHCOMPDIR)/_flatcost

lint:
	mandoc -Tlint -Wwarning man/*.1 man/*.5

clean:
	rm -rf build build-asan build-fuzz build-cov flatcost

-include $(MODEL_OBJ:.o=.d) $(CMD_OBJ:.o=.d)
