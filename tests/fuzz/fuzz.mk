# Builds every tests/fuzz/fuzz_<name>.c as a libFuzzer binary with clang,
# linked against the non-curses libraries (accessibility/ and ballot/) and
# the kiosk's parsers. Objects go to build-fuzz/ so they never mix with the
# gcc builds.
B := build-fuzz
PKGS := libsodium jansson inih cairo libqrencode sqlite3 espeak-ng alsa zlib \
        libinput libudev
FLAGS := -std=c11 -g -O1 -fsanitize=fuzzer-no-link,address,undefined \
         -I. -D_GNU_SOURCE -DDAUYS_VERSION='"fuzz"' \
         -DDAUYS_DATADIR='"data"' -DDAUYS_LOCALEDIR='"build/locale"' \
         $(shell pkg-config --cflags $(PKGS))
LIBS := $(shell pkg-config --libs $(PKGS)) -lpthread -lm
SRC := $(wildcard accessibility/*.c ballot/*.c) $(FUZZ_EXTRA)
OBJ := $(SRC:%.c=$(B)/%.o)
BIN := $(FUZZ_SRC:tests/fuzz/%.c=$(B)/%)

all: $(BIN)
$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	clang $(FLAGS) -c $< -o $@
$(B)/fuzz_%: tests/fuzz/fuzz_%.c $(OBJ)
	clang $(FLAGS) -fsanitize=fuzzer,address,undefined -o $@ $^ $(LIBS)
