import { describe, expect, it } from 'vitest';
import { resultUrl } from './result';

describe('job result URLs', () => {
  it('default: artifact:// from the artifact store', () => {
    expect(resultUrl(`artifact://${'AB'.repeat(32)}`, 'http://api:42069/')).toBe(`http://api:42069/artifacts/0x${'ab'.repeat(32)}`);
  });

  it('behavior: http(s) as it is; anything else refused', () => {
    expect(resultUrl('https://results.example/r.tar', 'http://api')).toBe('https://results.example/r.tar');
    expect(() => resultUrl('ipfs://Qm…', 'http://api')).toThrowError(/not http\(s\)/);
    expect(() => resultUrl('not a uri', 'http://api')).toThrowError(/neither artifact/);
  });
});
