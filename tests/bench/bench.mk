# Builds the benchmark programs tests/bench/*_bench.c against the
# libraries of the main Makefile (libkiosk.a, libballot.a, libservices.a
# and libaccessibility.a, built there into the same BUILD folder, so the
# flags and objects are the project's own). Binaries go to $(BUILD)/bench/.
#   make -f tests/bench/bench.mk BUILD=build
BUILD  ?= build
CC     ?= cc
PKGS   := ncursesw libsodium jansson inih cairo libqrencode sqlite3 \
          espeak-ng alsa zlib libinput libudev
WARN   := -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
          -Wmissing-prototypes -Wformat=2 -Wwrite-strings -Werror
FLAGS  := $(WARN) -O2 -g -I. -D_GNU_SOURCE $(shell pkg-config --cflags $(PKGS))
LIBS   := $(shell pkg-config --libs $(PKGS)) -lutil -lpthread -lm
LIBS_A := $(BUILD)/libkiosk.a $(BUILD)/libballot.a $(BUILD)/libservices.a \
          $(BUILD)/libaccessibility.a
SRC    := $(wildcard tests/bench/*_bench.c)
BIN    := $(SRC:tests/bench/%.c=$(BUILD)/bench/%)

.PHONY: all libs
all: $(BIN)

# The main Makefile knows how to build (and when to rebuild) the libraries.
libs:
	@$(MAKE) --no-print-directory -f Makefile BUILD=$(BUILD) $(LIBS_A)

$(BUILD)/bench/%: tests/bench/%.c libs
	@mkdir -p $(dir $@)
	$(CC) $(FLAGS) -o $@ $< $(LIBS_A) $(LIBS)
