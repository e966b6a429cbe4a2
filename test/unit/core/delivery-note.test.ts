// Where the event ring cannot be used (Windows on Arm, a library missing from the install), events take one koffi
// callback each: slower under a flood. The user and whoever reads a diagnostics report see that, and why.
import { describe, expect, it } from 'vitest';
import { formatStatus } from '../../../electron/core/cli/format';
import { startCore } from './support/core-harness';
import { MemoryBackend } from './support/memory-backend';

const NOTE = 'no event ring for Windows on Arm (arm64): events take the per-event callback';

describe('how events reach core', () => {
  it('status says the per-event callback is in use, and why', async () => {
    const backend = new MemoryBackend();
    backend.delivery = { mode: 'per-event', note: NOTE };
    const h = await startCore({ backend });
    const status = h.core.status();
    expect(status.delivery).toEqual({ mode: 'per-event', note: NOTE });
    expect(formatStatus(status, h.dataDir)).toContain(
      `Events:     one callback per event (slower under a flood): ${NOTE}`,
    );
    // The UI's snapshot carries the same status.
    expect((await h.core.handlers['snapshot.get']({})).status.delivery).toEqual({ mode: 'per-event', note: NOTE });
    await h.core.stop();
  });

  it('says events are batched when they come through the event ring', async () => {
    const backend = new MemoryBackend();
    backend.delivery = { mode: 'ring' };
    const h = await startCore({ backend });
    expect(formatStatus(h.core.status(), h.dataDir)).toContain('Events:     batched through the event ring');
    await h.core.stop();
  });

  it('without a subscription (a status asked from the command line) the backend says what it would use', async () => {
    const backend = new MemoryBackend();
    const h = await startCore({ backend }, false);
    expect(h.core.status().delivery).toBeUndefined();
    expect(formatStatus(h.core.status(), h.dataDir)).not.toContain('Events:');
    Object.assign(backend, { eventDelivery: () => ({ mode: 'per-event', note: NOTE }) });
    expect(h.core.status().delivery).toEqual({ mode: 'per-event', note: NOTE });
  });
});
