import { startFeatures, type Feature } from './features';

test('a failing feature is logged by name and the others still run', async () => {
  const log = vi.fn();
  const ran: string[] = [];
  startFeatures(
    [
      {
        name: 'broken',
        init: () => {
          throw new Error('boom');
        },
      },
      { name: 'async-broken', init: () => Promise.reject(new Error('later')) },
      {
        name: 'fine',
        init: () => {
          ran.push('fine');
        },
      },
    ],
    log,
  );
  await Promise.resolve();
  expect(ran).toEqual(['fine']);
  expect(log.mock.calls.map(([message]) => message as string)).toEqual([
    '[lossy] feature broken failed',
    '[lossy] feature async-broken failed',
  ]);
});

test('a navigation aborts every feature and runs them again with a fresh signal', () => {
  const signals: AbortSignal[] = [];
  const feature: Feature = {
    name: 'watch',
    init: (signal) => {
      signals.push(signal);
    },
  };
  const manager = startFeatures([feature], vi.fn());
  manager.restart();
  expect(signals).toHaveLength(2);
  expect(signals[0]?.aborted).toBe(true);
  expect(signals[1]?.aborted).toBe(false);
  manager.stop();
  expect(signals[1]?.aborted).toBe(true);
  manager.restart();
  expect(signals).toHaveLength(2);
});
