// Runtime ids the SCF API accepts for Runtime / CompatibleRuntimes. Source: the Runtime parameter of
// CreateFunction in the API 2018-04-16 reference (as carried by the SDK's model docs), plus Java11,
// documented in the SCF Java guide (Kona JDK 11). The adapter keeps its own table on purpose: the
// emulator plays the cloud, and a wrong id in the adapter must fail here as it would there.
export const SCF_RUNTIMES: readonly string[] = [
  "Python2.7",
  "Python3.6",
  "Python3.7",
  "Python3.9",
  "Python3.10",
  "Nodejs6.10",
  "Nodejs8.9",
  "Nodejs10.15",
  "Nodejs12.16",
  "Nodejs14.18",
  "Nodejs16.13",
  "Nodejs18.15",
  "Php5.6",
  "Php7",
  "Php7.4",
  "Php8.0",
  "Go1",
  "Java8",
  "Java11",
  "CustomRuntime",
];

export function isScfRuntime(id: string): boolean {
  return SCF_RUNTIMES.includes(id);
}
