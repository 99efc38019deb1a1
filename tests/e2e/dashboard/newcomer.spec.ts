// The first walk through Lossy, as README.md's "Trying it" describes it: a fresh install, the
// printed admin password, a note spoken through GraphiQL, then the library and the video page,
// an edit, and a second note arriving live.

import { signIn } from '../rig/api';
import { expect, test } from '../rig/fixtures';
import { runOperation } from '../rig/graphiql';
import { startServer } from '../rig/server';

test('a newcomer signs in, speaks a note through GraphiQL, edits it and sees the next arrive', async ({
  page,
}) => {
  const fresh = await startServer({ generatedAdminPassword: true });
  try {
    await page.goto(fresh.origin);
    await expect(page.getByTestId('first-sign-in-hint')).toBeVisible();
    await page.getByLabel('Email').fill(fresh.adminEmail);
    await page.getByLabel('Password').fill(fresh.adminPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('heading', { name: 'Library' })).toBeVisible();

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'GraphiQL' }).click();
    await expect(page.locator('.graphiql-query-editor')).toBeVisible({ timeout: 15_000 });
    const detected = await runOperation(
      page,
      // One line each: the editor closes brackets as they are typed.
      'mutation Detect { detectVideo(input: { url: "https://www.youtube.com/watch?v=aqz-KE-bpKQ", ' +
        'title: "Big Buck Bunny", durationSeconds: 596, tabId: 1, pageInstanceId: "graphiql" }) { id } }',
      '"id"',
    );
    const videoId = /"id": "([0-9a-f-]{36})"/.exec(detected)?.[1];
    expect(videoId).toBeTruthy();
    await runOperation(
      page,
      `mutation Speak { submitTranscript(input: { utteranceId: "first-note", videoId: "${videoId}", ` +
        'mediaTime: 42, durationMs: 1800, text: "the music is too loud here", confidence: 0.9, ' +
        'source: "graphiql" }) { id } }',
      '"submitTranscript"',
    );

    await page.getByRole('link', { name: 'Lossy' }).click();
    const title = page.getByRole('link', { name: 'Big Buck Bunny' });
    await expect(page.getByRole('article').filter({ has: title })).toContainText('1 note');
    await title.click();
    const first = page.getByRole('article', { name: 'Note at 0:42' });
    await expect(first).toContainText(/the music is too loud here/i);

    await first.getByRole('button', { name: /^Edit/ }).click();
    const text = page.getByRole('textbox', { name: 'Text' });
    await text.fill('the music drowns the dialogue here');
    await text.press('Enter');
    await expect(first).toContainText('the music drowns the dialogue here');

    // Another client (a second GraphiQL tab, the extension) speaks again: it appears live.
    const admin = await signIn(fresh, { email: fresh.adminEmail, password: fresh.adminPassword });
    await admin.graphql(
      `mutation($input: SubmitTranscriptInput!) { submitTranscript(input: $input) { id } }`,
      {
        input: {
          utteranceId: 'second-note',
          videoId,
          mediaTime: 75,
          durationMs: 1500,
          text: 'cut this pause shorter',
          confidence: 0.9,
          source: 'graphiql',
        },
      },
    );
    await expect(page.getByRole('article', { name: 'Note at 1:15' })).toContainText(
      /cut this pause shorter/i,
    );
    const stored = await admin.graphql<{ notes: { nodes: { text: string }[] } }>(
      `query($id: ID!) { notes(videoId: $id) { nodes { text } } }`,
      { id: videoId },
    );
    expect(stored.notes.nodes.map((n) => n.text)).toContain('the music drowns the dialogue here');
  } finally {
    await fresh.stop();
  }
});
