#!/bin/sh
# `dauys stencil`: the demo package's ballot as SVG, PDF and PNG; the PNG's
# QR code decodes (zbarimg) to the package's id, hash and ballot; the PDF
# page and the PNG are the paper's size; the SVG windows sit over the boxes
# of an unsigned package written here; bad ballot ids, unknown extensions
# and overlapping windows are refused without leaving a file behind.
set -u

fail() {
    echo "t_stencil: $*" >&2
    exit 1
}

: "${DAUYS:?DAUYS must point to the dauys binary}"
: "${DAUYS_DATADIR:?DAUYS_DATADIR must point to the data folder}"
demo="$DAUYS_DATADIR/demo/election"
[ -f "$demo/election.json" ] || fail "no demo package in $demo"

# --- the demo package, three formats ---------------------------------------
ballot=district-7
for ext in svg pdf png; do
    "$DAUYS" stencil "$demo" --ballot "$ballot" --out "demo.$ext" \
        >out.txt 2>err.txt || fail "demo .$ext: exit $?: $(cat err.txt)"
    [ -s "demo.$ext" ] || fail "demo .$ext: no file written"
done

id=$(grep -o '"id": *"[^"]*"' "$demo/election.json" | head -n 1 |
    sed 's/.*"\([^"]*\)"$/\1/')
hash=$(sha256sum "$demo/election.json" | cut -d ' ' -f 1)
want="dauys-election:$id:$hash:$ballot"
got=$(zbarimg --raw -q demo.png 2>/dev/null) || fail "zbarimg found no QR code in demo.png"
[ "$got" = "$want" ] || fail "QR code says '$got', expected '$want'"

# The first 8 characters of the hash are printed, grouped as on screen.
short=$(printf '%s' "$hash" | cut -c 1-4)" "$(printf '%s' "$hash" | cut -c 5-8)
grep -q "SHA-256 $short" demo.svg || fail "demo.svg does not print the hash '$short'"

# A5: 148 x 210 mm = 419.528 x 595.276 pt.
size=$(pdfinfo demo.pdf 2>/dev/null | sed -n 's/^Page size: *\([0-9.]*\) x \([0-9.]*\) pts.*/\1 \2/p')
[ -n "$size" ] || fail "pdfinfo cannot read demo.pdf"
echo "$size" | awk '{ d1 = $1 - 419.528; d2 = $2 - 595.276;
    exit !(d1 < 0.01 && d1 > -0.01 && d2 < 0.01 && d2 > -0.01) }' ||
    fail "PDF page is $size pt, expected 419.528 x 595.276 (A5)"

# PNG at 300 dpi: 148 mm -> 1748 px, 210 mm -> 2480 px (IHDR width, height).
dims=$(od -An -tu1 -j16 -N8 demo.png | awk '{
    printf "%d %d", (($1 * 256 + $2) * 256 + $3) * 256 + $4,
                    (($5 * 256 + $6) * 256 + $7) * 256 + $8 }')
[ "$dims" = "1748 2480" ] || fail "PNG is $dims px, expected 1748 2480"

# --- an unsigned package of our own: windows over the boxes -----------------
mkdir pkg
cat >pkg/election.json <<'JSON'
{
  "format": "dauys-election/1",
  "id": "e2e-stencil",
  "test": true,
  "date": "2026-03-15",
  "title": {"kk": "Сынақ сайлауы", "ru": "Пробные выборы"},
  "ballots": [
    {
      "id": "b1",
      "kind": "candidates",
      "title": {"kk": "Сынақ & «бюллетень»", "ru": "Пробный <бюллетень>"},
      "max_marks": 1,
      "paper": {"width_mm": 210, "height_mm": 297, "corner_cut": "top-left"},
      "options": [
        {"id": "a1", "position": 1, "label": {"kk": "Әлия", "ru": "Алия"},
         "box": {"x_mm": 170, "y_mm": 60, "w_mm": 12, "h_mm": 10}},
        {"id": "a2", "position": 2, "label": {"kk": "Бауыржан", "ru": "Бауыржан"},
         "box": {"x_mm": 170.5, "y_mm": 80.25, "w_mm": 12, "h_mm": 10}},
        {"id": "a3", "position": 3, "label": {"kk": "Бәріне қарсы", "ru": "Против всех"},
         "against_all": true,
         "box": {"x_mm": 170, "y_mm": 100, "w_mm": 12, "h_mm": 10}}
      ]
    }
  ]
}
JSON
"$DAUYS" stencil pkg --ballot b1 --out own.svg --margin-mm 1.5 >out.txt 2>err.txt ||
    fail "unsigned package: exit $?: $(cat err.txt)"
# Every window is the box grown by 1.5 mm on each side (within 0.1 mm).
for spec in "1 170 60 12 10" "2 170.5 80.25 12 10" "3 170 100 12 10"; do
    set -- $spec
    line=$(grep "<rect id=\"window-$1\"" own.svg) || fail "own.svg has no window $1"
    x=$(echo "$line" | sed 's/.* x="\([^"]*\)".*/\1/')
    y=$(echo "$line" | sed 's/.* y="\([^"]*\)".*/\1/')
    w=$(echo "$line" | sed 's/.* width="\([^"]*\)".*/\1/')
    h=$(echo "$line" | sed 's/.* height="\([^"]*\)".*/\1/')
    echo "$x $y $w $h $2 $3 $4 $5" | awk '
        function off(a, b) { d = a - b; return d > 0.1 || d < -0.1 }
        { exit off($1, $5 - 1.5) || off($2, $6 - 1.5) ||
               off($3, $7 + 3) || off($4, $8 + 3) }' ||
        fail "window $1 is at $x $y $w $h, box $2 $3 $4 $5 with 1.5 mm margin"
done
grep -q '<g id="cut"' own.svg && grep -q '<g id="braille"' own.svg &&
    grep -q '<g id="print"' own.svg && grep -q '<g id="qr"' own.svg ||
    fail "own.svg lacks one of the groups cut, braille, print, qr"
grep -q 'd="M 10 0 H 210 V 297 H 0 V 10 Z"' own.svg ||
    fail "own.svg outline has no 10 mm top-left corner cut"
grep -q 'Сынақ &amp; «бюллетень»' own.svg || fail "title not XML-escaped"
if command -v xmllint >/dev/null 2>&1; then
    xmllint --noout own.svg 2>err.txt || fail "own.svg is not XML: $(cat err.txt)"
fi

# --- refusals -------------------------------------------------------------------
"$DAUYS" stencil "$demo" --ballot no-such-ballot --out bad.svg >out.txt 2>err.txt
rc=$?
[ $rc -eq 1 ] || fail "unknown ballot: exit $rc, expected 1"
grep -q "no-such-ballot" err.txt || fail "unknown ballot: message does not name it"
grep -q "$ballot" err.txt || fail "unknown ballot: message does not list the ballots"

"$DAUYS" stencil "$demo" --ballot "$ballot" --out bad.jpg >out.txt 2>err.txt
rc=$?
[ $rc -eq 2 ] || fail "unknown extension: exit $rc, expected 2"
grep -q ".svg" err.txt || fail "unknown extension: message does not name the formats"

"$DAUYS" stencil "$demo" --ballot "$ballot" >out.txt 2>err.txt
rc=$?
[ $rc -eq 2 ] || fail "missing --out: exit $rc, expected 2"

# Boxes about 10 mm apart: a 6 mm margin makes the windows overlap.
cp own.svg keep.svg
"$DAUYS" stencil pkg --ballot b1 --out own.svg --margin-mm 6 >out.txt 2>err.txt
rc=$?
[ $rc -eq 1 ] || fail "overlapping windows: exit $rc, expected 1"
grep -q "windows 1 (option a1) and 2 (option a2) overlap" err.txt ||
    fail "overlapping windows: message does not name them: $(cat err.txt)"
cmp -s own.svg keep.svg || fail "a refused stencil replaced the previous file"

"$DAUYS" stencil "$PWD/missing" --ballot b1 --out m.svg >out.txt 2>err.txt
rc=$?
[ $rc -eq 1 ] || fail "missing package: exit $rc, expected 1"

for f in bad.svg bad.jpg m.svg; do
    [ ! -e "$f" ] || fail "a refused run left $f behind"
done
leftover=$(ls | grep -E '\.(svg|pdf|png)\.' || true)
[ -z "$leftover" ] || fail "temporary files left behind: $leftover"
exit 0
