// Fedify's key-value store (cached remote documents and keys, seen activity ids, follower pages) on
// the site's database, so every process shares it and it outlives a restart.
import type { KvKey, KvStore, KvStoreSetOptions } from '@fedify/fedify';
import type { Db } from '../db/connect.js';

export function createDbKvStore(db: Db, now: () => number): KvStore {
  const keyOf = (key: KvKey) => JSON.stringify(key);
  return {
    async get<T = unknown>(key: KvKey): Promise<T | undefined> {
      const row = await db.selectFrom('fed_kv').select(['value', 'expires_at']).where('key', '=', keyOf(key)).executeTakeFirst();
      if (!row) return undefined;
      if (row.expires_at !== null && Number(row.expires_at) <= now()) {
        await db.deleteFrom('fed_kv').where('key', '=', keyOf(key)).execute();
        return undefined;
      }
      return JSON.parse(row.value) as T;
    },
    async set(key: KvKey, value: unknown, options?: KvStoreSetOptions): Promise<void> {
      const ttl = options?.ttl?.total({ unit: 'millisecond' });
      const row = { key: keyOf(key), value: JSON.stringify(value), expires_at: ttl === undefined ? null : now() + ttl };
      await db
        .insertInto('fed_kv')
        .values(row)
        .onConflict((oc) => oc.column('key').doUpdateSet({ value: row.value, expires_at: row.expires_at }))
        .execute();
    },
    async delete(key: KvKey): Promise<void> {
      await db.deleteFrom('fed_kv').where('key', '=', keyOf(key)).execute();
    },
  };
}
