/*
 * Fault injection for the storage tests, SQLite style (test_atomicfile.c,
 * test_audit.c): tests/unit/accessibility/fault.c defines __wrap_ versions
 * of the library calls storage code makes (mkostemp, fchmod, fdopen,
 * write, fwrite, fflush, fsync, fclose, close, open, rename, renameat2,
 * flock, pread). A test links them in with -Wl,--wrap=<call> (its
 * TEST_LDFLAGS in the Makefile); a test that wraps nothing is not touched.
 *
 * A wrapper fails the Nth call of the plan with EIO; a failed close()
 * or fclose() still releases the file, and a failed write to a file open
 * with O_APPEND is cut short instead, as on a full disk. Every other
 * write() writes at most 4096 bytes, so callers must go on after a short
 * write. The wrappers keep a trace of the steps that succeeded: 'T'
 * temporary file made, 'F' file fsync'd, 'D' folder fsync'd, 'R' renamed.
 */
#ifndef DAUYS_TESTS_UNIT_ACCESSIBILITY_FAULT_H
#define DAUYS_TESTS_UNIT_ACCESSIBILITY_FAULT_H

#include <stdbool.h>
#include <sys/types.h>

/* Starts a new plan: fail call number N (counting from 1; 0: none) among
 * the wrapped calls whose name starts with ONLY ("" for every call).
 * Clears the trace, the injected flag and the fsync'd files. ONLY must
 * outlive the plan. */
void fault_plan(int n, const char *only);

/* A cmocka teardown (FAULT_FRESH): ends the plan (no call fails any more)
 * and removes the scratch folder whose path the test's setup() stored in
 * *STATE. Returns 0, or -1. */
int fault_teardown(void **state);

/* A cmocka test case F run between the file's own setup() and
 * fault_teardown(). */
#define FAULT_FRESH(f) cmocka_unit_test_setup_teardown(f, setup, fault_teardown)

/* True when the plan's failure has happened since fault_plan(). */
bool fault_injected(void);

/* The steps since fault_plan() ("TFRD" for a whole atomic write). */
const char *fault_trace(void);

/* True when the file with inode INO was fsync'd since fault_plan(). */
bool fault_synced(ino_t ino);

#endif
