// The reporter's pin: a MAC, under a key only the receipt gives, over the keys the report was
// sealed to and the team verify key it bound. The server stores it and hands it back at follow-up;
// it cannot make one for keys of its own. PROTOCOL.md §28.4.
import { sodiumReady } from './sodium.ts';
import { bytesEqual, canonicalJson, fromBase64Url, toBase64Url, utf8 } from './encoding.ts';

const PIN_LABEL = 'redress/pin/v2\n';

/** The keys a phone commits to when it sends a report. */
export interface PinnedKeys { team: string; recovery: string; teamVerifyKey: string | null }

export async function makePin(pinKey: Uint8Array, keys: PinnedKeys): Promise<string> {
  const sodium = await sodiumReady();
  const pinned = canonicalJson({ recovery: keys.recovery, team: keys.team, teamVerifyKey: keys.teamVerifyKey });
  return toBase64Url(sodium.crypto_generichash(32, utf8.encode(`${PIN_LABEL}${pinned}`), pinKey));
}

/** True when the served keys are exactly the ones the receipt holder pinned. */
export async function checkPin(pinKey: Uint8Array, pin: string, served: PinnedKeys): Promise<boolean> {
  const expected = fromBase64Url(await makePin(pinKey, served))!;
  const given = fromBase64Url(pin);
  return Boolean(given) && bytesEqual(given!, expected);
}
