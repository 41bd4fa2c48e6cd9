# Builds every tests/fuzz/fuzz_<name>.c as a libFuzzer binary with clang,
# linked against the non-curses libraries (and, for fuzz_guide, the one
# kiosk file it tests), built here as the main Makefile
# builds them (one archive per folder: services and ballot over
# accessibility, central over services). Objects go to build-fuzz/ so they
# never mix with the gcc builds.
B := build-fuzz
PKGS := libsodium jansson inih cairo libqrencode sqlite3 espeak-ng alsa zlib \
        libinput libudev liblouis libpq
FLAGS := -std=c11 -g -O1 -fsanitize=fuzzer-no-link,address,undefined \
         -I. -D_GNU_SOURCE -DDAUYS_VERSION='"fuzz"' \
         -DDAUYS_DATADIR='"data"' -DDAUYS_LOCALEDIR='"build/locale"' \
         $(shell pkg-config --cflags $(PKGS))
LIBS := $(shell pkg-config --libs $(PKGS)) -lpthread -lm
objs = $(patsubst %.c,$(B)/%.o,$(wildcard $(1)/*.c))
# In link order: each library before the ones it uses.
LIBA := $(B)/libcentral.a $(B)/libservices.a $(B)/libballot.a \
        $(B)/libaccessibility.a
BIN := $(FUZZ_SRC:tests/fuzz/%.c=$(B)/%)

all: $(BIN)
$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	clang $(FLAGS) -MMD -MP -c $< -o $@
$(B)/libaccessibility.a: $(call objs,accessibility)
	@rm -f $@; ar rcs $@ $^
$(B)/libballot.a: $(call objs,ballot)
	@rm -f $@; ar rcs $@ $^
$(B)/libservices.a: $(call objs,services)
	@rm -f $@; ar rcs $@ $^
$(B)/libcentral.a: $(call objs,central)
	@rm -f $@; ar rcs $@ $^
# The terminal configuration's parser lives in kiosk/ (with the staff
# roles it names) but has no curses: its two files are linked in alone.
KIOSK_PURE := $(B)/kiosk/terminal.o $(B)/kiosk/staff.o
$(B)/fuzz_terminal: tests/fuzz/fuzz_terminal.c $(KIOSK_PURE) $(LIBA)
	clang $(FLAGS) -fsanitize=fuzzer,address,undefined -o $@ $< $(KIOSK_PURE) $(LIBA) $(LIBS)
# The staff guide's parser lives in the kiosk: only its file is linked.
$(B)/fuzz_guide: tests/fuzz/fuzz_guide.c $(B)/kiosk/report.o $(LIBA)
	clang $(FLAGS) -fsanitize=fuzzer,address,undefined -o $@ $< \
	    $(B)/kiosk/report.o $(LIBA) $(LIBS)
$(B)/fuzz_%: tests/fuzz/fuzz_%.c $(LIBA)
	clang $(FLAGS) -fsanitize=fuzzer,address,undefined -o $@ $< $(LIBA) $(LIBS)
-include $(wildcard $(B)/*/*.d)
