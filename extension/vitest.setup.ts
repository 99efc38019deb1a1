// Component tests (Testing Library): jest-dom's matchers, and a clean DOM between tests.
import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterEach, beforeAll, vi } from 'vitest';

// jsdom lays nothing out: give elements a size, so the side panel's virtualised note list
// draws its rows.
beforeAll(() => {
  if (typeof HTMLElement === 'undefined') return; // tests in the node environment
  vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(2000);
  vi.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(400);
});

afterEach(() => {
  cleanup();
});
