/**
 * What administration needs from a store, run against MemoryStore and a real RedisStore: the
 * read-token registry with revocation told to every listener, the audit log (newest first,
 * filtered, trimmed by retention) and sign-in sessions that expire.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEntry, TokenRecord } from '../../../server/store/admin-records.js';
import type { ResponseStore } from '../../../server/store/response-store.js';
import { eventually } from '../../support/harness.js';
import { STORE_SUBJECTS, type StoreSubject } from './store-subjects.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function tokenRecord(overrides: Partial<TokenRecord> = {}): TokenRecord {
  return {
    id: randomUUID(),
    surveyId: 'survey-a',
    scopes: ['stats'],
    label: 'TV reception Norrby',
    createdAt: new Date().toISOString(),
    expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    revokedAt: null,
    ...overrides,
  };
}

function auditEntry(at: number, overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    id: randomUUID(),
    at: new Date(at).toISOString(),
    actor: 'admin-token',
    action: 'survey.put',
    surveyId: 'survey-a',
    target: 'survey-a',
    ...overrides,
  };
}

describe.each(STORE_SUBJECTS)('admin additions to the store contract: %s', (_name, makeStore) => {
  let subject: StoreSubject;
  let store: ResponseStore;
  beforeEach(async () => {
    subject = await makeStore();
    store = subject.store;
  });
  afterEach(() => subject.cleanup());

  describe('read-token registry', () => {
    it('records tokens and lists the unexpired ones newest first, per survey', async () => {
      const older = tokenRecord({ createdAt: new Date(Date.now() - 60_000).toISOString(), areaIds: ['norrby'] });
      const newer = tokenRecord();
      const other = tokenRecord({ surveyId: 'survey-b' });
      for (const token of [older, newer, other]) await store.recordToken(token);
      expect(await store.listTokens('survey-a')).toEqual([newer, older]);
      expect((await store.listTokens()).map((token) => token.id).sort()).toEqual([older.id, newer.id, other.id].sort());
      expect(await store.getToken(older.id)).toEqual(older);
      expect(await store.getToken(randomUUID())).toBeUndefined();
    });

    it('forgets a token at its own expiry, revoked or not', async () => {
      const short = tokenRecord({ expiresAt: new Date(Date.now() + 300).toISOString() });
      await store.recordToken(short);
      await store.revokeToken(short.id, new Date().toISOString());
      expect((await store.getToken(short.id))?.revokedAt).not.toBeNull();
      await sleep(450);
      expect(await store.getToken(short.id)).toBeUndefined();
      expect(await store.listTokens('survey-a')).toEqual([]);
      expect(await store.revokeToken(short.id, new Date().toISOString())).toBeUndefined();
    });

    it('revokes once (the first time stays) and tells its listeners', async () => {
      const token = tokenRecord();
      await store.recordToken(token);
      const told: TokenRecord[] = [];
      store.onTokenRevoked((revoked) => told.push(revoked));
      const first = '2026-11-30T10:00:00.000Z';
      expect(await store.revokeToken(token.id, first)).toEqual({ ...token, revokedAt: first });
      expect(await store.revokeToken(token.id, '2026-11-30T11:00:00.000Z')).toEqual({ ...token, revokedAt: first });
      expect(await store.getToken(token.id)).toEqual({ ...token, revokedAt: first });
      expect((await store.listTokens('survey-a'))[0]?.revokedAt).toBe(first);
      await eventually(() => told.length >= 1, 'the revocation to reach the listener');
      expect(told[0]).toEqual({ ...token, revokedAt: first });
      expect(await store.revokeToken(randomUUID(), first)).toBeUndefined();
    });
  });

  describe('audit log', () => {
    it('lists entries newest first, filtered by survey and action, up to the limit', async () => {
      const now = Date.now();
      const entries = [
        auditEntry(now - 3000),
        auditEntry(now - 2000, { action: 'token.mint', target: 'jti-1' }),
        auditEntry(now - 1000, { surveyId: 'survey-b', target: 'survey-b' }),
        auditEntry(now, { action: 'token.revoke', target: 'jti-1' }),
      ];
      for (const entry of [entries[2], entries[0], entries[3], entries[1]]) await store.recordAudit(entry as AuditEntry, 86_400_000);
      expect(await store.listAudit({ limit: 10 })).toEqual([...entries].reverse());
      expect(await store.listAudit({ limit: 2 })).toEqual([entries[3], entries[2]]);
      expect(await store.listAudit({ surveyId: 'survey-a', limit: 10 })).toEqual([entries[3], entries[1], entries[0]]);
      expect(await store.listAudit({ surveyId: 'survey-a', action: 'survey.put', limit: 10 })).toEqual([entries[0]]);
      expect(await store.listAudit({ action: 'text.delete', limit: 10 })).toEqual([]);
    });

    it('drops entries older than the retention', async () => {
      const now = Date.now();
      const old = auditEntry(now - 10_000);
      const recent = auditEntry(now - 1000);
      await store.recordAudit(old, 86_400_000);
      await store.recordAudit(recent, 5000);
      expect(await store.listAudit({ limit: 10 })).toEqual([recent]);
    });
  });

  describe('sessions', () => {
    it('keeps a session until its time is up, and deletes it on request', async () => {
      const id = randomUUID();
      await store.putSession(id, { email: 'anna@example.com', csrf: 'c', expiresAt: 1 }, 60_000);
      expect(await store.getSession(id)).toEqual({ email: 'anna@example.com', csrf: 'c', expiresAt: 1 });
      await store.deleteSession(id);
      expect(await store.getSession(id)).toBeUndefined();

      const short = randomUUID();
      await store.putSession(short, { email: 'anna@example.com' }, 200);
      expect(await store.getSession(short)).toBeDefined();
      await sleep(350);
      expect(await store.getSession(short)).toBeUndefined();
    });
  });
});
