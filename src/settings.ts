import path from 'node:path';
import { z } from 'zod';
import { AppError } from './model/errors.js';
import { FIRST_ANNUAL_REPORT_RULES, type ReportingRules } from './model/reporting.js';
import { DEFAULT_ALERT_SETTINGS, type AlertSettings } from './model/subscription.js';

/**
 * The only module that reads the environment. Parsed once with zod; a bad variable stops start-up with an error that
 * names it. Everything below receives a Settings object.
 */
const EnvSchema = z.object({
  ATT_DATA_DIR: z.string().min(1).default('./data'),
  ATT_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  ATT_HOST: z.string().min(1).default('0.0.0.0'),
  ATT_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL, e.g. postgres://postgres@127.0.0.1:5432/test')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /** Days after 31 May during which the ATT Secretariat still counts an annual report as on time (Stimson). */
  ATT_REPORTING_GRACE_DAYS: z.coerce.number().int().min(0).max(365).default(7),
  /** Deadlines fall at midnight in this zone; the Secretariat sits in Geneva. */
  ATT_REPORTING_TIME_ZONE: z
    .string()
    .default('Europe/Zurich')
    .refine((zone) => isTimeZone(zone), 'not an IANA time zone such as Europe/Zurich'),
  /** Which calendar year a State's first annual report covers: see docs/data-model.md. */
  ATT_FIRST_ANNUAL_REPORT_RULE: z.enum(FIRST_ANNUAL_REPORT_RULES).default('first-full-year-after-eif'),
  /** SIPRI's terms allow non-commercial use of less than 10 % of the data set: `off` stops SIPRI-derived downloads. */
  ATT_SIPRI_DOWNLOADS: z.enum(['on', 'off']).default('on'),
  /** Reference data directory (CSV facts with sources). */
  ATT_REFERENCE_DIR: z.string().min(1).optional(),
  /** Researcher self-registrations allowed per client address per hour (abuse limit). */
  ATT_REGISTRATIONS_PER_HOUR: z.coerce.number().int().min(1).max(100_000).default(5),
  /** Requests a minute per researcher API key. */
  ATT_API_KEY_REQUESTS_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(60),
  /** The web app's public address, for links in alert emails and webhooks. */
  ATT_PUBLIC_URL: z.string().regex(/^https?:\/\/[^\s/]+/, 'must be an http(s) URL such as https://att.example.org').default('http://localhost:8080'),
  /** Days before a report's due date at which a deadline_approaching alert is raised: one or more, comma-separated. */
  ATT_DEADLINE_ALERT_DAYS: z
    .string()
    .regex(/^\d{1,3}(,\d{1,3})*$/, 'must be days separated by commas, e.g. 30 or 30,7')
    .default('30'),
  /** How often `att serve` raises deadline alerts and works through the outbox. */
  ATT_ALERTS_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  /** Webhook attempts before a delivery is given up (dead). */
  ATT_WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  /** `allow` accepts webhook URLs on this machine or private networks (tests, intranets); refused by default. */
  ATT_WEBHOOK_PRIVATE_ADDRESSES: z.enum(['refuse', 'allow']).default('refuse'),
});

export interface Settings {
  dataDir: string;
  port: number;
  host: string;
  databaseUrl: string | undefined;
  referenceDir: string;
  reporting: ReportingRules;
  /** Whether SIPRI-derived rows may be downloaded (.csv, .xlsx, bulk). */
  sipriDownloads: boolean;
  limits: { registrationsPerHour: number; apiKeyRequestsPerMinute: number };
  alerts: AlertSettings;
  /** Seconds between two alert ticks inside `att serve`. */
  alertsIntervalSeconds: number;
}

export const PROJECT_ROOT = path
  .resolve(path.dirname(new URL(import.meta.url).pathname), '..')
  .replace(/\/dist$/, '');

export function loadSettings(env: Record<string, string | undefined> = process.env): Settings {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const variable = String(issue.path[0] ?? 'environment');
    throw new AppError('config', `environment variable ${variable}: ${issue.message}`, {
      location: { parameter: variable, value: env[variable] },
      hint: `fix or unset ${variable} and start again`,
    });
  }
  const e = parsed.data;
  return {
    dataDir: path.resolve(e.ATT_DATA_DIR),
    port: e.ATT_PORT,
    host: e.ATT_HOST,
    databaseUrl: e.ATT_DATABASE_URL,
    referenceDir: path.resolve(e.ATT_REFERENCE_DIR ?? path.join(PROJECT_ROOT, 'data', 'reference')),
    sipriDownloads: e.ATT_SIPRI_DOWNLOADS === 'on',
    limits: { registrationsPerHour: e.ATT_REGISTRATIONS_PER_HOUR, apiKeyRequestsPerMinute: e.ATT_API_KEY_REQUESTS_PER_MINUTE },
    alerts: {
      publicUrl: e.ATT_PUBLIC_URL,
      deadlineThresholds: e.ATT_DEADLINE_ALERT_DAYS.split(',').map(Number),
      webhook: { ...DEFAULT_ALERT_SETTINGS.webhook, maxAttempts: e.ATT_WEBHOOK_MAX_ATTEMPTS, allowPrivate: e.ATT_WEBHOOK_PRIVATE_ADDRESSES === 'allow' },
    },
    alertsIntervalSeconds: e.ATT_ALERTS_INTERVAL_SECONDS,
    reporting: {
      graceDays: e.ATT_REPORTING_GRACE_DAYS,
      timeZone: e.ATT_REPORTING_TIME_ZONE,
      firstAnnualReportRule: e.ATT_FIRST_ANNUAL_REPORT_RULE,
    },
  };
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch (error) {
    if (error instanceof RangeError) return false;
    throw error;
  }
}
