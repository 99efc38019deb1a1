import { describe, expect, it } from 'vitest';

import { hasKind, PANEL_PORT, panelPortName, panelPortWindow } from './messages';

describe('hasKind', () => {
  it('accepts objects with a string kind and refuses anything else', () => {
    expect(hasKind({ kind: 'page/seek', seconds: 3 })).toBe(true);
    expect(hasKind({ kind: 3 })).toBe(false);
    expect(hasKind(null)).toBe(false);
    expect(hasKind('page/seek')).toBe(false);
  });
});

describe('the panel port’s name', () => {
  it('carries the panel’s window there and back', () => {
    expect(panelPortWindow(panelPortName(1_234_567))).toEqual({ windowId: 1_234_567 });
  });

  it('is the bare port name without a window', () => {
    expect(panelPortName(null)).toBe(PANEL_PORT);
    expect(panelPortWindow(PANEL_PORT)).toEqual({ windowId: null });
  });

  it('is no panel port for any other name', () => {
    expect(panelPortWindow('')).toBeNull();
    expect(panelPortWindow('lossy-panel/window/')).toBeNull();
    expect(panelPortWindow('lossy-panel/window/1x')).toBeNull();
    expect(panelPortWindow('other/window/1')).toBeNull();
  });
});
