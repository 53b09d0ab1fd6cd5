// Passwords are hashed with argon2id. Parameters are chosen on purpose: OWASP's 19 MiB, t=2
// takes ~30-50 ms here; tests pass cheaper ones.
import { hash, verify } from '@node-rs/argon2';

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hashed: string, password: string): Promise<boolean>;
}

export interface ArgonCost {
  memoryCost: number; // KiB
  timeCost: number;
}

export const PRODUCTION_ARGON: ArgonCost = { memoryCost: 19_456, timeCost: 2 };
export const TEST_ARGON: ArgonCost = { memoryCost: 1024, timeCost: 1 };

export function createPasswordHasher(cost: ArgonCost = PRODUCTION_ARGON): PasswordHasher {
  return {
    // algorithm 2 = argon2id
    hash: (password) => hash(password, { algorithm: 2, memoryCost: cost.memoryCost, timeCost: cost.timeCost, parallelism: 1 }),
    verify: async (hashed, password) => {
      try {
        return await verify(hashed, password);
      } catch {
        return false;
      }
    },
  };
}
