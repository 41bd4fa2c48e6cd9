# Builds the benchmark programs tests/bench/*_bench.c against the
# libraries of the main Makefile (libkiosk.a, libballot.a, libservices.a
# and libaccessibility.a, built there into the same BUILD folder, so the
# flags and objects are the project's own), each with the shared clock and
# median of tests/bench/timing.c. Like a unit test of <lib>, the benchmark
# <lib>_bench.c is linked with the shared test sources of tests/unit/<lib>/
# (every .c there that is not a test_*.c: kiosk_bench drives the app
# through the unit tests' headless driver). Binaries go to $(BUILD)/bench/.
#   make -f tests/bench/bench.mk BUILD=build
BUILD  ?= build
CC     ?= cc
PKGS   := ncursesw libsodium jansson inih cairo libqrencode sqlite3 \
          espeak-ng alsa zlib libinput libudev libpq
WARN   := -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
          -Wmissing-prototypes -Wformat=2 -Wwrite-strings -Werror
FLAGS  := $(WARN) -O2 -g -I. -D_GNU_SOURCE $(shell pkg-config --cflags $(PKGS))
LIBS   := $(shell pkg-config --libs $(PKGS)) -lutil -lpthread -lm
LIBS_A := $(BUILD)/libkiosk.a $(BUILD)/libballot.a $(BUILD)/libcentral.a \
          $(BUILD)/libservices.a $(BUILD)/libaccessibility.a
SRC    := $(wildcard tests/bench/*_bench.c)
BIN    := $(SRC:tests/bench/%.c=$(BUILD)/bench/%)
shared  = $(patsubst %.c,$(BUILD)/%.o,$(filter-out \
          tests/unit/$(1)/test_%,$(wildcard tests/unit/$(1)/*.c)))
SHARED := $(foreach s,$(SRC:tests/bench/%_bench.c=%),$(call shared,$(s)))

.PHONY: all libs
all: $(BIN)

# The main Makefile knows how to build (and when to rebuild) the libraries.
libs:
	@$(MAKE) --no-print-directory -f Makefile BUILD=$(BUILD) $(LIBS_A) \
	    $(SHARED)

$(BUILD)/bench/%: tests/bench/%.c tests/bench/timing.c tests/bench/timing.h libs
	@mkdir -p $(dir $@)
	$(CC) $(FLAGS) -o $@ $< tests/bench/timing.c \
	    $(call shared,$(patsubst %_bench,%,$*)) $(LIBS_A) $(LIBS)
