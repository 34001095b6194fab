// Browser tests of the workspace's tools around the coding flow: user administration, claim release,
// reopening, query withdrawal, the code hierarchy in the edit dialog and diagnosis sequencing (setup in
// ./e2e-setup.ts). Notes that must start coded or queried are brought there through the review queries,
// as the API would; everything the test is about is done in the browser, by keyboard and by mouse.
import path from 'node:path';
import { and, asc, eq, isNotNull } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimNote, decide, finalizeNote, sendQuery } from '../server/db/queries/reviews.ts';
import { findUserForLogin } from '../server/db/queries/users.ts';
import { decisions, notes, suggestions, users } from '../server/db/schema/index.ts';
import type { Encounter } from '../server/pipeline/types.ts';
import { browserAvailable, RESULTS, startWorkspace, type TestNote, type Workspace } from './e2e-setup.ts';
import { suggestionAt } from '../server/pipeline/fixtures/suggestion.ts';

const runnable = browserAvailable('web/review-tools.test.ts');

const DM = 'Assessment: type 2 diabetes mellitus with hyperglycemia, HbA1c 9.8%. Essential hypertension.\n';
const HF =
  'Admitted with shortness of breath and bilateral leg edema; BNP 1,450 pg/mL.\n' +
  'Assessment: acute on chronic systolic heart failure. Essential hypertension. Mixed hyperlipidemia.\n';
const outpatient: Encounter = { setting: 'outpatient', dateOfService: '2025-11-04' };
const note = (externalId: string, text: string, encounter = outpatient): TestNote['note'] => ({ externalId, format: 'json', text, encounter });

const NOTES: TestNote[] = [
  { note: note('t-claim', DM), suggestions: [suggestionAt(DM, 'Essential hypertension', 'I10', 'Essential (primary) hypertension')] },
  { note: note('t-reopen', DM), suggestions: [suggestionAt(DM, 'Essential hypertension', 'I10', 'Essential (primary) hypertension')] },
  { note: note('t-query', DM), suggestions: [suggestionAt(DM, 'type 2 diabetes mellitus with hyperglycemia', 'E11.9', 'Type 2 diabetes mellitus without complications')] },
  { note: note('t-hierarchy', DM), suggestions: [suggestionAt(DM, 'type 2 diabetes mellitus with hyperglycemia', 'E11.9', 'Type 2 diabetes mellitus without complications')] },
  {
    note: note('t-sequence', HF, { setting: 'inpatient', dateOfService: '2025-11-04' }),
    suggestions: [
      suggestionAt(HF, 'Essential hypertension', 'I10', 'Essential (primary) hypertension'),
      suggestionAt(HF, 'Mixed hyperlipidemia', 'E78.2', 'Mixed hyperlipidemia'),
      suggestionAt(HF, 'acute on chronic systolic heart failure', 'I50.23', 'Acute on chronic systolic (congestive) heart failure'),
    ],
  },
];

describe.skipIf(!runnable)('review tools in Chromium', () => {
  let ws: Workspace;
  let ids: Record<string, string>;

  const version = async (noteId: string) => (await ws.database.db.select({ v: notes.version }).from(notes).where(eq(notes.id, noteId)))[0]!.v;
  const actor = async (username: string) => (await findUserForLogin(ws.database.db, username))!;
  const open = async (page: Page, externalId: string) => {
    await page.goto(`${ws.base}/notes/${ids[externalId]}`);
    return page.getByTestId('note-view');
  };

  beforeAll(async () => {
    ws = await startWorkspace(NOTES);
    ids = Object.fromEntries(NOTES.map((n, i) => [n.note.externalId!, ws.noteIds[i]!]));
    const db = ws.database.db;
    const coder = await actor('coder');
    const physician = await actor('physician');
    const now = new Date();

    // t-reopen: accepted and finalized by the coder.
    await claimNote(db, { noteId: ids['t-reopen']!, version: await version(ids['t-reopen']!), actor: coder, now });
    const [s] = await db.select().from(suggestions).where(eq(suggestions.noteId, ids['t-reopen']!));
    await decide(db, { noteId: ids['t-reopen']!, version: await version(ids['t-reopen']!), actor: coder, now, input: { action: 'accept', suggestionId: s!.id } });
    await finalizeNote(db, { noteId: ids['t-reopen']!, version: await version(ids['t-reopen']!), actor: coder, now });

    // t-query: the coder asked the physician about the diabetes.
    const at = DM.indexOf('HbA1c 9.8%');
    await claimNote(db, { noteId: ids['t-query']!, version: await version(ids['t-query']!), actor: coder, now });
    await sendQuery(db, {
      noteId: ids['t-query']!,
      version: await version(ids['t-query']!),
      actor: coder,
      now,
      input: { toUser: physician.id, purpose: 'specificity', kind: 'open_ended', question: 'Please clarify the type and any complications of the diabetes.', indicators: [{ start: at, end: at + 'HbA1c 9.8%'.length }], options: [] },
    });
  }, 120_000);

  afterAll(async () => {
    await ws?.close();
  });

  it('an admin adds a user, changes the role and deactivates; other roles have no Users page', async () => {
    const coder = await ws.signIn('coder');
    await coder.getByRole('link', { name: 'Queue' }).waitFor();
    expect(await coder.getByRole('link', { name: 'Users' }).count()).toBe(0);

    const admin = await ws.signIn('admin');
    await admin.getByRole('link', { name: 'Users' }).click();
    await admin.locator('tr[data-username="coder"]').waitFor();
    const form = admin.getByRole('form', { name: 'Add a user' });
    await form.getByLabel('Username').fill('jdoe');
    await form.getByLabel('Display name').fill('Jordan Doe, CCS');
    await form.getByLabel('Role').selectOption('coder');
    await form.getByLabel('Password', { exact: true }).fill('short');
    await form.getByRole('button', { name: 'Add user' }).click();
    await expect.poll(() => admin.getByRole('alert').textContent()).toContain('at least 12 characters');
    await form.getByLabel('Password', { exact: true }).fill('a long enough password');
    await form.getByRole('button', { name: 'Add user' }).click();
    const row = admin.locator('tr[data-username="jdoe"]');
    await row.waitFor();
    expect(await row.textContent()).toContain('Jordan Doe, CCS');

    // The new user can sign in with the password the admin set.
    const jdoe = await ws.signIn('jdoe', 'a long enough password');
    expect(await jdoe.getByTestId('who').textContent()).toContain('Jordan Doe, CCS');

    // A role change and a deactivation wait for confirmation; Cancel changes nothing.
    const confirm = admin.getByTestId('confirm-change');
    await row.getByLabel('Role of jdoe').selectOption('qa_lead');
    expect(await confirm.textContent()).toContain('from Coder to QA lead');
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    expect((await ws.database.db.select().from(users).where(eq(users.username, 'jdoe')))[0]!.role).toBe('coder');
    await row.getByLabel('Role of jdoe').selectOption('qa_lead');
    await confirm.getByRole('button', { name: 'Confirm' }).click();
    await expect.poll(() => admin.getByRole('status').textContent()).toContain('role is now QA lead');

    // Display name and a generated password from the row's editor; the generated password signs in.
    await row.getByRole('button', { name: 'Edit' }).click();
    const editor = admin.getByTestId('edit-user');
    await editor.getByLabel('Display name').fill('Jordan Doe, RHIT');
    await editor.getByRole('button', { name: 'Save name' }).click();
    await expect.poll(() => row.textContent()).toContain('Jordan Doe, RHIT');
    await row.getByRole('button', { name: 'Edit' }).click();
    await editor.getByRole('button', { name: 'Generate a password' }).click();
    await expect.poll(() => admin.getByRole('status').textContent()).toContain('Password (shown once');
    const generated = /shown once, pass it on now\): (\S+)/.exec((await admin.getByRole('status').textContent())!)![1]!;
    const renamed = await ws.signIn('jdoe', generated);
    expect(await renamed.getByTestId('who').textContent()).toContain('Jordan Doe, RHIT');

    await row.getByRole('button', { name: 'Deactivate' }).click();
    await confirm.getByRole('button', { name: 'Confirm' }).click();
    await expect.poll(() => row.getByTestId('user-status').textContent()).toBe('Deactivated');
    await admin.screenshot({ path: path.join(RESULTS, 'users.png') });

    // The server keeps one active admin: the page shows its refusal and the row stays as it was.
    const self = admin.locator('tr[data-username="admin"]');
    await self.getByLabel('Role of admin').selectOption('coder');
    await confirm.getByRole('button', { name: 'Confirm' }).click();
    await expect.poll(() => admin.getByRole('alert').textContent()).toContain('last active admin');
    await expect.poll(() => self.getByLabel('Role of admin').inputValue()).toBe('admin');
    expect(await self.getByTestId('user-status').textContent()).toBe('Active');
    const [stored] = await ws.database.db.select().from(users).where(eq(users.username, 'jdoe'));
    expect([stored?.role, stored?.active]).toEqual(['qa_lead', false]);
  });

  it("an admin releases a coder's claim", async () => {
    const coder = await ws.signIn('coder');
    const view = await open(coder, 't-claim');
    // Reading does not claim; "Start coding" does.
    await expect.poll(() => view.getAttribute('data-status')).toBe('suggested');
    await coder.getByRole('button', { name: 'Start coding' }).click();
    await expect.poll(() => view.getAttribute('data-status')).toBe('in_review');

    const admin = await ws.signIn('admin');
    const adminView = await open(admin, 't-claim');
    await admin.getByText('Claimed by Casey Coder, CCS').waitFor();
    await admin.getByRole('button', { name: 'Release claim' }).click();
    await admin.getByText('Claimed by').waitFor({ state: 'detached' });
    await expect.poll(() => adminView.getAttribute('data-status')).toBe('in_review');
    await coder.reload();
    // The claim is free: the coder takes it again with "Start coding".
    await coder.getByRole('button', { name: 'Start coding' }).click();
    await coder.getByText('Claimed by Casey Coder, CCS').waitFor();
  });

  it('a QA lead reopens a coded note with a reason', async () => {
    const qa = await ws.signIn('qa');
    const view = await open(qa, 't-reopen');
    await expect.poll(() => view.getAttribute('data-status')).toBe('coded');
    await qa.getByRole('button', { name: 'Reopen' }).click();
    const dialog = qa.getByTestId('dialog-reopen');
    await dialog.getByLabel('Reason').fill('Hypertension documented as secondary on re-review');
    await dialog.getByRole('button', { name: 'Reopen' }).click();
    await expect.poll(() => view.getAttribute('data-status')).toBe('in_review');
    await qa.screenshot({ path: path.join(RESULTS, 'reopened.png') });
  });

  it('a coder withdraws an unanswered query', async () => {
    const coder = await ws.signIn('coder');
    const view = await open(coder, 't-query');
    await expect.poll(() => view.getAttribute('data-status')).toBe('query_pending');
    const card = coder.locator('[data-query-id]');
    await expect.poll(() => card.getAttribute('data-status')).toBe('sent');
    await card.getByRole('button', { name: 'Withdraw' }).click();
    await expect.poll(() => card.getAttribute('data-status')).toBe('withdrawn');
    await expect.poll(() => view.getAttribute('data-status')).toBe('in_review');
  });

  it('the edit dialog shows the hierarchy and notes of the highlighted code; a sibling is picked by keyboard', async () => {
    const coder = await ws.signIn('coder');
    const view = await open(coder, 't-hierarchy');
    await expect.poll(() => view.getAttribute('data-status')).toBe('suggested');
    await coder.locator('[data-suggestion-id][data-code="E11.9"]').click();
    await coder.keyboard.press('e');
    const dialog = coder.getByTestId('dialog-edit');
    await dialog.getByLabel('Search codes').fill('hyperglycemia');
    await dialog.locator('button[data-code="E11.65"]').hover();

    const detail = dialog.getByTestId('code-detail');
    await expect.poll(() => detail.getAttribute('data-code')).toBe('E11.65');
    await detail.locator('[data-rel="parent"][data-rel-code="E11.6"]').waitFor();
    await expect.poll(() => detail.locator('[data-rel="sibling"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-rel-code')))).toEqual(['E11.69']);
    const inherited = detail.locator('dd[data-kind="use_additional"][data-from="E11"]');
    expect(await inherited.textContent()).toContain('insulin (Z79.4)');
    expect(await inherited.textContent()).toContain('from E11');
    await coder.screenshot({ path: path.join(RESULTS, 'edit-hierarchy.png') });

    // A header opens its own place: E11.6 lists its children; back returns to the highlighted hit.
    await detail.locator('[data-rel="parent"]').click();
    await expect.poll(() => detail.getAttribute('data-code')).toBe('E11.6');
    await expect.poll(() => detail.locator('[data-rel="child"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-rel-code')))).toEqual(['E11.65', 'E11.69']);
    // The focus moved into what opened (its first code), not back to the page.
    expect(await coder.evaluate(() => document.activeElement?.getAttribute('data-rel-code'))).toBe('E11');
    await dialog.getByRole('button', { name: /Back to/ }).click();
    await expect.poll(() => detail.getAttribute('data-code')).toBe('E11.65');

    // Keyboard: focus the sibling and press Enter, then Enter again to confirm the replacement.
    await detail.locator('[data-rel="sibling"][data-rel-code="E11.69"]').focus();
    await coder.keyboard.press('Enter');
    expect(await dialog.getByTestId('confirm-replace').textContent()).toContain('Replace E11.9 with E11.69');
    await coder.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => coder.locator('[data-suggestion-id][data-code="E11.9"]').getByTestId('decision').textContent()).toContain('Edited to E11.69');
  });

  it('dragging a diagnosis, or moving it with the buttons, changes the principal', async () => {
    const coder = await ws.signIn('coder');
    const view = await open(coder, 't-sequence');
    await coder.getByRole('button', { name: 'Start coding' }).click();
    await expect.poll(() => view.getAttribute('data-status')).toBe('in_review');
    // Accept all three with the keyboard (a moves on to the next undecided).
    await coder.locator('[data-suggestion-id][data-code="I10"]').click();
    for (let i = 0; i < 3; i++) {
      const before = await view.getAttribute('data-version');
      await coder.locator('body').press('a');
      await expect.poll(() => view.getAttribute('data-version')).not.toBe(before);
    }
    const list = coder.getByTestId('diagnosis-sequence');
    const item = (code: string) => list.locator(`li[data-code="${code}"]`);
    const order = () => list.locator('li').evaluateAll((els) => els.map((e) => e.getAttribute('data-code')));
    await expect.poll(() => list.locator('li').count()).toBe(3);
    const initial = await order();

    // Mouse: drag the last diagnosis onto the first.
    const last = initial[2]!;
    await item(last).dragTo(item(initial[0]!));
    await expect.poll(order).toEqual([last, initial[0], initial[1]]);
    await expect.poll(() => item(last).getAttribute('data-rank')).toBe('1');
    expect(await item(last).textContent()).toContain('principal');

    // Keyboard: move the principal down one.
    await item(last).getByRole('button', { name: `Move ${last} down` }).focus();
    await coder.keyboard.press('Enter');
    await expect.poll(order).toEqual([initial[0], last, initial[1]]);
    await expect.poll(() => item(initial[0]!).getAttribute('data-rank')).toBe('1');
    await coder.screenshot({ path: path.join(RESULTS, 'sequence.png') });

    const ranked = await ws.database.db
      .select({ code: decisions.code, rank: decisions.rank })
      .from(decisions)
      .where(and(eq(decisions.noteId, ids['t-sequence']!), isNotNull(decisions.rank)))
      .orderBy(asc(decisions.rank));
    expect(ranked.map((r) => r.code)).toEqual([initial[0], last, initial[1]]);
  });
});
