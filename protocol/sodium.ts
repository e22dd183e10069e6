// Loads libsodium (the sumo build, which has Argon2id) once, lazily, so the public form can paint
// before the ~150 KB crypto chunk arrives. Every protocol function awaits this.
import type * as SodiumModule from 'libsodium-wrappers-sumo';

export type Sodium = typeof SodiumModule;

let loading: Promise<Sodium> | undefined;

export function sodiumReady(): Promise<Sodium> {
  loading ??= import('libsodium-wrappers-sumo').then(async (mod) => {
    const sodium = (mod.default ?? mod) as Sodium;
    await sodium.ready;
    return sodium;
  });
  return loading;
}
