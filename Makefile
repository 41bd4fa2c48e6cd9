# dauys: build, run, check, bench, fuzz, install, deb, image.
#
# Sources are discovered by folder: every .c in accessibility/, ballot/ and
# services/ becomes part of that library, every .c in kiosk/ except main.c
# part of the kiosk library, and every tests/unit/<lib>/test_<module>.c one
# cmocka binary (linked with the other .c files of its folder: shared test
# code). The libraries depend one way:
#   kiosk -> {ballot, services, central} -> accessibility
# (central -> services: the central side reads the services' ids)
# `make SANITIZE=address,undefined` builds into its own folder so that the
# sanitizer build and the normal build never mix objects.

PREFIX   ?= /usr/local
BINDIR   ?= $(PREFIX)/bin
DATADIR  ?= $(PREFIX)/share/dauys
LOCALEDIR ?= $(PREFIX)/share/locale
MANDIR   ?= $(PREFIX)/share/man
LIBEXECDIR ?= $(PREFIX)/libexec/dauys
DESTDIR  ?=
VERSION  := 0.1.0

CC       ?= cc
PKGS     := ncursesw libsodium jansson inih cairo libqrencode sqlite3 \
            espeak-ng libinput libudev alsa zlib liblouis libpq
# BrlAPI (libbrlapi-dev) ships no pkg-config file in Debian: linked by name.
BRLAPI_LIBS := $(shell pkg-config --libs brlapi 2>/dev/null || echo -lbrlapi)
WARN     := -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
            -Wmissing-prototypes -Wformat=2 -Wwrite-strings -Werror
CFLAGS   ?= -O2 -g
ifeq ($(SANITIZE),)
BUILD    ?= build
else
BUILD    ?= build-san
CFLAGS   += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS  += -fsanitize=$(SANITIZE)
endif

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
ALL_CFLAGS = $(WARN) $(CFLAGS) $(PKG_CFLAGS) -I. -D_GNU_SOURCE \
             -DDAUYS_VERSION='"$(VERSION)"' \
             -DDAUYS_DATADIR='"$(DATADIR)"' -DDAUYS_LOCALEDIR='"$(LOCALEDIR)"'
LIBS     := $(PKG_LIBS) $(BRLAPI_LIBS) -lpthread -lm

# The folders of C sources that `make tidy` and `make format` cover.
LIB_DIRS  := accessibility ballot kiosk services central
ACC_SRC   := $(wildcard accessibility/*.c)
BALLOT_SRC := $(wildcard ballot/*.c)
SERVICES_SRC := $(wildcard services/*.c)
CENTRAL_SRC := $(wildcard central/*.c)
KIOSK_SRC := $(filter-out kiosk/main.c,$(wildcard kiosk/*.c))
ALL_SRC   := $(ACC_SRC) $(BALLOT_SRC) $(SERVICES_SRC) $(CENTRAL_SRC) \
             $(KIOSK_SRC) kiosk/main.c
ACC_OBJ   := $(ACC_SRC:%.c=$(BUILD)/%.o)
BALLOT_OBJ := $(BALLOT_SRC:%.c=$(BUILD)/%.o)
SERVICES_OBJ := $(SERVICES_SRC:%.c=$(BUILD)/%.o)
CENTRAL_OBJ := $(CENTRAL_SRC:%.c=$(BUILD)/%.o)
KIOSK_OBJ := $(KIOSK_SRC:%.c=$(BUILD)/%.o)
# Each library with the ones below it, in link order. Unit tests live by
# library: tests/unit/<lib>/test_<module>.c links LIBS_<lib> only, so a
# services test never sees the kiosk.
# Every other .c in tests/unit/<lib>/ (the kiosk's headless driver, the
# storage tests' fault wrappers) is
# shared: compiled once and linked into each of that library's tests;
# tests/unit/unit.c (main and scratch folders) is linked into every test.
UNIT_SRC  := $(wildcard tests/unit/*/test_*.c)
UNIT_BIN  := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
unit_lib   = $(firstword $(subst /, ,$(1)))
unit_shared = $(patsubst %.c,$(BUILD)/%.o,tests/unit/unit.c $(filter-out \
              tests/unit/$(1)/test_%,$(wildcard tests/unit/$(1)/*.c)))
# Tests that look at every block the code frees, to prove that a secret is
# wiped first (tests/unit/free_hook.h): linked with the hook and
# -Wl,--wrap=free.
UNIT_FREE_HOOK := accessibility/test_speech ballot/test_flow kiosk/test_vote
FREE_HOOK  := $(BUILD)/tests/unit/free_hook.o
WRAP_FREE  := -Wl,--wrap=free
unit_hook  = $(if $(filter $(1),$(UNIT_FREE_HOOK)),$(FREE_HOOK))
unit_wrap  = $(if $(filter $(1),$(UNIT_FREE_HOOK)),$(WRAP_FREE)) \
             $(TEST_LDFLAGS_$(1))
# (Kept after a build: make would delete them as intermediate files.)
.SECONDARY: $(patsubst %.c,$(BUILD)/%.o,$(filter-out %/test_%.c,\
            $(wildcard tests/unit/*.c tests/unit/*/*.c)))
LIBS_accessibility := $(BUILD)/libaccessibility.a
LIBS_ballot := $(BUILD)/libballot.a $(LIBS_accessibility)
LIBS_services := $(BUILD)/libservices.a $(LIBS_accessibility)
LIBS_central := $(BUILD)/libcentral.a $(LIBS_services)
LIBS_kiosk := $(BUILD)/libkiosk.a $(BUILD)/libballot.a \
              $(BUILD)/libcentral.a $(BUILD)/libservices.a \
              $(LIBS_accessibility)
LIBA      := $(LIBS_kiosk)
# Extra link flags of one test, TEST_LDFLAGS_<lib>/test_<module>: tests that
# inject faults wrap the library calls of the code under test (the wrappers:
# tests/unit/accessibility/fault.c, harmless in a test that wraps nothing).
TEST_LDFLAGS_accessibility/test_atomicfile := $(foreach f,mkostemp fchmod \
    fdopen write fwrite fflush fsync fclose close open rename renameat2,\
    -Wl,--wrap=$(f))
TEST_LDFLAGS_accessibility/test_audit := $(foreach f,open flock pread write \
    fsync close,-Wl,--wrap=$(f))
LANGS     := kk ru en
MO        := $(LANGS:%=$(BUILD)/locale/%/LC_MESSAGES/dauys.mo)
DEV_ENV   := DAUYS_DATADIR=$(CURDIR)/data DAUYS_LOCALEDIR=$(CURDIR)/$(BUILD)/locale

.PHONY: all deps run check unit e2e central-check po-check po-update fuzz bench install clean \
        valgrind tidy format format-check deb image image-test
# The staff guides (data/guide/staff-guide.*.md) rendered as PDF by the
# program's own renderer (kiosk/report.c), installed beside their text.
# (In a sanitized build fontconfig's cache, kept for the process's life,
# is not a leak of ours.)
GUIDE_LANGS := kk ru
GUIDE_PDF := $(GUIDE_LANGS:%=$(BUILD)/guide/staff-guide.%.pdf)
all: $(BUILD)/dauys $(BUILD)/dauys-sync $(BUILD)/dauys-vtlock $(MO) \
     $(GUIDE_PDF)

deps:
	@sh scripts/deps.sh

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

# The installed paths are compiled into options.o; rebuild it when PREFIX
# or the paths change, so `make install PREFIX=/usr` never installs a
# binary that looks for its data under /usr/local.
PATHS := $(DATADIR):$(LOCALEDIR):$(VERSION)
$(BUILD)/paths.stamp: FORCE
	@mkdir -p $(dir $@)
	@[ "$$(cat $@ 2>/dev/null)" = "$(PATHS)" ] || echo "$(PATHS)" >$@
$(KIOSK_OBJ) $(BUILD)/kiosk/main.o: $(BUILD)/paths.stamp
FORCE:

$(BUILD)/libaccessibility.a: $(ACC_OBJ)
	@rm -f $@; $(AR) rcs $@ $^
$(BUILD)/libballot.a: $(BALLOT_OBJ)
	@rm -f $@; $(AR) rcs $@ $^
$(BUILD)/libservices.a: $(SERVICES_OBJ)
	@rm -f $@; $(AR) rcs $@ $^
$(BUILD)/libcentral.a: $(CENTRAL_OBJ)
	@rm -f $@; $(AR) rcs $@ $^
$(BUILD)/libkiosk.a: $(KIOSK_OBJ)
	@rm -f $@; $(AR) rcs $@ $^

$(BUILD)/dauys: $(BUILD)/kiosk/main.o $(LIBA)
	@echo "  LD      $@"
	@$(CC) $(LDFLAGS) -o $@ $< $(LIBA) $(LIBS)

# dauys-sync is the same binary under its own name (`dauys sync`).
$(BUILD)/dauys-sync: $(BUILD)/dauys
	@ln -sf dauys $@

# The appliance's VT-switch lock (images/dauys-vtlock.c), run as root by
# dauys.service around the kiosk.
$(BUILD)/dauys-vtlock: images/dauys-vtlock.c
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(CC) $(WARN) $(CFLAGS) -D_GNU_SOURCE $(LDFLAGS) -o $@ $<

$(BUILD)/guide/staff-guide.%.pdf: data/guide/staff-guide.%.md $(BUILD)/dauys
	@mkdir -p $(dir $@)
	@echo "  GUIDE   $@"
	@$(DEV_ENV) ASAN_OPTIONS=detect_leaks=0 ./$(BUILD)/dauys report guide $< \
	    --out $@ >/dev/null

.SECONDEXPANSION:
$(BUILD)/tests/%: tests/unit/%.c $$(call unit_shared,$$(call unit_lib,$$*)) \
                  $$(call unit_hook,$$*) $$(LIBS_$$(call unit_lib,$$*))
	@mkdir -p $(dir $@)
	@echo "  TEST    $@"
	@$(CC) $(ALL_CFLAGS) $(LDFLAGS) $(call unit_wrap,$*) -o $@ $< \
	    $(call unit_shared,$(call unit_lib,$*)) $(call unit_hook,$*) \
	    $(LIBS_$(call unit_lib,$*)) \
	    $(LIBS) $(shell pkg-config --libs cmocka)

$(BUILD)/locale/%/LC_MESSAGES/dauys.mo: po/%.po
	@mkdir -p $(dir $@)
	msgfmt --check -o $@ $<

$(BUILD)/dauys.pot: $(ALL_SRC)
	@mkdir -p $(dir $@)
	@xgettext --from-code=UTF-8 --language=C --keyword=T:2 --keyword=TL:3 --keyword=app_text:2 \
	    --keyword=i18n_text:3 --keyword=i18n_ntext:3,4 --keyword=app_text_in:3 --keyword=N_ \
	    --no-location --no-wrap --sort-output --package-name=dauys \
	    -o $@ $^

# Run the demo kiosk from the source tree.
run: deps all
	$(DEV_ENV) ./$(BUILD)/dauys run --demo $(ARGS)

# Every test: unit tests twice (plain and sanitized), translations, the
# end-to-end scenarios, the central scenarios against a throwaway
# PostgreSQL and a short fuzzing run; the last line counts them.
check: deps
	@rm -f build/results; mkdir -p build
	@st=0; \
	$(MAKE) all || { echo "FAIL build" >>build/results; st=1; }; \
	$(MAKE) unit || st=1; \
	$(MAKE) SANITIZE=address,undefined unit RESULTS=$(CURDIR)/build/results \
	    || st=1; \
	$(MAKE) po-check || st=1; \
	$(MAKE) e2e || st=1; \
	$(MAKE) central-check || st=1; \
	$(MAKE) fuzz-short || st=1; \
	sh tests/summary.sh build/results && [ $$st -eq 0 ]

RESULTS ?= $(CURDIR)/build/results
unit: $(UNIT_BIN)
	@sh tests/run-unit.sh $(RESULTS) $(UNIT_BIN)

po-check: $(MO) $(BUILD)/dauys.pot
	@sh tests/po-check.sh $(RESULTS) $(BUILD)/dauys.pot

# Merges new messages from the sources into the catalogues.
po-update: $(BUILD)/dauys.pot
	@for l in $(LANGS); do \
	    msgmerge -q -U --no-wrap --no-location --no-fuzzy-matching --backup=none po/$$l.po $< && \
	    sed -i '/^"POT-Creation-Date:/d; /^"Report-Msgid-Bugs-To:/d' po/$$l.po; \
	done

e2e: all
	@$(DEV_ENV) sh tests/e2e/run.sh $(RESULTS) $(CURDIR)/$(BUILD)/dauys

FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)
fuzz-build:
	@$(MAKE) -s -f tests/fuzz/fuzz.mk FUZZ_SRC="$(FUZZ_SRC)"
fuzz-short: fuzz-build
	@sh tests/fuzz/run.sh $(RESULTS) 20
fuzz: fuzz-build
	@sh tests/fuzz/run.sh $(RESULTS) 600

bench: deps all
	@$(DEV_ENV) sh tests/bench/run.sh $(CURDIR)/$(BUILD)

valgrind: $(UNIT_BIN)
	@for t in $(UNIT_BIN); do valgrind -q --error-exitcode=1 \
	    --leak-check=full $$t || exit 1; done

# Static analysis with .clang-tidy (bugprone, cert, clang-analyzer; every
# warning an error), one stamp per source so that `make -j2 tidy` runs in
# parallel and only files whose object was rebuilt (the .d files track
# their headers) or whose checks changed are checked again.
TIDY_SRC := $(wildcard $(addsuffix /*.c,$(LIB_DIRS))) kiosk/main.c
TIDY_OK  := $(sort $(TIDY_SRC:%.c=$(BUILD)/tidy/%.ok))
tidy: $(TIDY_OK)
$(BUILD)/tidy/%.ok: %.c $(BUILD)/%.o .clang-tidy
	@mkdir -p $(dir $@)
	@echo "  TIDY    $<"
	@clang-tidy --quiet $< -- $(ALL_CFLAGS) && touch $@

# Formats every C file in place with .clang-format; `make format-check`
# lists what it would change and fails if anything.
FORMAT_SRC := $(wildcard $(addsuffix /*.[ch],$(LIB_DIRS) images tests tests/central \
                  tests/unit/* tests/bench tests/fuzz))
format:
	@clang-format -i $(FORMAT_SRC)
format-check:
	@clang-format --dry-run -Werror $(FORMAT_SRC)

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR) \
	    $(DESTDIR)$(MANDIR)/man1
	install -m 0755 $(BUILD)/dauys $(DESTDIR)$(BINDIR)/dauys
	ln -sf dauys $(DESTDIR)$(BINDIR)/dauys-sync
	install -d $(DESTDIR)$(LIBEXECDIR)
	install -m 0755 $(BUILD)/dauys-vtlock $(DESTDIR)$(LIBEXECDIR)/dauys-vtlock
	cp -R data/. $(DESTDIR)$(DATADIR)/
	install -m 0644 $(GUIDE_PDF) $(DESTDIR)$(DATADIR)/guide/
	install -m 0644 docs/dauys.1 $(DESTDIR)$(MANDIR)/man1/dauys.1
	for l in $(LANGS); do \
	    install -d $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES; \
	    install -m 0644 $(BUILD)/locale/$$l/LC_MESSAGES/dauys.mo \
	        $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES/dauys.mo; \
	done

# The Debian package (debian/), built from this tree into build/deb/.
deb:
	@sh scripts/deps.sh image
	@sh images/deb.sh build/deb

# The appliance: build/image/dauys.img (production) and dauys-test.img (the
# same plus the test agent), see docs/appliance.md. image-test boots the
# test image in QEMU and checks the lockdown.
# DAUYS_PROVISION_KEY=FILE: the public key that signs this appliance's
# terminal configurations (docs/terminal-config.md); without it the
# test-only key images/test-provision.pub goes into dauys.img, loudly.
image: deb
	@DAUYS_PROVISION_KEY="$(DAUYS_PROVISION_KEY)" sh images/build.sh build/deb build/image

image-test:
	@sh scripts/deps.sh image
	@python3 images/image-test.py build/image

clean:
	rm -rf build build-san build-fuzz

# (build/image holds a root file system, whose *.d are not ours.)
-include $(shell find $(BUILD) -path $(BUILD)/image -prune -o -name '*.d' -type f -print 2>/dev/null)

# The central tests' record writer (tests/central/gen.c), a kiosk taking
# applications without screens (submit.c) and the runner of
# the scenarios with a real PostgreSQL (tests/central/run.sh).
$(BUILD)/tests/central-gen: tests/central/gen.c $(LIBS_central)
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LIBS_central) $(LIBS)

$(BUILD)/tests/central-submit: tests/central/submit.c $(LIBS_central)
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LIBS_central) $(LIBS)

central-check: all $(BUILD)/tests/central-gen $(BUILD)/tests/central-submit
	@$(DEV_ENV) sh tests/central/run.sh $(RESULTS) $(CURDIR)/$(BUILD)
