// Permission errors on the index are said as the path that cannot be read or written, and nothing else is taken for one.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessError, IndexAccessError, readIfPresent } from '../../src/index/access.js';

const denied = (code: string) => Object.assign(new Error(`${code}: operation not permitted`), { code });

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'coverage-bot-access-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('accessError', () => {
  it('names the file for EACCES and EPERM, reading or writing', () => {
    const file = path.join(dir, 'vectors.f32');
    expect(accessError(denied('EPERM'), file)).toBeInstanceOf(IndexAccessError);
    expect(accessError(denied('EPERM'), file)?.message).toBe(`Cannot read ${file} (EPERM): check its permissions.`);
    expect(accessError(denied('EACCES'), file, true)?.message).toBe(`Cannot write ${file} (EACCES): check its permissions.`);
  });

  it('leaves other errors alone', () => {
    expect(accessError(denied('ENOENT'), path.join(dir, 'x'))).toBeNull();
    expect(accessError(new Error('boom'), path.join(dir, 'x'))).toBeNull();
  });
});

describe('readIfPresent', () => {
  it('gives null for a missing file and an IndexAccessError for a denied one', async () => {
    expect(await readIfPresent(path.join(dir, 'x'), () => Promise.reject(denied('ENOENT')))).toBeNull();
    await expect(readIfPresent(path.join(dir, 'x'), () => Promise.reject(denied('EACCES')))).rejects.toBeInstanceOf(IndexAccessError);
  });
});
