/**
 * An S3-speaking server for tests: `s3rver` (npm) in its own process on 127.0.0.1 with a free port,
 * storing objects in a temporary directory, with a new bucket created through the S3 API. Registered
 * with the reaper. Its `env` points an API process's artifact store at the bucket (the variables
 * artifactStoreFromEnv.ts reads, and s3rver's fixed credentials), so replicas can share it.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { freePort } from '../indexer/run/freePort';
import { register, registerProcess, starting } from './reaper';
import { runId } from './root';
import { tempDir } from './tempDir';
import { waitFor } from './waitFor';

export type S3Server = {
  /** `http://127.0.0.1:PORT`. */
  endpoint: string;
  /** The bucket created at start. */
  bucket: string;
  /** Where s3rver keeps the objects. */
  dir: string;
  /** Settings for a client of this server (path-style URLs, s3rver's credentials). */
  clientConfig: S3ClientConfig;
  /** A client of this server. */
  client: S3Client;
  /** LOOM_ARTIFACT_S3_* and the AWS credentials: an API process with these stores artifacts in the bucket. */
  env: Record<string, string>;
  /** Creates another bucket. */
  createBucket: (name: string) => Promise<void>;
  logs: () => string;
  stop: () => Promise<void>;
};

/** s3rver's built-in credentials (it checks request signatures against them). */
const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/** Starts s3rver and resolves once it answers and the bucket exists. */
export function startS3(opts: { bucket?: string } = {}): Promise<S3Server> {
  return starting(async () => {
    const dir = join(tempDir('s3'), 'data');
    const port = await freePort();
    const bin = createRequire(import.meta.url).resolve('s3rver/bin/s3rver.js');
    const child = spawn(process.execPath, [bin, '--address', '127.0.0.1', '--port', String(port), '--directory', dir, '--no-vhost-buckets'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output: string[] = [];
    child.stdout!.on('data', (d: Buffer) => output.push(d.toString()));
    child.stderr!.on('data', (d: Buffer) => output.push(d.toString()));
    const logs = () => output.join('');
    const stopProcess = registerProcess('s3rver', child, { logs, graceMs: 3000 });

    const endpoint = `http://127.0.0.1:${port}`;
    await waitFor(`s3rver to answer on ${endpoint}`, async () => {
      if (child.exitCode !== null) throw new Error(`s3rver exited with ${child.exitCode}: ${logs()}`);
      return (await fetch(`${endpoint}/`)).ok;
    }, 15_000, 50);

    const clientConfig: S3ClientConfig = {
      endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: CREDENTIALS,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    };
    const client = new S3Client(clientConfig);
    const closeClient = register({ name: 's3 client', stop: () => client.destroy() });
    const createBucket = async (name: string) => {
      await client.send(new CreateBucketCommand({ Bucket: name }));
    };
    const bucket = opts.bucket ?? `loom-test-${runId()}`;
    await createBucket(bucket);
    const env = {
      LOOM_ARTIFACT_S3_BUCKET: bucket,
      LOOM_ARTIFACT_S3_ENDPOINT: endpoint,
      LOOM_ARTIFACT_S3_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
    };
    const stop = async () => {
      await closeClient();
      await stopProcess();
    };
    return { endpoint, bucket, dir, clientConfig, client, env, createBucket, logs, stop };
  });
}
