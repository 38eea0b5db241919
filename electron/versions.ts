/** Versions of the runtime and libraries, recorded in every run.json and shown by `sftrl info`. */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export function packageVersion(name: string): string | undefined {
  try {
    return (require(`${name}/package.json`) as { version: string }).version;
  } catch {
    return undefined;
  }
}

export function collectVersions(): Record<string, string> {
  const versions: Record<string, string> = { node: process.versions.node, v8: process.versions.v8 };
  if (process.versions.electron) versions.electron = process.versions.electron;
  if (process.versions.chrome) versions.chrome = process.versions.chrome;
  const tfjs = packageVersion('@tensorflow/tfjs');
  if (tfjs) versions.tfjs = tfjs;
  return versions;
}
