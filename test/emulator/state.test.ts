// A saved state the emulator cannot read is refused, for every cloud, and left as it is: starting
// empty would let the next save overwrite the user's file.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { start } from "../../src/emulator/index.js";
import { emulateCommand } from "../../src/commands/emulate.js";
import { tempDir } from "../helpers/archive.js";

async function stateDirWith(cloud: string, text: string): Promise<{ dir: string; file: string }> {
  const dir = await tempDir();
  await mkdir(path.join(dir, "state"), { recursive: true });
  const file = path.join(dir, "state", `${cloud}.json`);
  await writeFile(file, text);
  return { dir, file };
}

describe("unreadable saved state", () => {
  for (const cloud of ["tencent", "aws", "aliyun"]) {
    for (const [what, text] of [
      ["another format", JSON.stringify({ format: 7, regions: {} })],
      ["a foreign shape", JSON.stringify({ format: 1, regions: 5 })],
      ["not JSON", "{ half a file"],
    ] as const) {
      it(`${cloud}: ${what} is refused and kept`, async () => {
        const { dir, file } = await stateDirWith(cloud, text);
        await expect(start({ port: 0, stateDir: dir })).rejects.toMatchObject({ code: "EBADSTATE", message: expect.stringContaining(file) });
        expect(await readFile(file, "utf8")).toBe(text);
        // The refused start released the state dir.
        await expect(readFile(path.join(dir, "emulator.lock"))).rejects.toMatchObject({ code: "ENOENT" });
      });
    }
  }

  it("layerctl emulate says so in one line, exit 2", async () => {
    const { dir } = await stateDirWith("aws", "[]");
    await expect(emulateCommand({ port: "0", stateDir: dir })).rejects.toMatchObject({ exitCode: 2, code: "InvalidState" });
  });

  it("an Aliyun state saved before the format field still loads", async () => {
    const layer = { name: "old", lastVersion: 1, versions: [] };
    const { dir } = await stateDirWith("aliyun", JSON.stringify({ regions: { "cn-hangzhou": { layers: { old: layer }, functions: {} } } }));
    const emu = await start({ port: 0, stateDir: dir });
    await emu.close();
    const saved = JSON.parse(await readFile(path.join(dir, "state", "aliyun.json"), "utf8"));
    expect(saved.regions["cn-hangzhou"].layers.old).toEqual(layer);
  });
});
