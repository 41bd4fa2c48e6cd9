#!/bin/sh
# `dauys keypad-card`: the numpad's card as SVG, PDF and PNG; the SVG has
# its cut, emboss and print layers, a label and symbol for every function
# key and the card's Braille in kk and ru; the PDF page and the PNG are
# 1:1 (A3 landscape, 420 x 297 mm); a profile given by path with its own
# pitch; and the errors, each with its message and the exit status of the
# README's convention (2 usage, 1 invalid input), leaving no file behind.
set -u

fail() {
    echo "t_card: $*" >&2
    exit 1
}

: "${DAUYS:?DAUYS must point to the dauys binary}"
: "${DAUYS_DATADIR:?DAUYS_DATADIR must point to the data folder}"

# Runs dauys with ARGS, expects exit status WANT and a line of stderr
# matching PATTERN, and that no card.* file was written.
expect() {
    want=$1
    pattern=$2
    shift 2
    "$DAUYS" "$@" >out.txt 2>err.txt
    st=$?
    [ "$st" -eq "$want" ] ||
        fail "dauys $*: exit $st, expected $want: $(cat err.txt)"
    grep -q -- "$pattern" err.txt ||
        fail "dauys $*: stderr lacks '$pattern': $(cat err.txt)"
    for f in card.*; do
        [ -e "$f" ] && fail "dauys $*: wrote $f"
    done
    return 0
}

# --- the numpad, three formats ---------------------------------------------
for ext in svg pdf png; do
    "$DAUYS" keypad-card numpad --out "numpad.$ext" >out.txt 2>err.txt ||
        fail "numpad .$ext: exit $?: $(cat err.txt)"
    [ -s "numpad.$ext" ] || fail "numpad .$ext: no file written"
    grep -q "numpad.$ext: keypad card of profile numpad, key pitch 19.05 mm" \
        out.txt || fail "numpad .$ext: says $(cat out.txt)"
done

for layer in cut emboss print; do
    grep -q "<g id=\"$layer\" inkscape:groupmode=\"layer\" inkscape:label=\"$layer\"" \
        numpad.svg || fail "numpad.svg has no layer '$layer'"
done
for key in KP7 KP8 KP9 KP4 KP5 KP6 KP1 KP2 KP3 KP0 KPDOT KPENTER KPPLUS \
    KPMINUS KPASTERISK KPSLASH BACKSPACE; do
    grep -q "id=\"label-KEY_$key\"" numpad.svg || fail "no label for KEY_$key"
    grep -q "id=\"symbol-KEY_$key\"" numpad.svg || fail "no symbol for KEY_$key"
done
grep -q 'id="symbol-KEY_KP5" data-action="select" data-shape="circle"' \
    numpad.svg || fail "the 5 has no circle"
grep -q 'id="symbol-KEY_KP7" data-action="back" data-shape="x"' \
    numpad.svg || fail "the 7 (back) has no X"
# Бұл (б ⠃) and Это (э ⠪) begin the texts.
for lb in kk:⠃ ru:⠪; do
    lang=${lb%%:*}
    grep -q "id=\"braille-card-$lang\" data-lang=\"$lang\" data-braille=\"${lb#*:}" \
        numpad.svg || fail "numpad.svg has no $lang Braille card"
done
grep -q 'data-text="Бұл сайлауға' numpad.svg || fail "no Kazakh card text"
grep -q 'data-text="Это говорящий терминал' numpad.svg ||
    fail "no Russian card text"
grep -q '<text[^>]*>Это говорящий терминал' numpad.svg ||
    fail "no Russian large print"

# A3 landscape: 420 x 297 mm = 1190.551 x 841.89 pt.
size=$(pdfinfo numpad.pdf 2>/dev/null |
    sed -n 's/^Page size: *\([0-9.]*\) x \([0-9.]*\) pts.*/\1 \2/p')
[ -n "$size" ] || fail "pdfinfo cannot read numpad.pdf"
echo "$size" | awk '{ d1 = $1 - 1190.551; d2 = $2 - 841.89;
    exit !(d1 < 0.01 && d1 > -0.01 && d2 < 0.01 && d2 > -0.01) }' ||
    fail "PDF page is $size pt, expected 1190.551 x 841.89 (A3)"
# Rendered back at 300 dpi it is the PNG's size.
pdftoppm -r 300 -png -singlefile numpad.pdf back ||
    fail "pdftoppm cannot render numpad.pdf"
png_dims() {
    od -An -tu1 -j16 -N8 "$1" | awk '{
        printf "%d %d", (($1 * 256 + $2) * 256 + $3) * 256 + $4,
                        (($5 * 256 + $6) * 256 + $7) * 256 + $8 }'
}
[ "$(png_dims numpad.png)" = "4961 3508" ] ||
    fail "PNG is $(png_dims numpad.png) px, expected 4961 3508"
[ "$(png_dims back.png)" = "4961 3508" ] ||
    fail "the PDF at 300 dpi is $(png_dims back.png) px, expected 4961 3508"

# --- a profile by path, with its own pitch ---------------------------------
cat >compact.profile <<'EOF'
pitch_mm 18
KEY_KP8 up
KEY_KP2 down
KEY_KP5 select
KEY_KP7 back
KEY_KP9 help
EOF
"$DAUYS" keypad-card ./compact.profile --out compact.svg >out.txt 2>err.txt ||
    fail "compact.profile: exit $?: $(cat err.txt)"
grep -q "key pitch 18 mm" out.txt || fail "compact: says $(cat out.txt)"
# The 8 is one pitch above the 5.
y5=$(sed -n 's/.*id="symbol-KEY_KP5"[^>]*data-cy="\([0-9.]*\)".*/\1/p' compact.svg)
y8=$(sed -n 's/.*id="symbol-KEY_KP8"[^>]*data-cy="\([0-9.]*\)".*/\1/p' compact.svg)
[ -n "$y5" ] && [ -n "$y8" ] || fail "compact.svg lacks the 5 or the 8"
awk -v a="$y5" -v b="$y8" 'BEGIN { d = a - b - 18; exit !(d < 0.001 && d > -0.001) }' ||
    fail "the 8 is at y $y8, the 5 at $y5: not 18 mm apart"
grep -q 'id="symbol-KEY_KP4"' compact.svg && fail "an unbound key got a symbol"

# --- errors ----------------------------------------------------------------
expect 2 "which profile?" keypad-card --out card.svg
expect 2 "where to? Give --out FILE" keypad-card numpad
expect 2 "card.jpg: unknown keypad card format; the file name must end in .svg" \
    keypad-card numpad --out card.jpg
expect 2 "unknown keypad card format" keypad-card numpad --out card
expect 2 "'--margin' is unknown" keypad-card numpad --margin 3 --out card.svg
expect 2 "one profile only, not also 'keyboard'" \
    keypad-card numpad keyboard --out card.svg
expect 1 "unknown keypad profile 'nosuch'" keypad-card nosuch --out card.svg
grep -q "The bundled profiles are:.* numpad" err.txt ||
    fail "unknown profile: the bundled ones are not listed: $(cat err.txt)"
expect 1 "cannot read the keypad profile ./missing.profile" \
    keypad-card ./missing.profile --out card.svg
printf 'KEY_KP5 select\n' >broken.profile
expect 1 "broken.profile: the profile binds no key to 'up'" \
    keypad-card ./broken.profile --out card.svg
expect 1 "no keypad card was written" \
    keypad-card numpad --out no/such/folder/card.svg

"$DAUYS" keypad-card --help >out.txt 2>err.txt || fail "--help: exit $?"
grep -q "usage: dauys keypad-card PROFILE --out FILE" out.txt ||
    fail "--help: $(cat out.txt)"
"$DAUYS" --help 2>/dev/null | grep -q "keypad-card" ||
    fail "dauys --help does not list keypad-card"
exit 0
