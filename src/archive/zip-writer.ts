// The output file: a temp file beside the destination, renamed into place only when complete, so a
// failed or interrupted pack never leaves a partial zip under the real name.
import { removeOnInterrupt } from "../interrupt.js";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { guardFs } from "./fs-errors.js";
import { centralHeaderLength, endRecords, writeCentralHeader, type CentralFields } from "./zip-format.js";

const IO_CHUNK = 1024 * 1024;

export class ZipFileWriter {
  private cursor = 0;
  /** Bytes before this offset are final and hashed; after it they may still be rewritten. */
  private hashed = 0;
  private readonly hash = createHash("sha256");
  /**
   * Central directory records, encoded as they come (~50 bytes + name per entry, no objects): the
   * last MiB here, earlier ones spooled to a file beside the temp zip, so 100k entries do not
   * hold 7 MB until the end.
   */
  private readonly central = Buffer.allocUnsafe(IO_CHUNK);
  private centralUsed = 0;
  private spool: { fd: number; path: string; bytes: number; forget: () => void } | undefined;
  private entryCount = 0;
  private fd: number | undefined;

  /** Where the next append lands. */
  get position(): number {
    return this.cursor;
  }

  private readonly forget: () => void;

  private constructor(
    private readonly destination: string,
    private readonly temp: string,
  ) {
    this.fd = guardFs(destination, () => fs.openSync(temp, "wx+", 0o644), "write");
    this.forget = removeOnInterrupt(temp);
  }

  static create(destination: string): ZipFileWriter {
    const temp = path.join(path.dirname(destination), `.${path.basename(destination)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
    return new ZipFileWriter(destination, temp);
  }

  private write(data: Uint8Array, at: number): void {
    guardFs(
      this.destination,
      () => {
        let done = 0;
        while (done < data.length) done += fs.writeSync(this.fd!, data, done, data.length - done, at + done);
      },
      "write",
    );
  }

  append(data: Uint8Array): void {
    this.write(data, this.cursor);
    if (this.hashed === this.cursor) {
      this.hash.update(data);
      this.hashed += data.length;
    }
    this.cursor += data.length;
  }

  /**
   * Leaves room for a header that is only known after the data behind it (large entries). Until
   * `catchUpHash`, what follows is written but not hashed.
   */
  reserve(length: number): number {
    const at = this.cursor;
    this.cursor += length;
    return at;
  }

  writeAt(data: Uint8Array, at: number): void {
    if (at < this.hashed) throw new Error("zip writer: rewriting bytes already hashed");
    this.write(data, at);
  }

  /** Moves back to rewrite a reserved region's data (a large file that deflate did not shrink). */
  rewind(to: number): void {
    if (to < this.hashed) throw new Error("zip writer: rewinding into bytes already hashed");
    this.cursor = to;
  }

  /** Hashes the region that was left open, by reading it back (from the page cache, normally). */
  catchUpHash(): void {
    const buf = Buffer.allocUnsafe(IO_CHUNK);
    while (this.hashed < this.cursor) {
      const n = fs.readSync(this.fd!, buf, 0, Math.min(IO_CHUNK, this.cursor - this.hashed), this.hashed);
      if (n === 0) throw new Error("zip writer: short read while hashing");
      this.hash.update(buf.subarray(0, n));
      this.hashed += n;
    }
  }

  addCentral(fields: CentralFields): void {
    // A central header is at most 46 + 65535 + 28 bytes, so it always fits in an emptied buffer.
    if (this.centralUsed + centralHeaderLength(fields) > this.central.length) this.spoolCentral();
    this.centralUsed = writeCentralHeader(this.central, this.centralUsed, fields);
    this.entryCount++;
  }

  private spoolCentral(): void {
    guardFs(
      this.destination,
      () => {
        if (!this.spool) {
          const spoolPath = `${this.temp}.cd`;
          this.spool = { fd: fs.openSync(spoolPath, "wx+", 0o600), path: spoolPath, bytes: 0, forget: removeOnInterrupt(spoolPath) };
        }
        let done = 0;
        while (done < this.centralUsed) done += fs.writeSync(this.spool.fd, this.central, done, this.centralUsed - done, this.spool.bytes + done);
        this.spool.bytes += this.centralUsed;
      },
      "write",
    );
    this.centralUsed = 0;
  }

  private dropSpool(): void {
    if (!this.spool) return;
    fs.closeSync(this.spool.fd);
    fs.rmSync(this.spool.path, { force: true });
    this.spool.forget();
    this.spool = undefined;
  }

  /** Writes the central directory, moves the file into place; returns its size and sha256. */
  finish(): { zipBytes: number; sha256: string } {
    const cdOffset = this.cursor;
    if (this.spool) {
      const buf = Buffer.allocUnsafe(IO_CHUNK);
      for (let at = 0; at < this.spool.bytes; ) {
        const n = fs.readSync(this.spool.fd, buf, 0, Math.min(IO_CHUNK, this.spool.bytes - at), at);
        if (n === 0) throw new Error("zip writer: short read of the spooled central directory");
        this.append(buf.subarray(0, n));
        at += n;
      }
      this.dropSpool();
    }
    this.append(this.central.subarray(0, this.centralUsed));
    this.append(endRecords(this.entryCount, cdOffset, this.cursor - cdOffset));
    // A large file rewritten as stored is shorter than its deflated attempt: drop the leftover tail.
    guardFs(
      this.destination,
      () => {
        fs.ftruncateSync(this.fd!, this.cursor);
        fs.closeSync(this.fd!);
        this.fd = undefined;
        fs.renameSync(this.temp, this.destination);
      },
      "write",
    );
    this.forget();
    return { zipBytes: this.cursor, sha256: this.hash.digest("hex") };
  }

  /** Removes the temp file; safe to call after any failure, including one inside finish(). */
  abort(): void {
    this.dropSpool();
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
    fs.rmSync(this.temp, { force: true });
    this.forget();
  }
}
