/*
 * Fuzzes the PSF font parser from memory: any bytes must be either refused
 * with a message or parsed into a font whose every glyph can be looked up
 * and read without leaving its bitmap.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "accessibility/psf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct psf_font *f = NULL;
    char *why = NULL;
    if (psf_parse(data, size, &f, &why) < 0) {
        if (why == NULL || f != NULL)
            abort();
        free(why);
        return 0;
    }
    unsigned w = psf_size(f).width, h = psf_size(f).height, sum = 0;
    static const uint32_t probe[] = {'?',    'A',      0x04d8, 0x0456,
                                     0xfffd, 0x10ffff, 0};
    for (size_t i = 0; i < sizeof probe / sizeof probe[0]; i++) {
        const uint8_t *bm = psf_glyph(f, probe[i]);
        for (unsigned y = 0; y < h; y++)
            for (unsigned x = 0; x < w; x++)
                sum += psf_pixel(f, bm, x, y);
        int g = psf_index(f, probe[i]);
        if (g >= (int)psf_size(f).count)
            abort();
    }
    if (psf_fallback_index(f) >= psf_size(f).count || sum > 7 * w * h)
        abort();
    psf_free(f);
    return 0;
}
