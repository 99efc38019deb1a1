// The worker's own telemetry events (connection, reconnect, outbox, errors), queued through
// the outbox and sent only while `server_telemetry` is on.

import type { TelemetryEvent } from './outbox/store';

export function telemetryEvent(
  name: string,
  level: TelemetryEvent['level'],
  properties: Record<string, unknown>,
  clientVersion: string,
  now: Date = new Date(),
): TelemetryEvent {
  return {
    eventId: crypto.randomUUID(),
    name: `extension.${name}`,
    occurredAt: now.toISOString(),
    level,
    properties,
    clientVersion,
  };
}
