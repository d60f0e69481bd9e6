import { describe, expect, it } from "vitest";
import { CloudError, formatError, formatFailure, UsageError } from "../src/errors.js";

describe("errors", () => {
  it("with() keeps every field it is not told to change, and the class", () => {
    const cause = new Error("socket hang up");
    const fields = {
      code: "ServiceException",
      provider: "aws",
      requestId: "r-1",
      httpStatus: 503,
      retryable: true,
      retryAfterMs: 1200,
      unprocessed: true,
      arn: "arn:x",
      hint: "old",
    } as const;
    const err = new CloudError("boom", { ...fields, cause });
    const copy = err.with({ message: "boom (later)", version: 3 });
    expect(copy).toBeInstanceOf(CloudError);
    expect(copy).toMatchObject({ ...fields, message: "boom (later)", version: 3, exitCode: 1 });
    expect(copy.cause).toBe(cause);
    expect(err.version).toBeUndefined();
    const usage = new UsageError("bad", { code: "X" }).with({ hint: "fix it" });
    expect(usage).toBeInstanceOf(UsageError);
    expect(usage).toMatchObject({ message: "bad", code: "X", hint: "fix it", exitCode: 2 });
  });

  it("formats an error and a failed target's record the same way, on one line", () => {
    const err = new CloudError("no\nsuch layer", { code: "ResourceNotFoundException", provider: "aws", requestId: "r-2", hint: "check the name" });
    expect(formatError(err)).toBe("aws: ResourceNotFoundException: no such layer (request id r-2); check the name");
    expect(formatFailure({ where: "aws us-east-1", code: err.code, message: err.message, requestId: err.requestId, hint: err.hint })).toBe(
      "aws us-east-1: ResourceNotFoundException: no such layer (request id r-2); check the name",
    );
    expect(formatError(new UsageError("no provider given", { code: "MissingProvider" }))).toBe("no provider given");
    expect(formatError(new TypeError("x is undefined"))).toBe("internal error: x is undefined");
  });
});
