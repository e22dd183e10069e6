// tus uploads of encrypted files (PROTOCOL.md §24): the protocol, every bad input with its stable
// translated code and nothing left behind, resuming after a dropped connection, conformance with
// the reference client (tus-js-client), linking to reports, cleanup, and no plaintext on disk.
import { request } from 'node:http';
import { readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { count, eq } from 'drizzle-orm';
import * as tus from 'tus-js-client';
import { cases, uploads } from '../../db/schema.ts';
import { decryptFile } from '../../protocol/attachment.ts';
import { fromBase64Url } from '../../protocol/encoding.ts';
import { cleanUploads } from '../../server/services/attachments.ts';
import { startTestServer, type TestApp } from '../helpers/app.ts';
import { anonymousClientKey } from '../../server/plugins/rate-limit.ts';
import { TUS, createUpload, idMetadata, newUploadId, patch, sealWithFiles, uploadFile } from '../helpers/evidence.ts';
import { MARKER } from '../fixtures/report.ts';

// One app for the file (setup costs an Argon2id); each test removes what it uploaded.
let t: TestApp & { base: string };
let defaults: TestApp['config']['attachments'];
beforeAll(async () => {
  t = await startTestServer({ config: { submitRateLimit: 1000 } });
  defaults = { ...t.app.files.limits };
});
afterEach(async () => {
  Object.assign(t.app.files.limits, defaults);
  t.db.delete(uploads).run();
  t.app.state.uploads.volume.delete(anonymousClientKey(t.app.state.keys.clientAddress, '127.0.0.1'));
  for (const name of onDisk()) rmSync(join(dir(), name));
});
afterAll(async () => { await t.close(); });
/** This file's app with other limits until the test ends. */
const limit = (changes: Partial<TestApp['config']['attachments']>) => Object.assign(t.app.files.limits, changes);

const dir = () => join(t.dataDir, 'attachments');
const onDisk = () => readdirSync(dir());
const rows = () => t.db.select().from(uploads).all();
const caseCount = () => t.db.select({ n: count() }).from(cases).get()!.n;
const submit = (body: object) => t.app.inject({ method: 'POST', url: '/api/reports', payload: body, headers: { 'content-type': 'application/json' } });

describe('tus uploads', () => {
  it('creates, resumes and completes an upload; the file is private and holds ciphertext only', async () => {
    const options = await t.app.inject({ method: 'OPTIONS', url: '/api/uploads' });
    expect(options.statusCode).toBe(204);
    expect(options.headers).toMatchObject({ 'tus-version': '1.0.0', 'tus-extension': 'creation,termination,expiration', 'tus-max-size': String(10 * 1024 * 1024) });

    const plain = Buffer.from(`A photo of a refusal letter. ${MARKER}`.repeat(3000));
    const { ref, encrypted } = await uploadFile(t.app, plain);
    expect(onDisk()).toEqual([ref.id]);
    expect(statSync(dir()).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir(), ref.id)).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir(), ref.id))).toEqual(encrypted);
    expect(readFileSync(join(dir(), ref.id)).includes(Buffer.from(MARKER))).toBe(false);
    expect(rows()).toEqual([{ id: ref.id, length: encrypted.length, complete: true, caseId: null, messageId: null }]);
    const head = await t.app.inject({ method: 'HEAD', url: `/api/uploads/${ref.id}`, headers: TUS });
    expect(head.statusCode).toBe(200);
    expect(head.headers).toMatchObject({ 'upload-offset': String(encrypted.length), 'upload-length': String(encrypted.length), 'cache-control': 'no-store', 'tus-resumable': '1.0.0' });
    expect(await decryptFile(readFileSync(join(dir(), ref.id)), fromBase64Url(ref.key)!)).toEqual(Uint8Array.from(plain));
  });

  it('answers every bad request with a stable, translated code and keeps nothing of it', async () => {
    const fr = { 'accept-language': 'fr' };
    const noTus = await t.app.inject({ method: 'POST', url: '/api/uploads', headers: { 'upload-length': '100', ...fr } });
    expect(noTus.statusCode).toBe(412);
    expect(noTus.json()).toMatchObject({ code: 'tus_version' });
    expect(noTus.headers['tus-version']).toBe('1.0.0');
    expect(noTus.json().message).not.toBe(JSON.parse(readFileSync('locales/en/errors.json', 'utf8')).tus_version);

    const tooBig = await createUpload(t.app, 10 * 1024 * 1024 + 1);
    expect([tooBig.res.statusCode, tooBig.res.json().code]).toEqual([413, 'file_too_large']);
    const badId = await t.app.inject({ method: 'POST', url: '/api/uploads', headers: { ...TUS, 'upload-length': '10', 'upload-metadata': idMetadata('../../etc/passwd') } });
    expect([badId.statusCode, badId.json().code]).toEqual([400, 'invalid_request']);
    const noLength = await t.app.inject({ method: 'POST', url: '/api/uploads', headers: TUS });
    expect([noLength.statusCode, noLength.json().code]).toEqual([400, 'invalid_request']);

    const { id } = await createUpload(t.app, 100);
    expect((await createUpload(t.app, 100, id)).res.json().code).toBe('upload_exists');
    // Chunks out of order: only the stored offset is accepted.
    const ahead = await patch(t.app, id, 50, new Uint8Array(50));
    expect([ahead.statusCode, ahead.json().code]).toEqual([409, 'upload_offset_mismatch']);
    expect((await patch(t.app, id, 0, new Uint8Array(60))).statusCode).toBe(204);
    const again = await patch(t.app, id, 0, new Uint8Array(60));
    expect([again.statusCode, again.json().code]).toEqual([409, 'upload_offset_mismatch']);
    // Beyond the declared size: refused, and nothing of that request is kept.
    const beyond = await patch(t.app, id, 60, new Uint8Array(41));
    expect([beyond.statusCode, beyond.json().code]).toEqual([413, 'upload_too_large']);
    expect(statSync(join(dir(), id)).size).toBe(60);
    const wrongType = await patch(t.app, id, 60, new Uint8Array(10), { 'content-type': 'application/json' });
    expect([wrongType.statusCode, wrongType.json().code]).toEqual([415, 'unsupported_media_type']);
    // Unknown ids, and ids that are not ids, are simply not found.
    for (const unknown of [newUploadId(), 'abc', 'x'.repeat(22)]) {
      expect((await patch(t.app, unknown, 0, new Uint8Array(1))).json().code).toBe('upload_not_found');
      expect((await t.app.inject({ method: 'HEAD', url: `/api/uploads/${unknown}`, headers: TUS })).statusCode).toBe(404);
    }
    expect((await t.app.inject({ method: 'GET', url: `/api/uploads/${id}`, headers: TUS })).statusCode).toBe(404);
    // Termination removes an unfinished upload entirely.
    expect((await t.app.inject({ method: 'DELETE', url: `/api/uploads/${id}`, headers: TUS })).statusCode).toBe(204);
    expect(rows()).toEqual([]);
    expect(onDisk()).toEqual([]);
  });

  it('keeps the bytes that arrived before a connection dropped, and continues from there', async () => {
    const server = t;
    {
      const { id } = await createUpload(server.app, 200_000);
      const url = new URL(`/api/uploads/${id}`, server.base);
      await new Promise<void>((resolve) => {
        const req = request(url, { method: 'PATCH', headers: { ...TUS, 'content-type': 'application/offset+octet-stream', 'upload-offset': '0', 'content-length': '200000' } });
        req.on('error', () => resolve());
        req.write(Buffer.alloc(70_000, 1), () => setTimeout(() => { req.destroy(); resolve(); }, 200));
      });
      let offset = 0;
      for (let i = 0; i < 50 && offset === 0; i++) {
        await new Promise((r) => setTimeout(r, 50));
        offset = Number((await server.app.inject({ method: 'HEAD', url: `/api/uploads/${id}`, headers: TUS })).headers['upload-offset']);
      }
      expect(offset).toBeGreaterThan(0);
      expect(offset).toBeLessThanOrEqual(70_000);
      expect((await patch(server.app, id, offset, Buffer.alloc(200_000 - offset, 2))).statusCode).toBe(204);
      const stored = readFileSync(join(server.dataDir, 'attachments', id));
      expect(stored.length).toBe(200_000);
      expect(stored.subarray(0, offset).every((b) => b === 1)).toBe(true);
      expect(server.db.select().from(uploads).where(eq(uploads.id, id)).get()!.complete).toBe(true);
    }
  });

  it('speaks tus 1.0 with its reference client (tus-js-client)', async () => {
    const server = t;
    {
      const data = Buffer.alloc(300_000, 7);
      const id = newUploadId();
      const url = await new Promise<string>((resolve, reject) => {
        const upload = new tus.Upload(data, {
          endpoint: `${server.base}/api/uploads`, chunkSize: 100_000, metadata: { id, filename: 'secret-name.jpg' },
          retryDelays: [], onError: reject, onSuccess: () => resolve(upload.url!),
        });
        upload.start();
      });
      expect(new URL(url).pathname).toBe(`/api/uploads/${id}`);
      expect(readFileSync(join(server.dataDir, 'attachments', id))).toEqual(data);
      // Metadata other than the id is ignored and stored nowhere.
      expect(readFileSync(join(server.dataDir, 'redress.sqlite')).includes(Buffer.from('secret-name'))).toBe(false);
    }
  });

  it('limits what one client may upload in a day', async () => {
    limit({ dailyBytesPerClient: 1000 });
    expect((await createUpload(t.app, 600)).res.statusCode).toBe(201);
    const over = await createUpload(t.app, 600);
    expect([over.res.statusCode, over.res.json().code]).toEqual([429, 'daily_upload_limit']);
    expect(rows()).toHaveLength(1);
  });
});

describe('files of a report', () => {
  it('links complete uploads to the case in its transaction, and dates them to its day', async () => {
    const a = await uploadFile(t.app, Buffer.from('first'));
    const b = await uploadFile(t.app, Buffer.from('second'), 'voice-note-1.webm', 'audio/webm');
    const sealed = await sealWithFiles(t.intake(), [a.ref, b.ref]);
    const res = await submit(sealed.body);
    expect(res.statusCode).toBe(201);
    const caseId = rows().find((r) => r.id === a.ref.id)!.caseId!;
    expect(rows().map((r) => [r.id, r.caseId, r.messageId]).sort()).toEqual([[a.ref.id, caseId, null], [b.ref.id, caseId, null]].sort());
    const midnight = new Date(`${res.json().receivedOn}T00:00:00.000Z`).getTime();
    expect(statSync(join(dir(), a.ref.id)).mtimeMs).toBe(midnight);
    // A linked upload takes no more bytes and cannot be removed, and its HEAD says it is complete.
    expect((await patch(t.app, a.ref.id, a.encrypted.length, new Uint8Array(1))).json().code).toBe('upload_in_use');
    expect((await t.app.inject({ method: 'DELETE', url: `/api/uploads/${a.ref.id}`, headers: TUS })).json().code).toBe('upload_in_use');
    // Sending the same report again is answered as before; another report may not take the files.
    expect((await submit(sealed.body)).statusCode).toBe(201);
    const thief = await sealWithFiles(t.intake(), [a.ref]);
    const before = caseCount();
    const stolen = await submit(thief.body);
    expect([stolen.statusCode, stolen.json().code, stolen.json().field]).toEqual([409, 'upload_in_use', 'attachments.0']);
    expect(caseCount()).toBe(before);
  });

  it('refuses a report naming unfinished, unknown, too many or too large uploads, and stores nothing', async () => {
    const before = caseCount();
    const done = await uploadFile(t.app, Buffer.from('complete'));
    const { id: partial } = await createUpload(t.app, 5000);
    await patch(t.app, partial, 0, new Uint8Array(100));
    const ref = (id: string) => ({ ...done.ref, id });
    const tries: [object[], number, string][] = [
      [[done.ref, ref(partial)], 409, 'upload_incomplete'],
      [[done.ref, ref(newUploadId())], 422, 'upload_not_found'],
    ];
    for (const [refs, status, code] of tries) {
      const res = await submit((await sealWithFiles(t.intake(), refs as typeof done.ref[])).body);
      expect([res.statusCode, res.json().code, res.json().field]).toEqual([status, code, 'attachments.1']);
    }
    limit({ maxFiles: 1 });
    const one = await uploadFile(t.app, new Uint8Array(4000));
    const two = await uploadFile(t.app, new Uint8Array(4000));
    const many = await submit((await sealWithFiles(t.intake(), [one.ref, two.ref])).body);
    expect([many.statusCode, many.json().code]).toEqual([400, 'too_many_attachments']);
    limit({ maxFiles: 5, maxTotalBytes: 12_000 });
    const big = [await uploadFile(t.app, new Uint8Array(5000)), await uploadFile(t.app, new Uint8Array(5000))];
    const large = await submit((await sealWithFiles(t.intake(), big.map((f) => f.ref))).body);
    expect([large.statusCode, large.json().code]).toEqual([413, 'attachments_too_large']);
    expect(caseCount()).toBe(before);
    expect(rows().every((r) => r.caseId === null)).toBe(true);
  });
});

describe('cleanup', () => {
  it('removes abandoned uploads and stray files after the expiry, and never a linked file', async () => {
    const linked = await uploadFile(t.app, Buffer.from('kept'));
    expect((await submit((await sealWithFiles(t.intake(), [linked.ref])).body)).statusCode).toBe(201);
    const abandoned = await uploadFile(t.app, Buffer.from('never claimed'));
    const { id: partial } = await createUpload(t.app, 9999);
    const { id: fresh } = await createUpload(t.app, 9999);
    writeFileSync(join(dir(), newUploadId()), 'orphan');
    const old = new Date(Date.now() - 25 * 3_600_000);
    for (const name of onDisk()) if (name !== fresh) utimesSync(join(dir(), name), old, old);
    const { removed } = await cleanUploads(t.db, t.app.files);
    expect(removed).toBe(3);
    expect(onDisk().sort()).toEqual([linked.ref.id, fresh].sort());
    expect(rows().map((r) => r.id).sort()).toEqual([linked.ref.id, fresh].sort());
    // An expired upload is then simply unknown.
    expect((await patch(t.app, partial, 0, new Uint8Array(1))).json().code).toBe('upload_not_found');
    expect((await t.app.inject({ method: 'HEAD', url: `/api/uploads/${abandoned.ref.id}`, headers: TUS })).statusCode).toBe(404);
  });
});
