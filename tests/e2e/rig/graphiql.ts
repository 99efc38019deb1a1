// Driving the GraphiQL page like a person: typing an operation in its editor and running it.

import { expect, type Page } from '@playwright/test';

/** Replaces the operation editor's text with `text`; tries again while the editor (Monaco,
 * which starts a moment after it shows) has not taken it. */
export async function typeOperation(page: Page, text: string): Promise<void> {
  const editor = page.locator('.graphiql-query-editor');
  const firstLine = text.split('\n')[0]!.trim();
  await expect
    .poll(
      async () => {
        await editor.click();
        await page.keyboard.press('ControlOrMeta+KeyA');
        await page.keyboard.press('Delete');
        await page.keyboard.insertText(text);
        const shown = (await editor.locator('.view-lines').textContent()) ?? '';
        return shown.replace(/\u00a0/g, ' ').startsWith(firstLine);
      },
      { timeout: 15_000, intervals: [500, 1000] },
    )
    .toBe(true);
}

/** The result pane's text, with the editor's non-breaking spaces made plain. */
export async function responseText(page: Page): Promise<string> {
  const text = (await page.locator('.graphiql-response').textContent()) ?? '';
  return text.replace(/\u00a0/g, ' ');
}

export function executeButton(page: Page) {
  return page.getByRole('button', { name: 'Execute query (Ctrl-Enter)' });
}

/**
 * Runs `text` until the response matches `expected`, and answers the response. GraphiQL reads
 * the operation name a moment after an edit, so a click right after typing can still send the
 * previous one; a query or an idempotent mutation can simply run again.
 */
export async function runOperation(
  page: Page,
  text: string,
  expected: string | RegExp,
): Promise<string> {
  await typeOperation(page, text);
  let last = '';
  await expect
    .poll(
      async () => {
        await executeButton(page).click();
        last = await responseText(page);
        return typeof expected === 'string' ? last.includes(expected) : expected.test(last);
      },
      { timeout: 15_000, intervals: [500, 1000] },
    )
    .toBe(true);
  return last;
}
