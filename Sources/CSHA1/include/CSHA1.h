#pragma once
#include <stddef.h>
#include <stdint.h>

/// Runs the SHA-1 compression function (FIPS 180-4) over `blocks` 64-byte blocks of `data`,
/// updating `state` (the five words h0...h4). Uses the processor's SHA extensions where it has them
/// (x86-64 SHA-NI), the portable code otherwise; both give the same words.
void crossdock_sha1_blocks(uint32_t state[5], const uint8_t *data, size_t blocks);

/// The portable compression alone (for tests that compare both ways).
void crossdock_sha1_blocks_portable(uint32_t state[5], const uint8_t *data, size_t blocks);

/// Whether ``crossdock_sha1_blocks`` uses the processor's SHA extensions on this machine.
int crossdock_sha1_uses_hardware(void);
