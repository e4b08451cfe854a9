/**
 * PLACEHOLDER (issue 12, helper "imagecore"): the real image store replaces this file at merge.
 * Only the exported surface is here, so the daemon compiles and starts; checking or preparing an
 * image says it is not implemented.
 */
import type { ImageRef } from '../../sdk/spec/imageRef';
import type { ImageCheck, Platform, PreparedImage } from './imageTypes';

export const DEFAULT_ALLOWED_REGISTRIES = ['docker.io', 'ghcr.io', 'nvcr.io'];

export type ImageStoreOptions = {
  dir: string;
  cacheBytes: number;
  maxImageBytes: number;
  allowedRegistries: string[];
  platform?: Platform;
  logger?: { info(o: object, msg: string): void; warn(o: object, msg: string): void };
};

export class ImageStore {
  readonly requestCount: number = 0;

  private constructor(readonly options: ImageStoreOptions) {}

  static async open(o: ImageStoreOptions): Promise<ImageStore> {
    return new ImageStore(o);
  }

  async check(_ref: ImageRef, _o?: { signal?: AbortSignal }): Promise<ImageCheck> {
    throw new Error('not implemented');
  }

  async prepare(_ref: ImageRef, _o?: { signal?: AbortSignal; deadline?: number }): Promise<PreparedImage> {
    throw new Error('not implemented');
  }
}
