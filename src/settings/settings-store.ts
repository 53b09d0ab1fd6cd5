// Site settings as key/value rows holding JSON. Typed access lives in settings-service.ts.
import type { Db } from '../db/connect.js';

export async function readSettings(db: Db): Promise<Map<string, unknown>> {
  const rows = await db.selectFrom('settings').select(['key', 'value']).execute();
  return new Map(rows.map((r) => [r.key, JSON.parse(r.value) as unknown]));
}

export async function readSetting(db: Db, key: string): Promise<unknown> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
  return row ? (JSON.parse(row.value) as unknown) : undefined;
}

/**
 * Reads one setting and parses it with `parse`, which runs again only when the stored text has
 * changed since the last read: every read still asks the database, so a change made by another
 * process counts at once. The value is frozen, being shared by every caller.
 */
export function parsedSetting<T extends object>(key: string, parse: (value: unknown) => T): (db: Db) => Promise<T> {
  let last: { text: string | undefined; value: T } | undefined;
  return async (db) => {
    const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
    const text = row?.value;
    if (last && last.text === text) return last.value;
    const value = deepFreeze(parse(text === undefined ? undefined : (JSON.parse(text) as unknown)));
    last = { text, value };
    return value;
  };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

export async function writeSetting(db: Db, key: string, value: unknown, now: number): Promise<void> {
  const json = JSON.stringify(value);
  await db
    .insertInto('settings')
    .values({ key, value: json, updated_at: now })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: json, updated_at: now }))
    .execute();
}

/** Inserts the value only if the key is absent; returns the value that is stored afterwards. */
export async function writeSettingOnce(db: Db, key: string, value: unknown, now: number): Promise<unknown> {
  await db
    .insertInto('settings')
    .values({ key, value: JSON.stringify(value), updated_at: now })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  return readSetting(db, key);
}
