/**
 * The chunks of what `ArtifactStore.put` accepts, whatever its form: bytes in memory, a web stream
 * (a request body), a Node stream or any async iterable. (localArtifactStore.ts still has its own
 * copy of this; it can import this one.)
 */
import type { ArtifactSource } from './artifactStore';

export async function* sourceChunks(source: ArtifactSource): AsyncIterable<Uint8Array> {
  if (source instanceof Uint8Array) {
    yield source;
    return;
  }
  // Web streams and Node streams are both async iterables in Node 20.
  for await (const chunk of source as AsyncIterable<Uint8Array | string>) {
    yield typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
  }
}
