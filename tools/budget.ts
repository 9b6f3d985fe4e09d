import { decode, encode } from 'gpt-tokenizer';
import { tokenCount } from '../lib/token-count';

/**
 * Cuts text to at most `budget` tokens, preferring a line boundary, and says so at the end.
 * Returns the text unchanged when it fits.
 */
export function fitToBudget(text: string, budget: number): { text: string; truncated: boolean } {
  if (budget <= 0) return { text: '', truncated: text.length > 0 };
  if (tokenCount(text) <= budget) return { text, truncated: false };
  const marker = '\n… [truncated to fit the token budget]';
  const room = Math.max(1, budget - tokenCount(marker));
  let cut = decode(encode(text).slice(0, room));
  const lastBreak = cut.lastIndexOf('\n');
  if (lastBreak > cut.length * 0.6) cut = cut.slice(0, lastBreak);
  return { text: cut + marker, truncated: true };
}
