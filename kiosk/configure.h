/*
 * Configuring the terminal from a stick: the I/O behind FX_CONFIGURE.
 *
 * The folder with the configuration is found under the media folder
 * (--media-dir, default /run/dauys/media, where the media helper mounts a
 * stick: the folder itself or one folder below it), loaded, verified
 * under the provisioning key and installed into the data folder by
 * terminal_accept() (kiosk/terminal.h). The outcome is shown to staff,
 * every reason for a refusal listed; an accepted configuration is put in
 * force by starting the kiosk again (FX_RESTART), at once on Enter or by
 * itself a few seconds later. Every attempt goes to
 * the audit trail (as an FX_AUDIT), with the serial and hash, never a PIN
 * hash.
 */
#ifndef DAUYS_KIOSK_CONFIGURE_H
#define DAUYS_KIOSK_CONFIGURE_H

#include <stddef.h>
#include <stdint.h>

#include "kiosk/app.h"

/* Where the appliance mounts a stick (as kiosk/media.h says). */
#ifndef MEDIA_DEFAULT_DIR
#define MEDIA_DEFAULT_DIR "/run/dauys/media"
#endif

struct configure {
    const char *data_dir;
    const char *media_dir;
    const unsigned char (*keys)[32]; /* the provisioning keys */
    size_t n_keys;
};

/* The loop's handler for FX_CONFIGURE; CTX is a struct configure. */
void configure_effect(void *ctx, const struct fx *f, struct app *app,
                      uint64_t now_ms, struct fx_list *out);

#endif
