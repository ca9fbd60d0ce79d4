import type { Command } from 'commander';
import type { AlertDeps as AppAlertDeps } from '../api/app.js';
import type { Clock } from '../model/clock.js';
import { alertsTick, outboxRun, type AlertDeps } from '../services/alerts.js';
import type { Settings } from '../settings.js';
import { createAlertEventRepository } from '../store/alert-events.js';
import { createAuditLog } from '../store/audit-log.js';
import { createOutboxRepository } from '../store/outbox-repository.js';
import { createReferenceUpkeep } from '../store/reference-upkeep-repository.js';
import { createSubscriptionRepository } from '../store/subscription-repository.js';
import { openContext, type Context } from './context.js';
import type { CliIo } from './main.js';

/** What the alert tick and the outbox worker need, from an open context. */
export function alertDepsFor(context: Context, settings: Settings, clock: Clock): AlertDeps {
  return {
    outbox: createOutboxRepository(context.store),
    reference: context.reference,
    registry: context.registry,
    clock,
    rules: settings.reporting,
    settings: settings.alerts,
  };
}

/** The alerts part of the HTTP app's dependencies (feeds, reference upkeep, subscriptions). */
export function appAlertDepsFor(context: Context, settings: Settings): AppAlertDeps {
  return {
    events: createAlertEventRepository(context.store),
    upkeep: createReferenceUpkeep(context.store),
    subscriptions: createSubscriptionRepository(context.store),
    audit: createAuditLog(context.store),
    webhookPrivateAddresses: settings.alerts.webhook.allowPrivate,
  };
}

/**
 * Runs `tick` every `seconds` inside `att serve`, one run at a time (a slow run is never overlapped); errors are
 * logged and the next run tries again. Returns a function that stops it.
 */
export function startAlertInterval(run: () => Promise<unknown>, seconds: number, log: (text: string) => void): () => Promise<void> {
  let running: Promise<unknown> | undefined;
  const timer = setInterval(() => {
    if (running) return;
    running = run()
      .catch((error: unknown) => log(`att: alerts: ${error instanceof Error ? error.message : String(error)}\n`))
      .finally(() => {
        running = undefined;
      });
  }, seconds * 1000);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}

/** `att alerts tick` and `att outbox run [--once]`. */
export function registerAlertCommands(program: Command, io: CliIo, settings: () => Settings): void {
  program
    .command('alerts')
    .description('alerts: deadline_approaching events and the outbox of subscriptions')
    .command('tick')
    .description('raise deadline_approaching alerts (reports due within ATT_DEADLINE_ALERT_DAYS with nothing received) and enqueue deliveries for new events')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const context = await openContext(settings(), io.clock);
      try {
        const result = await alertsTick(alertDepsFor(context, settings(), io.clock));
        io.out(
          options.json
            ? `${JSON.stringify(result)}\n`
            : `deadlines approaching: ${result.deadlines.approaching}, new alerts: ${result.deadlines.appended}; events read: ${result.enqueued.events}, deliveries enqueued: ${result.enqueued.enqueued}\n`,
        );
      } finally {
        await context.store.close();
      }
    });

  program
    .command('outbox')
    .description('the outbox of alert deliveries (email rows and signed webhooks)')
    .command('run')
    .description('enqueue deliveries for new events, then deliver what is due; without --once, keep running every ATT_ALERTS_INTERVAL_SECONDS')
    .option('--once', 'one pass, then exit')
    .option('--json', 'print JSON')
    .action(async (options: { once?: boolean; json?: boolean }) => {
      const context = await openContext(settings(), io.clock);
      const deps = alertDepsFor(context, settings(), io.clock);
      const pass = async () => {
        const result = await outboxRun(deps);
        const d = result.delivered;
        io.out(
          options.json
            ? `${JSON.stringify(result)}\n`
            : `enqueued: ${result.enqueued.enqueued}; delivered: ${d.delivered}, retrying: ${d.retried}, dead: ${d.dead}, withheld: ${d.withheld}\n`,
        );
      };
      try {
        await pass();
        if (options.once) return;
        await new Promise<void>((resolve) => {
          const stop = startAlertInterval(pass, settings().alertsIntervalSeconds, io.err);
          const end = () => void stop().then(resolve);
          process.once('SIGINT', end);
          process.once('SIGTERM', end);
        });
      } finally {
        await context.store.close();
      }
    });
}
