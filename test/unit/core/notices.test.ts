import { describe, expect, it } from 'vitest';
import { startCore } from './support/core-harness';

describe('notices', () => {
  it('the same notice raised three times is one notice with a count, and the user can close it', async () => {
    const h = await startCore();
    for (let i = 0; i < 3; i++) h.backend.sink!.onResubscribed?.('the event stream was silent');
    const notices = h.core.status().notices;
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ level: 'warning', count: 3 });
    expect(await h.core.handlers['notices.dismiss']({ id: notices[0]!.id })).toEqual({ dismissed: true });
    expect(h.core.status().notices).toEqual([]);
    expect(await h.core.handlers['notices.dismiss']({ id: notices[0]!.id })).toEqual({ dismissed: false });
    await h.core.stop();
  });
});
