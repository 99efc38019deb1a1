// Browser tests of the web app (and, later, the extension) against a real `lossy serve`,
// in Debian's Chromium. `bash tests/e2e/run.sh` builds what they need and runs them.

import { defineConfig } from '@playwright/test';

import { CHROMIUM } from './rig/paths';

/** The specs whose microphone is a spoken file Chromium plays in real time. */
const REAL_TIME_AUDIO = /extension\/(capture|speech-endpoint|transcription|voice-speech)\.spec\.ts$/;

export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  globalSetup: './rig/global-setup.ts',
  // Another folder (LOSSY_E2E_OUTPUT) keeps runs that overlap from deleting each other's.
  outputDir: process.env.LOSSY_E2E_OUTPUT ?? './test-results',
  // Two cores: one worker per core, each with its own server.
  workers: process.env.CI ? 2 : undefined,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 5_000 },
  reporter: [
    ['list'],
    [
      'html',
      {
        open: 'never',
        outputFolder: process.env.LOSSY_E2E_OUTPUT
          ? `${process.env.LOSSY_E2E_OUTPUT}-report`
          : './playwright-report',
      },
    ],
  ],
  projects: [
    { name: 'browser', testIgnore: REAL_TIME_AUDIO },
    // Chromium plays a fake microphone's file in real time: on two busy cores it drops audio,
    // and the recogniser then hears a garbled sentence. These specs run after the others, one
    // at a time, so what they measure is the extension and the recogniser, not the machine.
    {
      name: 'speech',
      testMatch: REAL_TIME_AUDIO,
      dependencies: ['browser'],
      workers: 1,
    },
  ],
  use: {
    headless: true,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    actionTimeout: 10_000,
    launchOptions: {
      executablePath: CHROMIUM,
      // Without these Chromium keeps calling home, and this machine's closed network refuses.
      args: [
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-quic',
        '--no-first-run',
      ],
    },
  },
});
