// Placeholder: replaced by the aws adapter.
import type { Provider } from "../types.js";

export const awsProvider = { name: "aws" } as unknown as Provider;
