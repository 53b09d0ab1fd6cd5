// JSON shapes of the email admin API. Times are ISO 8601 UTC.
import type { OutboxRow, SubscriptionRow } from '../db/tables.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function presentOutboxRow(row: OutboxRow) {
  let payload: Record<string, unknown> = {};
  try {
    payload = JSON.parse(row.payload) as Record<string, unknown>;
  } catch {
    // shown without details
  }
  return {
    id: row.id,
    kind: row.kind,
    // The kind of email and its recipient; links and tokens in the payload stay private.
    type: typeof payload.type === 'string' ? payload.type : null,
    to: typeof payload.to === 'string' ? payload.to : null,
    status: row.status,
    attempts: row.attempts,
    lastError: row.last_error,
    nextAttemptAt: iso(row.next_attempt_at),
    createdAt: iso(row.created_at),
    sentAt: iso(row.sent_at),
  };
}

export function presentSubscriber(row: SubscriptionRow) {
  return {
    email: row.email,
    status: row.status,
    source: row.source,
    createdAt: iso(row.created_at),
    confirmedAt: iso(row.confirmed_at),
    unsubscribedAt: iso(row.unsubscribed_at),
  };
}
