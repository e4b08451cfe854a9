/**
 * What the worker offers beyond the contract's HardwareClaim: which job modes it runs. The claim's
 * one free-form field is `metadataURI`; when the operator gives none, the worker puts a small
 * document there itself, inline as a data URI, so clients can read it without fetching anything:
 *
 *   data:application/json,{"loom":1,"modes":["image","host"]}
 *
 * `modes` lists "image" (jobs bring an image, pulled from the allowed registries) and/or "host"
 * (jobs without an image run against the worker's read-only root). A reader takes the text after
 * the first comma, percent-decodes it (`decodeURIComponent`) and parses the JSON; `fetch()` of the
 * URI does the same in browsers and Node. An operator who sets `--metadata-uri` publishes their
 * own document and should list `modes` in it the same way.
 */

export type WorkerMode = 'image' | 'host';

/** The modes a worker with this configuration runs, image first. */
export function offeredModes(o: { hostMode: boolean; allowedRegistries: string[] }): WorkerMode[] {
  return [...(o.allowedRegistries.length > 0 ? (['image'] as const) : []), ...(o.hostMode ? (['host'] as const) : [])];
}

/**
 * The claim's metadata URI: the operator's, or the worker's own document of its modes.
 * @example
 * claimMetadataURI({ metadataURI: '', hostMode: true, images: { allowedRegistries: ['ghcr.io'] } })
 * // 'data:application/json,{"loom":1,"modes":["image","host"]}'
 */
export function claimMetadataURI(c: { metadataURI: string; hostMode: boolean; images: { allowedRegistries: string[] } }): string {
  if (c.metadataURI !== '') return c.metadataURI;
  // Left unescaped so it reads as written in logs and explorers: WHATWG URL parsers (browsers,
  // Node's fetch) take these characters in a data URI as they are.
  return `data:application/json,${JSON.stringify({ loom: 1, modes: offeredModes({ hostMode: c.hostMode, allowedRegistries: c.images.allowedRegistries }) })}`;
}

/**
 * The modes a claim's metadata URI says its worker runs, when it is such a document; undefined for
 * any other URI (an operator's own document is not fetched here).
 * @example
 * claimModes('data:application/json,{"loom":1,"modes":["image"]}') // ['image']
 */
export function claimModes(metadataURI: string): WorkerMode[] | undefined {
  const prefix = 'data:application/json,';
  if (!metadataURI.startsWith(prefix)) return undefined;
  try {
    const doc = JSON.parse(decodeURIComponent(metadataURI.slice(prefix.length))) as { loom?: unknown; modes?: unknown };
    if (doc.loom !== 1 || !Array.isArray(doc.modes)) return undefined;
    return doc.modes.filter((m): m is WorkerMode => m === 'image' || m === 'host');
  } catch {
    return undefined;
  }
}
