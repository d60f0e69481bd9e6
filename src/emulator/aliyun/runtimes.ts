// Runtime identifiers FC 3.0 accepts in compatibleRuntime and CreateFunction.runtime, from the
// FC 3.0 runtime overview pages (Node.js, Python, PHP, Java, .NET, Go, custom runtimes). Kept here
// as the emulated cloud's own truth, separate from the adapter's table, so a wrong adapter table
// fails against the emulator instead of agreeing with it.
export const FC_RUNTIMES: readonly string[] = [
  "nodejs20",
  "nodejs18",
  "nodejs16",
  "nodejs14",
  "nodejs12",
  "python3.12",
  "python3.10",
  "python3.9",
  "python3",
  "php7.2",
  "java11",
  "java8",
  "dotnetcore3.1",
  "go1",
  "custom",
  "custom.debian10",
  "custom.debian11",
  "custom.debian12",
];

/** Functions may also run a container image; layers cannot target it. */
export const FC_FUNCTION_RUNTIMES: readonly string[] = [...FC_RUNTIMES, "custom-container"];
