// GraphiQL is bundled into the app: it loads and works with no network beyond this machine.

import { expect, expectAccessible, test } from '../rig/fixtures';
import { executeButton, responseText, runOperation, typeOperation } from '../rig/graphiql';

test('GraphiQL loads offline and runs a query and a subscription', async ({
  signedInPage: page,
  server,
  reviewer,
  outsideRequests,
}) => {
  await page.goto(server.origin + '/graphiql');
  await expect(page.locator('.graphiql-query-editor')).toBeVisible({ timeout: 15_000 });
  // Our token bar and the page are checked; GraphiQL's own editor (Monaco's colours), tab
  // strip (a close button inside each tab) and logo are the graphiql package's markup.
  await expectAccessible(page, { exclude: ['.monaco-editor', '.graphiql-tabs', '.graphiql-logo'] });

  // Signed in to the web app, the session cookie signs GraphiQL in.
  await runOperation(page, 'query Me { me { email } }', reviewer.credentials.email);

  // The subscription runs over the socket; a change made elsewhere reaches it.
  await typeOperation(page, 'subscription Changed { settingsChanged { cooldownMs } }');
  await expect(page.getByRole('tab', { name: 'Changed' })).toBeVisible();
  await executeButton(page).click();
  let cooldownMs = 700;
  await expect
    .poll(async () => {
      cooldownMs += 1;
      await reviewer.session.graphql(
        `mutation { updateSettings(input: { cooldownMs: ${cooldownMs} }) { version } }`,
      );
      return responseText(page);
    })
    .toMatch(/"cooldownMs": 7\d\d/);

  expect(outsideRequests).toEqual([]);
});

test('GraphiQL with a pasted device token runs as that device', async ({
  page,
  server,
  reviewer,
}) => {
  const device = await reviewer.device();
  await page.goto(server.origin + '/graphiql');
  await page.getByLabel('Token').fill(device.token);
  await page.getByRole('button', { name: 'Use token' }).click();
  await expect(page.locator('.graphiql-query-editor')).toBeVisible({ timeout: 15_000 });
  await runOperation(page, 'query Devices { devices { name current } }', '"current": true');
});
