import { describe, expect, it } from 'vitest';
import { hashedName, pointAt } from './hashed-classic-scripts.ts';

describe('hashed classic scripts', () => {
  it('names a copy by its content', () => {
    const name = hashedName('early.js', 'a');
    expect(name).toMatch(/^assets\/early-[0-9a-f]{10}\.js$/);
    expect(hashedName('early.js', 'a')).toBe(name);
    expect(hashedName('early.js', 'b')).not.toBe(name);
  });

  it('points index.html at the copies and leaves the rest', () => {
    const html = '<head><script src="/theme.js"></script><script src="/early.js"></script></head>'
      + '<script type="module" crossorigin src="/assets/index-x.js"></script>';
    const pointed = pointAt(html, new Map([['theme.js', 'assets/theme-1.js'], ['early.js', 'assets/early-2.js']]));
    expect(pointed).toBe('<head><script src="/assets/theme-1.js"></script><script src="/assets/early-2.js"></script>'
      + '</head><script type="module" crossorigin src="/assets/index-x.js"></script>');
  });

  it('fails when index.html no longer loads a script by that name', () => {
    expect(() => pointAt('<script src="/theme.js"></script>', new Map([['early.js', 'assets/early-2.js']])))
      .toThrow(/does not load early.js/);
  });
});
