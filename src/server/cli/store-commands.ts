/** The commands on the store: audit-export, purge, webhooks, webhook-retry. */
import { exportAudit, parseFormat, parseInstant } from '../audit/export.js';
import { purgeAudit } from '../audit/audit-purge.js';
import { purgeTranscripts } from '../member/member-purge.js';
import { purgeCallbacks } from '../callback/callback-store.js';
import { openStore } from '../store/index.js';
import { listDeliveries, retryNow } from '../webhook/deliveries.js';
import { formatDeliveries, parseDeliveryStatus } from '../webhook/webhook-cli.js';
import { UsageError } from './args.js';
import { CONFIG_OPTION, storageConfigFrom } from './command.js';
import type { Command } from './command.js';

/** A value the command's own parser refused (a `RangeError`) is a usage mistake. */
function usage<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    throw error instanceof RangeError ? new UsageError(error.message) : error;
  }
}

export const auditExport: Command = {
  name: 'audit-export',
  usage: 'audit-export [--since ISO] [--until ISO] [--format jsonl|csv] [--config FILE]',
  summary: 'write the audit log to stdout (with the embedded store: server stopped)',
  options: [
    { name: 'since', value: 'ISO', help: 'records at or after this instant (2026-04-01 or 2026-04-01T08:00:00Z)' },
    { name: 'until', value: 'ISO', help: 'records before this instant' },
    { name: 'format', value: 'jsonl|csv', help: 'one JSON object per line (default) or CSV' },
    CONFIG_OPTION,
  ],
  async run(args, io) {
    const range = usage(() => ({
      since: parseInstant('--since', args.text('since')),
      until: parseInstant('--until', args.text('until')),
    }));
    const format = usage(() => parseFormat(args.text('format')));
    const db = await openStore(storageConfigFrom(args, io).storage);
    try {
      await exportAudit(
        db,
        range,
        format,
        (chunk) =>
          new Promise<void>((resolve, reject) => {
            io.out.write(chunk, (error) => (error ? reject(error) : resolve()));
          }),
      );
    } finally {
      await db.close();
    }
    return 0;
  },
};

export const purge: Command = {
  name: 'purge',
  usage: 'purge [--config FILE]',
  summary:
    'delete audit records older than audit.retentionDays and member chat transcripts past member.transcriptRetentionDays now',
  options: [CONFIG_OPTION],
  async run(args, io) {
    const config = storageConfigFrom(args, io);
    const db = await openStore(config.storage);
    try {
      const result = await purgeAudit(db, config.audit.retentionDays);
      io.out.write(
        `purged ${result.events} audit record(s) and ${result.lastTransactions} last transaction(s) older than ` +
          `${result.cutoff.toISOString()} (${config.audit.retentionDays} days)\n`,
      );
      const transcripts = await purgeTranscripts(db);
      io.out.write(
        `purged ${transcripts.chats} member chat transcript(s) with ${transcripts.messages} message(s) past their ` +
          `retention (${config.member.transcriptRetentionDays} days)\n`,
      );
      const callbacks = await purgeCallbacks(db, Date.now());
      io.out.write(
        `purged ${callbacks} callback request(s) past their retention (${config.callbacks.retentionDays} days after ` +
          `done, ${config.callbacks.undoneDays} days after the window when never done)\n`,
      );
    } finally {
      await db.close();
    }
    return 0;
  },
};

export const webhooks: Command = {
  name: 'webhooks',
  usage: 'webhooks [--status failing|pending|delivered] [--config FILE]',
  summary: 'list transcript webhook deliveries (state and times, no content)',
  options: [
    { name: 'status', value: 'failing|pending|delivered', help: 'only the deliveries in this state' },
    CONFIG_OPTION,
  ],
  async run(args, io) {
    const status = usage(() => parseDeliveryStatus(args.text('status')));
    const db = await openStore(storageConfigFrom(args, io).storage);
    try {
      io.out.write(formatDeliveries(await listDeliveries(db, status)));
    } finally {
      await db.close();
    }
    return 0;
  },
};

export const webhookRetry: Command = {
  name: 'webhook-retry',
  usage: 'webhook-retry <CHAT_ID|--all-failing> [--config FILE]',
  summary:
    'make undelivered transcripts due now; a running server (postgres) sends them at its next poll, within 15 s; ' +
    'with the embedded store: server stopped',
  options: [{ name: 'all-failing', help: 'every failing delivery, instead of one CHAT_ID' }, CONFIG_OPTION],
  positionals: 1,
  async run(args, io) {
    const allFailing = args.flag('all-failing');
    const chatId = args.positionals[0];
    if (allFailing === (chatId !== undefined)) throw new UsageError('webhook-retry needs a chat id or --all-failing');
    const db = await openStore(storageConfigFrom(args, io).storage);
    try {
      const touched = await retryNow(db, chatId === undefined ? 'all-failing' : { chatId }, new Date());
      if (chatId !== undefined && touched.length === 0) {
        throw new Error(`no undelivered transcript for chat ${chatId}`);
      }
      io.out.write(`${touched.length} delivery(ies) due now${touched.length > 0 ? `: ${touched.join(', ')}` : ''}\n`);
    } finally {
      await db.close();
    }
    return 0;
  },
};
