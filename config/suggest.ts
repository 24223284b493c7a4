/** "Did you mean": the known names nearest to a misspelled one, by edit distance. */
import { distance } from "fastest-levenshtein";

/**
 * Up to `max` of `known` within a few edits of `given` (a third of its length, at least 2;
 * letter case ignored), nearest first; none when nothing is that close.
 */
export function similarTo(given: string, known: readonly string[], max = 3): string[] {
  const wanted = given.toLowerCase();
  const limit = Math.max(2, Math.floor(wanted.length / 3));
  return known
    .map((name) => ({ name, d: distance(wanted, name.toLowerCase()) }))
    .filter(({ d }) => d <= limit)
    .sort((a, b) => a.d - b.d || a.name.localeCompare(b.name))
    .slice(0, max)
    .map(({ name }) => name);
}
