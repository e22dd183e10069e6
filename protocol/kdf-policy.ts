// The weakest and the heaviest Argon2id parameters a browser accepts from the server before it
// derives anything from a password: a server that handed out weak ones would make every password
// cheap to attack offline. Receipts use fixed parameters (receipt.ts) and never the server's.
// PROTOCOL.md §30.

export const PASSWORD_KDF_MIN = { opslimit: 2, memlimit: 64 * 1024 * 1024 } as const;
export const PASSWORD_KDF_MAX = { opslimit: 10, memlimit: 1024 * 1024 * 1024 } as const;

export class KdfPolicyError extends Error {
  constructor(readonly reason: 'too_weak' | 'too_heavy') {
    super(`password key derivation parameters are ${reason === 'too_weak' ? 'weaker' : 'heavier'} than this client accepts`);
    this.name = 'KdfPolicyError';
  }
}

/** Throws unless opslimit and memlimit are whole numbers within the policy. */
export function checkPasswordKdf(params: { opslimit: number; memlimit: number }): void {
  const { opslimit, memlimit } = params;
  if (!Number.isInteger(opslimit) || !Number.isInteger(memlimit)) throw new KdfPolicyError('too_weak');
  if (opslimit < PASSWORD_KDF_MIN.opslimit || memlimit < PASSWORD_KDF_MIN.memlimit) throw new KdfPolicyError('too_weak');
  if (opslimit > PASSWORD_KDF_MAX.opslimit || memlimit > PASSWORD_KDF_MAX.memlimit) throw new KdfPolicyError('too_heavy');
}
