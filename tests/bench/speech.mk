# Builds the speech benchmark alone, against libaccessibility.a of the main
# Makefile (built there into the same BUILD folder):
#   make -f tests/bench/speech.mk BUILD=build
#   build/bench/speech_bench        (run from the top of the source tree)
BUILD  ?= build
CC     ?= cc
PKGS   := libsodium espeak-ng alsa
WARN   := -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
          -Wmissing-prototypes -Wformat=2 -Wwrite-strings -Werror
FLAGS  := $(WARN) -O2 -g -I. -D_GNU_SOURCE $(shell pkg-config --cflags $(PKGS))
LIBS   := $(shell pkg-config --libs $(PKGS)) -lpthread -lm

.PHONY: all lib
all: $(BUILD)/bench/speech_bench

lib:
	@$(MAKE) --no-print-directory -f Makefile BUILD=$(BUILD) \
	    $(BUILD)/libaccessibility.a

$(BUILD)/bench/speech_bench: tests/bench/speech_bench.c lib
	@mkdir -p $(dir $@)
	$(CC) $(FLAGS) -o $@ $< $(BUILD)/libaccessibility.a $(LIBS)
