// The parts of the Lambda SDK the adapter calls, by name, so the bundle keeps these and leaves
// out the client's other commands and their schemas. Loaded by client.ts on connect only.
export { GetLayerVersionCommand, LambdaClient, ListLayerVersionsCommand, PublishLayerVersionCommand, PublishVersionCommand } from "@aws-sdk/client-lambda";
