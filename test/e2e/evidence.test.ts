// Evidence end to end on an emulated 2G link (CDP: 300 ms, 250 kbit/s down, 50 kbit/s up): a 3 MB
// photo with GPS EXIF and a voice note from a fake microphone are attached to a report; the network
// is cut in the middle of the upload and restored, then the page is reloaded mid-upload; the upload
// resumes each time where it stopped and the report arrives. At the desk the photo shows without
// EXIF or GPS and the voice note plays. No byte of the original photo is in the attachments folder.
// Background Sync is off in this browser so that the page itself, throttled, does the resuming.
import { readdirSync, readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uploads } from '../../db/schema.ts';
import { startTestServer, type TestApp } from '../helpers/app.ts';
import { createDeskUser, defaultTeamId, setupAdmin, type DeskUser } from '../helpers/desk.ts';
import { expectAccessible, launchBrowser, phonePage, signInAtDesk, type BrowserSession } from '../helpers/browser.ts';
import { GPS, PHOTO_MARKERS, metadataFound } from '../fixtures/jpeg.ts';
import { PHOTO_BYTES, makePhoto } from '../fixtures/photo.ts';

const TWO_G = { offline: false, latency: 300, downloadThroughput: (250 * 1024) / 8, uploadThroughput: (50 * 1024) / 8 };

let server: TestApp & { base: string };
let session: BrowserSession;
let worker: DeskUser;
let photoPath: string;
let photo: Buffer;
beforeAll(async () => {
  server = await startTestServer({ config: { submitRateLimit: 100 } });
  const admin = await setupAdmin(server.db);
  worker = await createDeskUser(server.db, { email: 'worker@example.org', role: 'caseworker', teamIds: [defaultTeamId(server.db)], granter: { ...admin.keys, id: admin.id } });
  session = await launchBrowser([
    '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', '--autoplay-policy=no-user-gesture-required', '--disable-features=BackgroundSync',
  ]);
  photo = await makePhoto(session.browser);
  photoPath = join(mkdtempSync(join(tmpdir(), 'redress-photo-')), 'IMG_20250314_101530.jpg');
  writeFileSync(photoPath, photo);
});
afterAll(async () => {
  await session?.close();
  await server?.close();
});

describe('evidence over 2G', () => {
  it('delivers a cleaned photo and a voice note through a cut and a reload, and the desk shows and plays them', async () => {
    expect(photo.length).toBeGreaterThanOrEqual(PHOTO_BYTES);
    expect(metadataFound(photo)).toEqual(expect.arrayContaining(['gps', 'description', 'xmp', 'trailer']));
    const { page, context, consoleErrors } = await phonePage(session.browser, server.base, { locale: 'en' });
    await context.grantPermissions(['microphone'], { origin: server.base });
    const offsets: number[] = [];
    page.on('request', (r) => { if (r.method() === 'PATCH') offsets.push(Number(r.headers()['upload-offset'])); });
    await page.goto(`${server.base}/?lang=en`);
    await page.locator('.progress').waitFor();
    await page.locator('input[name=category][value=biometric_lockout]').check();
    await page.locator('button.primary').click();
    await page.selectOption('#country', 'JO');
    await page.locator('button.primary').click();
    await page.locator('input[name=role][value=self]').check();
    await page.locator('button.primary').click();
    await page.fill('#narrative', 'The scanner did not recognise me. The letter and a voice note are attached.');

    // The photo: cleaned, shrunk and previewed; its final size is shown.
    await page.setInputFiles('#attach-file', photoPath);
    await page.locator('.files li').first().waitFor({ timeout: 30_000 });
    expect(await page.locator('.files li .file-name').first().textContent()).toBe('photo-1.jpg');
    expect(await page.locator('.files li .file-size').first().textContent()).toMatch(/kB/);
    // A voice note from the fake microphone.
    await page.getByRole('button', { name: 'Record a voice note' }).click();
    await page.getByText(/Recording…/).waitFor();
    await page.waitForTimeout(2000);
    await page.getByRole('button', { name: 'Stop recording' }).click();
    await page.locator('.files li').nth(1).waitFor({ timeout: 20_000 });
    expect(await page.locator('.files li .file-name').nth(1).textContent()).toMatch(/^voice-note-1\.(webm|ogg|m4a)$/);
    await expectAccessible(page, 'story step with files');
    await page.locator('button.primary').click();
    await page.locator('input[name=contactMethod][value=none]').check();
    await page.locator('button.primary').click();
    await page.locator('input[name=consentReferral][value=no]').check();
    await page.locator('input[name=consentShareData][value=no]').check();
    await page.locator('button.primary').click();
    expect(await page.locator('.review-files li').count()).toBe(2);
    // The service worker is in place (the reload below comes from it).
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));

    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', TWO_G);
    await page.locator('.nav button.primary').click();
    await page.getByText('Saved on this phone, will be sent when you are online.').waitFor({ timeout: 60_000 });
    expect(await page.locator('.receipt-number').first().textContent()).toMatch(/^\d{4}( \d{4}){4}$/);

    // Cut the network once the first chunk is in, and restore it.
    await expect.poll(() => offsets.length, { timeout: 60_000 }).toBeGreaterThanOrEqual(2);
    await context.setOffline(true);
    await page.getByText('Waiting for a connection. Sending will continue by itself.').waitFor({ timeout: 60_000 });
    const storedAtCut = readdirSync(join(server.dataDir, 'attachments')).map((f) => readFileSync(join(server.dataDir, 'attachments', f)).length);
    expect(Math.max(...storedAtCut)).toBeGreaterThan(0);
    await context.setOffline(false);
    await cdp.send('Network.emulateNetworkConditions', TWO_G);
    const beforeResume = offsets.length;
    await expect.poll(() => offsets.slice(beforeResume).some((o) => o > 0), { timeout: 60_000 }).toBe(true);

    // Reload in the middle of the upload: the outbox on the phone picks it up where it was.
    const beforeReload = offsets.length;
    await page.reload();
    await cdp.send('Network.emulateNetworkConditions', TWO_G).catch(() => undefined);
    await page.getByText('Your saved report was delivered.').waitFor({ timeout: 120_000 });
    expect(offsets.slice(beforeReload).filter((o) => o > 0).length).toBeGreaterThan(0);
    expect(offsets.filter((o) => o === 0).length).toBeLessThanOrEqual(2); // each file started once
    expect(consoleErrors.filter((e) => !/Failed to load resource/.test(e))).toEqual([]);
    await context.close();

    // Stored: two encrypted files linked to one case; nothing of the original photo among them.
    const linked = server.db.select().from(uploads).all();
    expect(linked).toHaveLength(2);
    expect(new Set(linked.map((u) => u.caseId)).size).toBe(1);
    const dir = join(server.dataDir, 'attachments');
    const scan = photo.subarray(photo.indexOf(Buffer.from([0xff, 0xda])) + 2000, photo.indexOf(Buffer.from([0xff, 0xda])) + 2064);
    const gps = Buffer.alloc(24);
    GPS.lat.forEach((v, i) => gps.writeUInt32LE(v, i * 4));
    for (const name of readdirSync(dir)) {
      const bytes = readFileSync(join(dir, name));
      for (const marker of [...Object.values(PHOTO_MARKERS).map((m) => Buffer.from(m)), scan, gps]) expect(bytes.includes(marker), name).toBe(false);
    }

    // The desk: the photo decrypted in the browser, shown, with no EXIF and no GPS; the voice note plays.
    const desk = await phonePage(session.browser, server.base, { laptop: true });
    await signInAtDesk(desk.page, server.base, worker);
    await desk.page.locator('table.queue tbody tr').first().locator('button').click();
    const image = desk.page.locator('.case-files img');
    await image.waitFor({ timeout: 30_000 });
    const shown = await image.evaluate(async (img: HTMLImageElement) => { await img.decode(); return { width: img.naturalWidth, height: img.naturalHeight }; });
    expect(Math.max(shown.width, shown.height)).toBe(1600);
    // The caseworker's decrypted copy, as downloaded from the desk.
    const [download] = await Promise.all([desk.page.waitForEvent('download'), desk.page.locator('.case-files li').first().getByRole('link').click()]);
    expect(download.suggestedFilename()).toBe('photo-1.jpg');
    const clean = readFileSync((await download.path())!);
    expect(clean.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    expect(metadataFound(clean)).toEqual([]);
    expect(Buffer.from(clean).includes(Buffer.from('Exif'))).toBe(false);
    const played = await desk.page.locator('.case-files audio').evaluate(async (audio: HTMLAudioElement) => {
      await audio.play();
      await new Promise((r) => setTimeout(r, 300));
      return { error: audio.error?.code ?? null, time: audio.currentTime };
    });
    expect(played.error).toBeNull();
    expect(played.time).toBeGreaterThan(0);
    await expectAccessible(desk.page, 'desk case with files');
    await desk.context.close();
  }, 300_000);
});
