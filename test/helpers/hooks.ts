// Something a block of tests uses and must give back: made before them (all, or each), handed to
// the block, disposed of after them.
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";

/** Makes a resource before all (or each) tests of the enclosing block, hands it to `made`, and disposes of it after. */
export function useResource<T>(scope: "all" | "each", make: () => Promise<T>, made: (resource: T) => void, dispose: (resource: T) => Promise<unknown>): void {
  let resource: T | undefined;
  (scope === "all" ? beforeAll : beforeEach)(async () => {
    resource = await make();
    made(resource);
  });
  (scope === "all" ? afterAll : afterEach)(async () => {
    if (resource !== undefined) await dispose(resource);
  });
}
