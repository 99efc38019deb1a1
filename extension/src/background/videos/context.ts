// The user's video context as the active tab sees it (PROTOCOL.md section 7).

import type { ExtensionState } from '@/shared/messages';

export interface ContextEvent {
  kind: 'CONTEXT_UPDATED' | 'CONTEXT_CLEARED' | 'CONTEXT_TAKEN' | 'CONTEXT_AVAILABLE';
  context: {
    video: { id: string };
    owner: { deviceId: string; tabId: number; pageInstanceId: string } | null;
  } | null;
}

export interface ActiveTab {
  deviceId: string;
  tabId: number;
  pageInstanceId: string;
  videoId: string;
}

/** `off` without a flag or a video; else who owns the context for this tab's video. */
export function contextView(
  enabled: boolean,
  tab: ActiveTab | null,
  event: ContextEvent | null,
): ExtensionState['context'] {
  if (!enabled || !tab) return 'off';
  const context = event?.context;
  const owner = context?.owner;
  if (
    !context ||
    !owner ||
    event.kind === 'CONTEXT_AVAILABLE' ||
    event.kind === 'CONTEXT_CLEARED'
  ) {
    return 'available';
  }
  if (
    owner.deviceId === tab.deviceId &&
    owner.tabId === tab.tabId &&
    owner.pageInstanceId === tab.pageInstanceId
  ) {
    return 'owner';
  }
  return 'taken';
}
