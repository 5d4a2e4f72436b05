// Password hashing: scrypt (memory-hard) with a random 16-byte salt, stored as
// scrypt$N$r$p$salt$hash (base64url) so the cost can rise later without breaking stored hashes.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const KEY_BYTES = 32;
const BLOCK_SIZE = 8;
const PARALLELISM = 1;

function scryptAsync(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(
      password.normalize('NFC'),
      salt,
      KEY_BYTES,
      { ...options, maxmem: 256 * (options.N ?? 1) * (options.r ?? 1) + 1024 * 1024 },
      (err, key) => (err ? reject(err) : resolve(key)),
    ),
  );
}

export class PasswordHasher {
  /** How many stored hashes were checked against a password (tests prove a refused login checked none). */
  verifications = 0;
  /** A hash of nothing, checked when the user is unknown so a missing account answers as slowly as a real one. */
  private decoy: Promise<string> | null = null;

  constructor(private readonly cost: number) {}

  async hash(password: string): Promise<string> {
    const salt = randomBytes(16);
    const key = await scryptAsync(password, salt, { N: this.cost, r: BLOCK_SIZE, p: PARALLELISM });
    return ['scrypt', this.cost, BLOCK_SIZE, PARALLELISM, salt.toString('base64url'), key.toString('base64url')].join(
      '$',
    );
  }

  async verify(password: string, stored: string | null): Promise<boolean> {
    this.verifications++;
    const target = stored ?? (await (this.decoy ??= this.hash(randomBytes(16).toString('hex'))));
    const [scheme, n, r, p, salt, key] = target.split('$');
    if (scheme !== 'scrypt' || !salt || !key) return false;
    const expected = Buffer.from(key, 'base64url');
    const actual = await scryptAsync(password, Buffer.from(salt, 'base64url'), {
      N: Number(n),
      r: Number(r),
      p: Number(p),
    });
    return stored !== null && actual.length === expected.length && timingSafeEqual(actual, expected);
  }
}
