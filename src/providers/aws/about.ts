// What help text says about AWS Lambda, loadable without the adapter (see ../names.ts).
import type { ProviderAbout } from "../names.js";

export const awsAbout = {
  title: "AWS Lambda",
  credentials: "AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, or the AWS default chain (--profile)",
  profile: "AWS shared config profile",
  endpointVariables: ["LAYERCTL_ENDPOINT_AWS", "AWS_ENDPOINT_URL_LAMBDA", "AWS_ENDPOINT_URL"],
} satisfies ProviderAbout;
