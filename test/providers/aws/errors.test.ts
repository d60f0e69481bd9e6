import { expect, test } from "vitest";
import { CloudError, UsageError } from "../../../src/errors.js";
import { toCloudError } from "../../../src/providers/aws/errors.js";

const ctx = { action: "PublishLayerVersion", timeoutMs: 300, secrets: ["super-secret-value"] };

test("a service error keeps Lambda's code, request id and status; 4xx is final, 5xx and 429 retryable", () => {
  const make = (name: string, status: number, extra: Record<string, unknown> = {}) =>
    Object.assign(new Error("boom"), { name, $fault: status >= 500 ? "server" : "client", $metadata: { httpStatusCode: status, requestId: "rid-1" }, ...extra });
  const notFound = toCloudError(make("ResourceNotFoundException", 404), ctx);
  expect(notFound).toBeInstanceOf(CloudError);
  expect(notFound).toMatchObject({ code: "ResourceNotFoundException", requestId: "rid-1", httpStatus: 404, retryable: false, provider: "aws" });
  expect(notFound.message).toBe("PublishLayerVersion: boom");
  expect(toCloudError(make("ServiceException", 500), ctx).retryable).toBe(true);
  expect(toCloudError(make("ResourceNotReadyException", 502), ctx).retryable).toBe(true);
  const throttled = toCloudError(make("TooManyRequestsException", 429, { retryAfterSeconds: "2" }), ctx);
  expect(throttled).toMatchObject({ retryable: true, retryAfterMs: 2000, unprocessed: true });
  expect(toCloudError(make("ThrottlingException", 400), ctx)).toMatchObject({ retryable: true, unprocessed: true });
  // A 5xx may come after Lambda acted: retryable, but not certainly without effect.
  expect((toCloudError(make("ServiceException", 500), ctx) as CloudError).unprocessed).toBe(false);
  expect(toCloudError(make("InvalidSignatureException", 403), ctx).hint).toContain("AWS_SECRET_ACCESS_KEY");
});

test("timeouts and broken connections", () => {
  const timeout = toCloudError(Object.assign(new Error("a request has exceeded the configured 300 ms requestTimeout."), { name: "TimeoutError", code: "ETIMEDOUT" }), ctx);
  expect(timeout).toMatchObject({ code: "RequestTimeout", retryable: true, unprocessed: false });
  expect(timeout.message).toContain("300 ms");
  const idle = toCloudError(Object.assign(new Error("the request socket timed out after 300 ms of inactivity"), { name: "TimeoutError" }), ctx);
  expect(idle.code).toBe("RequestTimeout");
  // node-http-handler renames resets to TimeoutError but keeps the errno code.
  const reset = toCloudError(Object.assign(new Error("socket hang up"), { name: "TimeoutError", code: "ECONNRESET" }), ctx);
  expect(reset).toMatchObject({ code: "NetworkError", retryable: true, unprocessed: false });
  expect(toCloudError(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), { code: "ECONNREFUSED" }), ctx)).toMatchObject({ code: "NetworkError", unprocessed: true });
  expect(toCloudError(Object.assign(new Error("getaddrinfo ENOTFOUND lambda.example"), { code: "ENOTFOUND" }), ctx)).toMatchObject({ code: "NetworkError", unprocessed: true });
  expect(toCloudError(Object.assign(new Error("getaddrinfo EAI_AGAIN lambda.example"), { code: "EAI_AGAIN" }), ctx)).toMatchObject({ code: "NetworkError", unprocessed: true });
});

test("secrets never reach the message; our own errors pass through", () => {
  const err = toCloudError(Object.assign(new Error("bad key super-secret-value"), { name: "Weird", $metadata: { httpStatusCode: 400 } }), ctx);
  expect(err.message).not.toContain("super-secret-value");
  expect(err.message).toContain("****");
  const usage = new UsageError("x");
  expect(toCloudError(usage, ctx)).toBe(usage);
  expect(toCloudError(new Error("odd"), ctx)).toMatchObject({ code: "CloudError", retryable: false });
});
