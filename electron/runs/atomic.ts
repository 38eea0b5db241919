/**
 * Crash-safe file replacement. A write goes to a temporary sibling (`<name>.tmp-<pid>-<time>`),
 * is flushed to disk, and is renamed over the target; the folder is flushed too, so after a power
 * loss a reader finds the old content or the new, never an empty or half-written file. A crash
 * mid-write leaves only the temporary file, which `removeStaleTemps` clears when a store opens.
 */
import fs from 'node:fs';
import path from 'node:path';

/** Errors of `link` on filesystems without hard links (FAT, exFAT, some network shares). */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV']);

const TMP_INFIX = '.tmp-';
const TMP_NAME = /\.tmp-(\d+)-\d+$/;

function writeDurably(file: string, content: string | Uint8Array): void {
  const fd = fs.openSync(file, 'w');
  try {
    fs.writeFileSync(fd, content);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Flushes a folder's entries (a rename is durable only once its folder is); not possible on Windows. */
function syncFolder(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Windows cannot open or fsync a folder; its renames are journaled by NTFS.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/**
 * Writes a file atomically. With `exclusive`, an existing target is never replaced (the call
 * throws EEXIST): the temporary file is hard-linked to the target name, which fails atomically
 * when the name is taken; where hard links are unsupported the name is reserved with an exclusive
 * create and the content renamed onto that reservation.
 */
export function writeFileAtomic(file: string, content: string | Uint8Array, options: { exclusive?: boolean } = {}): void {
  const tmp = `${file}${TMP_INFIX}${process.pid}-${Date.now()}`;
  try {
    writeDurably(tmp, content);
    if (options.exclusive) linkNoClobber(tmp, file);
    else fs.renameSync(tmp, file);
  } catch (error) {
    fs.rmSync(tmp, { force: true }); // never leave a stray temporary file behind
    throw error;
  }
  // The temporary name is the link's second name: the content stays under `file`.
  if (options.exclusive) fs.rmSync(tmp, { force: true });
  syncFolder(path.dirname(file));
}

function linkNoClobber(tmp: string, file: string): void {
  try {
    fs.linkSync(tmp, file);
  } catch (error) {
    if (!NO_HARD_LINKS.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
    fs.closeSync(fs.openSync(file, 'wx')); // throws EEXIST when the name is taken
    fs.renameSync(tmp, file);
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes temporary files a crashed writer left in `dir` and its run folders' `checkpoints/`
 * and `episodes/` (the places atomic writes happen). A file whose writer is still alive on this
 * machine is left alone. Returns the paths removed; unreadable folders are skipped.
 */
export function removeStaleTemps(dataDir: string): string[] {
  const removed: string[] = [];
  const sweep = (dir: string, depth: number) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (depth < 2 && !e.name.startsWith('.')) sweep(p, depth + 1);
        continue;
      }
      const m = TMP_NAME.exec(e.name);
      if (!m || pidAlive(Number(m[1]))) continue;
      try {
        fs.rmSync(p, { force: true });
        removed.push(p);
      } catch {
        // a file we may not remove stays; it is never read as data
      }
    }
  };
  sweep(dataDir, 0);
  return removed;
}
