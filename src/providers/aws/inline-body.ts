// PublishLayerVersion's inline body, built once per zip (../inline-body.ts): the SDK serializes
// the request with a marker in place of ZipFile, and a middleware of this command swaps the body
// for the shared one before the SDK computes its length, signs it and sends it. Without it each
// target's JSON codec writes its own 53 MB body for a 40 MB zip (in a buffer that doubles as it
// grows), and twelve targets held several of them at once.
import type { PublishLayerVersionCommand } from "@aws-sdk/client-lambda";
import type { SharedBody } from "../inline-body.js";

export function shareInlineBody(command: PublishLayerVersionCommand, shared: SharedBody): void {
  command.middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as { body: unknown; headers: Record<string, string> };
      const body = request.body;
      if (typeof body !== "string" && !(body instanceof Uint8Array)) {
        throw new Error("internal: PublishLayerVersion's serialized body is neither text nor bytes");
      }
      request.body = await shared.body(body);
      for (const name of Object.keys(request.headers)) if (name.toLowerCase() === "content-length") delete request.headers[name];
      return next(args);
    },
    // The build step runs after serialization; high priority runs before contentLengthMiddleware
    // (normal priority) measures the body, and the signer (finalizeRequest step) hashes it after.
    { step: "build", priority: "high", name: "layerctlSharedInlineBody" },
  );
}
