// The Runtime enum Lambda's API accepts in CompatibleRuntimes (deprecated ids included: layers may
// still name them). Source: the PublishLayerVersion API reference (api/aws-PublishLayerVersion.zh-TW.txt)
// plus the ids added since, as listed by the Runtime enum of @aws-sdk/client-lambda 3.1164.
export const LAMBDA_RUNTIMES: readonly string[] = [
  "nodejs", "nodejs4.3", "nodejs6.10", "nodejs8.10", "nodejs10.x", "nodejs12.x", "nodejs14.x", "nodejs16.x",
  "java8", "java8.al2", "java11", "python2.7", "python3.6", "python3.7", "python3.8", "python3.9",
  "dotnetcore1.0", "dotnetcore2.0", "dotnetcore2.1", "dotnetcore3.1", "dotnet6", "dotnet8", "nodejs4.3-edge",
  "go1.x", "ruby2.5", "ruby2.7", "provided", "provided.al2", "nodejs18.x", "python3.10", "java17",
  "ruby3.2", "ruby3.3", "ruby3.4", "python3.11", "nodejs20.x", "provided.al2023", "python3.12", "java21",
  "python3.13", "nodejs22.x", "nodejs24.x", "python3.14", "java25", "dotnet10",
  "java8.al2023", "java11.al2023", "java17.al2023", "nodejs26.x", "python3.15", "ruby4.0",
];

export const LAMBDA_ARCHITECTURES: readonly string[] = ["x86_64", "arm64"];
