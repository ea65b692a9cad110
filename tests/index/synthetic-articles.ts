// Generated articles for the tests that need a build lasting long enough to interrupt: deterministic, a few passages each.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';

const WORDS = (
  'army government minister election parliament troops border market price oil trade bank rebels city capital village ' +
  'farmers drought rain harvest school teachers hospital doctors court judge police protest president council budget ' +
  'tax company workers strike port ship road bridge river water power grid fuel talks ceasefire envoy summit treaty aid'
).split(' ');

/** Writes `count` plain-text articles named `generated-0000.txt`… into `dir`; returns their article ids. */
export async function writeSyntheticArticles(dir: string, count: number): Promise<string[]> {
  let seed = 7;
  const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648);
  const word = () => WORDS[next() % WORDS.length]!;
  const sentence = () => {
    const text = Array.from({ length: 14 }, word).join(' ');
    return `${text[0]!.toUpperCase()}${text.slice(1)}.`;
  };
  const ids: string[] = [];
  for (let a = 0; a < count; a++) {
    const name = `generated-${String(a).padStart(4, '0')}`;
    const paragraphs = Array.from({ length: 8 }, () => `${sentence()} ${sentence()} ${sentence()}`);
    await writeFile(path.join(dir, `${name}.txt`), `Report ${a} on the ${word()} and the ${word()}\n\n${paragraphs.join('\n\n')}\n`);
    ids.push(name);
  }
  return ids;
}
