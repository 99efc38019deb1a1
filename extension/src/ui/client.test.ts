import { createFakeWorker } from '@/mock/fakeWorker';

import { createPanelClient } from './client';

const SETTINGS = '{ settings { minConfidence } }';

describe('panel client', () => {
  it('answers a query with its first result and receives the state', async () => {
    const worker = createFakeWorker();
    const client = createPanelClient(worker.connect);
    const result = await client.query({ query: SETTINGS });
    expect(result.data).toEqual({ settings: { minConfidence: 0.3 } });
    expect(client.getSnapshot().state?.auth.kind).toBe('signed-in');
  });

  it('streams a subscription until stopped', async () => {
    const worker = createFakeWorker();
    const client = createPanelClient(worker.connect);
    const seen: unknown[] = [];
    const stop = client.subscribe(
      { query: 'subscription { settingsChanged { minConfidence } }' },
      { next: (result) => seen.push(result.data) },
    );
    await new Promise((resolve) => setTimeout(resolve, 10));
    worker.backend.store.updateSettings({ minConfidence: 0.5 });
    await vi.waitFor(() => expect(seen).toEqual([{ settingsChanged: { minConfidence: 0.5 } }]));
    stop();
    await new Promise((resolve) => setTimeout(resolve, 10));
    worker.backend.store.updateSettings({ minConfidence: 0.6 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(seen).toHaveLength(1);
  });

  it('restarts its subscriptions on a new port when the worker stops', async () => {
    const worker = createFakeWorker();
    const client = createPanelClient(worker.connect, { reconnectDelayMs: 5 });
    const seen: unknown[] = [];
    client.subscribe(
      { query: 'subscription { settingsChanged { minConfidence } }' },
      { next: (result) => seen.push(result.data) },
    );
    await new Promise((resolve) => setTimeout(resolve, 10));
    const ports: string[] = [];
    client.onSnapshot(() => ports.push(client.getSnapshot().port));
    worker.crash();
    await vi.waitFor(() => expect(ports).toEqual(['lost', 'open']));
    await new Promise((resolve) => setTimeout(resolve, 10));
    worker.backend.store.updateSettings({ minConfidence: 0.7 });
    await vi.waitFor(() => expect(seen).toEqual([{ settingsChanged: { minConfidence: 0.7 } }]));
  });

  it('hands writes to the outbox and reports refusals and acknowledgements', async () => {
    const worker = createFakeWorker();
    const client = createPanelClient(worker.connect);
    const refused: string[] = [];
    const acked: string[] = [];
    client.onRefused((refusal) => refused.push(`${refusal.code} ${refusal.field ?? ''}`));
    client.onAcked((key) => acked.push(key));
    await vi.waitFor(() => expect(client.getSnapshot().state).not.toBeNull());
    client.write({ kind: 'updateSettings', key: 'bad', input: { minConfidence: 7 } });
    client.write({ kind: 'updateSettings', key: 'good', input: { minConfidence: 0.4 } });
    await vi.waitFor(() => expect(acked).toEqual(['good']));
    expect(refused).toEqual(['BAD_USER_INPUT minConfidence']);
  });

  it('asks the playhead', async () => {
    const worker = createFakeWorker({ playhead: () => 42 });
    const client = createPanelClient(worker.connect);
    await expect(client.playhead()).resolves.toEqual({ seconds: 42, playing: true });
  });
});
