/**
 * Prepares one image in a process of its own, for the test that kills a worker mid-pull:
 * `tsx prepareInChild.ts <cache dir> <image ref> <allowed registry>`; prints "prepared <root>" at the end.
 */
import { parseImageRef } from '../../../sdk/spec/imageRef';
import { ImageStore } from '../imageStore';

const [dir, text, registry] = process.argv.slice(2) as [string, string, string];
const parsed = parseImageRef(text);
if (!parsed.ok) throw new Error(parsed.reason);
const store = await ImageStore.open({ dir, cacheBytes: 1 << 30, maxImageBytes: 1 << 30, allowedRegistries: [registry] });
const image = await store.prepare(parsed.ref);
console.log(`prepared ${image.rootDir}`);
