// Pure helpers of the devices page.

/** Plain words for the server's revoke reasons; an unknown code is shown readably. */
export function revokeReasonText(reason: string | null): string | null {
  if (reason === null || reason === '') return null;
  switch (reason) {
    case 'revoked_by_user':
      return 'revoked from the web app';
    default:
      return reason.replaceAll('_', ' ');
  }
}

/** Live devices and revoked ones, each in the server's order (most recently seen first). */
export function splitDevices<Device extends { revokedAt: string | null }>(
  devices: readonly Device[],
): { live: Device[]; revoked: Device[] } {
  return {
    live: devices.filter((device) => device.revokedAt === null),
    revoked: devices.filter((device) => device.revokedAt !== null),
  };
}

/** The list with fresher copies (e.g. a revoke's answer) in place of the listed ones. */
export function withUpdates<Device extends { id: string }>(
  devices: readonly Device[],
  updates: ReadonlyMap<string, Device>,
): Device[] {
  return devices.map((device) => updates.get(device.id) ?? device);
}
