import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_EXTERNAL_CAUSE_POLICY, EXTERNAL_CAUSE_POLICIES } from './pipeline/guidelines/external-causes.ts';

// Every environment variable medcode reads, validated once at start (README "Configuration" mirrors this).
const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  MEDCODE_DATA_DIR: z.string().default('./.medcode'),
  DATABASE_URL: z.string().url().optional(),
  EMBEDDING_MODEL: z.string().default('models/medcode-glove-100d'),
  ALLOW_REMOTE_MODELS: z
    .enum(['true', 'false', '1', '0'])
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
  CODESETS_DIR: z.string().default('data/codesets'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  OPENAI_API_KEY: z.string().optional(),
  OPENAI_BASE_URL: z.string().url().optional(),
  LLM_MODEL: z.string().default('gpt-4o-mini'),
  LLM_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),
  LLM_MAX_RETRIES: z.coerce.number().int().min(0).max(10).default(2),
  MAX_NOTE_BYTES: z.coerce.number().int().positive().default(200 * 1024),
  /** The address users open (e.g. https://medcode.example.org behind a proxy): the allowed Origin of state-changing requests. */
  PUBLIC_ORIGIN: z.string().url().optional(),
  /** Behind a reverse proxy: take the client address (sign-in throttling) from the last X-Forwarded-For hop. */
  TRUST_PROXY: z
    .enum(['true', 'false', '1', '0'])
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
  /** Secure session cookie: "auto" = when PUBLIC_ORIGIN or the request is https. */
  COOKIE_SECURE: z.enum(['auto', 'true', 'false']).default('auto'),
  SESSION_IDLE_MINUTES: z.coerce.number().int().positive().default(8 * 60),
  SESSION_MAX_HOURS: z.coerce.number().int().positive().default(24),
  /** Seed demo users and notes on first start (only while there are no users). */
  MEDCODE_DEMO: z
    .enum(['true', 'false', '1', '0'])
    .default('true')
    .transform((v) => v === 'true' || v === '1'),
  /** Note-coding loops `npm start` runs in its own process; 0 = API only, beside `medcode worker` processes on PostgreSQL. */
  MEDCODE_WORKERS: z.coerce.number().int().min(0).max(64).default(1),
  /** How long a worker's claim on a note or evaluation run holds without renewal (renewed every third of it). */
  MEDCODE_LEASE_SECONDS: z.coerce.number().positive().max(3600).default(60),
  /**
   * Which encounters get chapter 20 external cause codes (W19.XXXA …): OCG I.C.20 requires them only under a
   * state mandate or payer rule, mostly for hospital discharge data. none | inpatient | all.
   */
  EXTERNAL_CAUSE_CODES: z.enum(EXTERNAL_CAUSE_POLICIES).default(DEFAULT_EXTERNAL_CAUSE_POLICY),
  /** Password of every demo user; generated (and printed once) when unset. */
  MEDCODE_DEMO_PASSWORD: z.string().min(8).optional(),
});

export type Config = z.infer<typeof EnvSchema> & { dataDir: string; modelCacheDir: string };

/** Reads and validates configuration; a bad value names the variable and what is allowed. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable (FOO= in a shell or .env) means "not set", not "set to the empty string".
  const parsed = EnvSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${issues}`);
  }
  const dataDir = path.resolve(parsed.data.MEDCODE_DATA_DIR);
  return { ...parsed.data, dataDir, modelCacheDir: path.join(dataDir, 'models') };
}
