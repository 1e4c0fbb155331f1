/*
 * The profiles a heap can be made with, by name: a handle names its profile so
 * that a worker attaching the heap uses the same constants.
 */
import { ValueError } from '../errors.js';
import { CPYTHON_3_11, type PythonProfile } from './profile.js';

const PROFILES: Readonly<Record<string, PythonProfile>> = { '3.11': CPYTHON_3_11 };

export function profileNamed(name: string): PythonProfile {
  const profile = PROFILES[name];
  if (profile === undefined) throw new ValueError(`no Python profile named '${name}' (known: ${Object.keys(PROFILES).join(', ')})`);
  return profile;
}

export function profileKey(profile: PythonProfile): string {
  const entry = Object.entries(PROFILES).find(([, known]) => known === profile);
  if (entry === undefined) throw new ValueError(`profile '${profile.name}' is not registered in src/pymem/profiles.ts`);
  return entry[0];
}

export function profileNames(): string[] {
  return Object.keys(PROFILES);
}
