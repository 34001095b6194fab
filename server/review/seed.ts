import type { Db } from '../db/client.ts';
import { insertNotes, type NewNote } from '../db/queries/notes.ts';
import { countUsers, createUser } from '../db/queries/users.ts';
import type { Role } from '../db/schema/index.ts';
import { generatePassword, hashPassword } from '../auth/password.ts';

/** One demo account per role. */
export const DEMO_USERS: { username: string; displayName: string; role: Role }[] = [
  { username: 'coder', displayName: 'Casey Coder, CCS', role: 'coder' },
  { username: 'physician', displayName: 'Dr. Priya Raman', role: 'physician' },
  { username: 'qa', displayName: 'Quinn Lee, RHIA (QA)', role: 'qa_lead' },
  { username: 'admin', displayName: 'Ada Admin', role: 'admin' },
];

/** Short fictional notes (no real patient) covering common coding situations; written for medcode. */
export const DEMO_NOTES: NewNote[] = [
  {
    externalId: 'demo-1',
    format: 'json',
    encounter: { setting: 'outpatient', dateOfService: '2025-11-04', patient: { age: 58, sex: 'male' } },
    text:
      'Chief complaint: follow-up of diabetes and blood pressure.\n' +
      'HPI: 58-year-old man with type 2 diabetes mellitus on metformin. Home glucose readings 250–300 mg/dL for two weeks; HbA1c today 9.8%.\n' +
      'Blood pressure 152/94 on lisinopril 10 mg.\n' +
      'Assessment:\n1. Type 2 diabetes mellitus with hyperglycemia.\n2. Essential hypertension, not at goal.\n' +
      'Plan: add empagliflozin 10 mg daily; increase lisinopril to 20 mg daily; recheck in 6 weeks.\n',
  },
  {
    externalId: 'demo-2',
    format: 'json',
    encounter: { setting: 'inpatient', dateOfService: '2025-10-18', patient: { age: 81, sex: 'female' } },
    text:
      'Admission H&P\n' +
      'HPI: 81-year-old woman who tripped on a rug at home and fell onto her left side; unable to bear weight.\n' +
      'Imaging: X-ray shows a displaced fracture of the left femoral neck.\n' +
      'PMH: osteoporosis, hypertension.\n' +
      'Assessment: closed displaced fracture of the left femoral neck due to fall at home. Osteoporosis. Hypertension.\n' +
      'Plan: orthopedics consulted for left hip hemiarthroplasty; DVT prophylaxis; pain control.\n',
  },
  {
    externalId: 'demo-3',
    format: 'json',
    encounter: { setting: 'outpatient', dateOfService: '2025-12-02', patient: { age: 44, sex: 'female' } },
    text:
      'Urgent care visit\n' +
      'HPI: cough and low-grade fever for 4 days. No shortness of breath.\n' +
      'Exam: lungs clear to auscultation. SpO2 98%.\n' +
      'Chest X-ray: no infiltrate; no evidence of pneumonia.\n' +
      'Assessment: acute bronchitis. Pneumonia ruled out.\n' +
      'Plan: supportive care, fluids, return if worse.\n',
  },
  {
    externalId: 'demo-4',
    format: 'json',
    encounter: { setting: 'outpatient', dateOfService: '2026-01-15', patient: { age: 39, sex: 'female' } },
    text:
      'Preventive visit\n' +
      'Family history of breast cancer: mother diagnosed at 46, maternal aunt at 52.\n' +
      'No personal history of cancer. Breast exam normal.\n' +
      'Assessment: encounter for routine adult health examination; family history of breast cancer.\n' +
      'Plan: refer for genetic counseling; screening mammogram.\n',
  },
  {
    externalId: 'demo-5',
    format: 'json',
    encounter: { setting: 'inpatient', dateOfService: '2025-11-20', patient: { age: 72, sex: 'male' } },
    text:
      'Progress note, hospital day 2\n' +
      'Admitted with shortness of breath and bilateral leg edema. BNP 1,450 pg/mL. Echo: ejection fraction 30%.\n' +
      'Received IV furosemide 40 mg twice daily with 2 L net diuresis.\n' +
      'History of myocardial infarction in 2019. Chronic kidney disease stage 3a, creatinine 1.6.\n' +
      'Assessment: heart failure, improving. CKD stage 3a.\n' +
      'Plan: continue diuresis; start metoprolol succinate.\n',
  },
];

export interface SeedResult {
  users: { username: string; role: Role; password: string }[];
  notes: number;
}

/**
 * First start only (no users yet): one demo user per role and the demo notes, queued for the worker.
 * All demo users share `password` when given (MEDCODE_DEMO_PASSWORD), else each gets a generated one;
 * the caller shows them once. Undefined when there were users already.
 */
export async function seedDemo(db: Db, opts: { password?: string | undefined } = {}): Promise<SeedResult | undefined> {
  if ((await countUsers(db)) > 0) return undefined;
  const users: SeedResult['users'] = [];
  for (const u of DEMO_USERS) {
    const password = opts.password ?? generatePassword();
    await createUser(db, { ...u, passwordHash: await hashPassword(password) }, null);
    users.push({ username: u.username, role: u.role, password });
  }
  const notes = await insertNotes(db, DEMO_NOTES);
  return { users, notes: notes.length };
}

/** The once-only sign-in sheet printed to stdout at first start (not through the logger). */
export function formatSeedSheet(seed: SeedResult, passwordFromEnv: boolean): string {
  const lines = seed.users.map((u) => `  ${u.username.padEnd(10)} ${u.role.padEnd(10)} ${passwordFromEnv ? '(MEDCODE_DEMO_PASSWORD)' : u.password}`);
  return [
    '',
    `medcode: first start — created ${seed.users.length} demo users and ${seed.notes} demo notes.`,
    passwordFromEnv ? '' : 'These passwords are shown once; change them (PATCH /api/users/{id}) or create real users with `npm run medcode -- users add`.',
    ...lines,
    '',
  ].join('\n');
}
